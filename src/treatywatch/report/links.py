"""Stable addresses for provisions, shared by reports and the web UI.

A finding's evidence points at a provision; readers must be able to follow
that pointer long after the report was generated. The pattern mirrors how
laws are cited (work, dated version, provision path) so it never depends on
database ids:

>>> provision_url("xnl/act/2024/norland-ccea", "2024-07-01", "sec-5")
'/documents/xnl/act/2024/norland-ccea@2024-07-01/provisions/sec-5'
>>> provision_anchor("xnl/act/2024/norland-ccea", "2024-07-01", "sec-5/2")
'prov-xnl-act-2024-norland-ccea-2024-07-01-sec-5-2'

The web UI serves :func:`provision_url`; inside a self-contained HTML
report the same provision is the element with id :func:`provision_anchor`.
"""

from __future__ import annotations

import re

_NOT_ID = re.compile(r"[^a-z0-9]+")


def provision_url(document_id: str, version_date: str, path: str) -> str:
    """The site-relative URL of one provision of one dated version."""
    return f"/documents/{document_id}@{version_date}/provisions/{path}"


def provision_anchor(document_id: str, version_date: str, path: str) -> str:
    """An HTML id for the provision: lower-case letters, digits and hyphens only."""
    raw = f"{document_id}-{version_date}-{path}".lower()
    return "prov-" + _NOT_ID.sub("-", raw).strip("-")
