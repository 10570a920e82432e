"""A store for web UI tests: the fictional Testaland law with hostile markup, and users.

Built on :mod:`report_store` (a fictional law, findings, alignments). The
law's section 2 carries a ``<script>`` element and an ``<img onerror>``
so tests can check that law text is shown escaped on every page. Users
get API tokens so requests can act as a viewer or an analyst without the
login form (bearer requests need no CSRF token).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from report_store import LAW, SCRIPT, add_alignments, add_findings, ingest_law
from treatywatch.store import session_scope
from treatywatch.store.models import UserRow
from treatywatch.web.app import create_app
from treatywatch.web.deps import token_digest
from treatywatch.web.settings import WebSettings

IMG = "<img src=x onerror=alert(2)>"
HOSTILE_LAW = LAW.replace(f"{SCRIPT} by means", f"{SCRIPT} {IMG} by means", 1)
TOKENS = {"viewer": "viewer-token-0123456789", "analyst": "analyst-token-0123456789"}


def build(url: str, tmp_path: Path) -> int:
    """Ingest the hostile law, add findings and alignments and users; return the version id."""
    assert IMG in HOSTILE_LAW
    version_id = ingest_law(url, tmp_path, text=HOSTILE_LAW)
    add_findings(url, version_id)
    add_alignments(url, version_id)
    with session_scope(url) as session:
        for role, token in TOKENS.items():
            session.add(
                UserRow(
                    username=f"{role}-user",
                    role=role,
                    api_token_hash=token_digest(token),
                    active=True,
                )
            )
    return version_id


def client(url: str, role: str | None = None, *, anonymous_read: bool = True) -> TestClient:
    app = create_app(WebSettings(url, "test-secret", anonymous_read=anonymous_read))
    headers = {"Authorization": f"Bearer {TOKENS[role]}"} if role else {}
    return TestClient(app, headers=headers, follow_redirects=False)
