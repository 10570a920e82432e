"""State status ledger: jurisdictions, status events, entry-into-force maths."""
