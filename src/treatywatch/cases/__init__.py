"""Misuse cases: documented uses of cyber laws against people, with redaction.

Public entry points: :func:`treatywatch.cases.service.cases_for_provision`
(evidence for a provision's rights findings), ``case_counts``, and the
``treatywatch cases`` commands.
"""
