"""treatywatch web: REST API, server-rendered UI, accounts (see docs/web.md)."""
