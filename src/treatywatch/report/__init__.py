"""Gap analysis, scorecards, cross-country comparison and published reports.

Everything here reads the store only (findings, alignments, provisions,
the ledger), never another stage's in-memory objects, so a report can be
regenerated at any time from what is recorded — and says so: every
finding it shows carries its review status.

Modules, one concept each: :mod:`.targets` (what a report is about),
:mod:`.findings` (stored findings as records), :mod:`.scorecard`,
:mod:`.gap`, :mod:`.serious`, :mod:`.compare`, :mod:`.charts`,
:mod:`.worldmap`, :mod:`.build` (the data a report shows) and
:mod:`.render` (HTML, PDF, Markdown, JSON from that one data dict).
"""
