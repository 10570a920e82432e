"""Site-relative addresses of the things the UI shows, in one place.

Provision addresses come from :mod:`treatywatch.report.links` so a link in
a published report and a link in the UI are the same URL.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from treatywatch.report.links import provision_url


@lru_cache(maxsize=1_024)
def article_url(article_id: str) -> str:
    """``uncc/art-28`` → ``/articles/uncc/art-28``."""
    return "/articles/" + quote(article_id, safe="/-")


def country_url(code: str) -> str:
    return "/countries/" + quote(code, safe="")


def version_url(document_id: str, version_date: str | None = None) -> str:
    ref = f"{document_id}@{version_date}" if version_date else document_id
    return "/documents/" + quote(ref, safe="/@-._")


@lru_cache(maxsize=65_536)
def ref_url(ref: str) -> str:
    """``DOC@DATE#path`` (the domain's provision reference) → the provision page.

    Memoised: a country page links hundreds of provisions, and percent-encoding
    each one again on every build was a tenth of the page's cost."""
    version, _, path = ref.partition("#")
    document_id, _, date = version.partition("@")
    if not path:
        return version_url(document_id, date or None)
    return quote(provision_url(document_id, date, path), safe="/@-._")


def report_url(target: str) -> str:
    return "/reports/" + quote(target, safe="/-._") + ".html"
