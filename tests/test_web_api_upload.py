"""POST /api/v1/documents: upload → ingest → align → assess, with its guards:
analysts only, size limit (413), traversal-safe file names, typed 422s."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from treatywatch.samples import SAMPLE_LAWS
from treatywatch.store import session_scope
from treatywatch.store.models import AuditLogRow, DocumentRow, FindingRow
from web_api_store import FAST, Store, build_store, client

API = "/api/v1"
LAW = next(
    law for law in SAMPLE_LAWS if "txt" in law.formats and law.country != SAMPLE_LAWS[0].country
)
METHODS = ",".join(FAST)


@pytest.fixture
def store(store_url: str) -> Store:
    return build_store(store_url)


def _form(**extra: str) -> dict[str, str]:
    return {"country": LAW.country, "methods": METHODS, **extra}


def _documents(url: str) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(DocumentRow)) or 0)


def test_analyst_uploads_a_law_and_gets_its_assessment(store: Store) -> None:
    data = LAW.path("txt").read_bytes()
    response = client(store.url, "analyst").post(
        f"{API}/documents",
        files={"file": ("law.txt", data, "text/plain")},
        data=_form(date=LAW.date.isoformat()),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "stored" and body["document"]["country"] == LAW.country
    assert body["ref"].endswith(f"@{LAW.date.isoformat()}") and body["provisions"] > 5
    assert body["alignment"]["counts"]["suggested"] > 0
    assert body["assessment"]["findings"] > 0
    with session_scope(store.url) as session:
        version_findings = session.scalar(select(func.count()).select_from(FindingRow))
        actors = set(session.scalars(select(AuditLogRow.actor)))
    assert version_findings and "analyst-user" in actors
    again = client(store.url, "analyst").get(f"{API}/documents/{body['document']['id']}")
    assert again.status_code == 200


@pytest.mark.parametrize("role", [None, "viewer"])
def test_only_analysts_upload(store: Store, role: str | None) -> None:
    before = _documents(store.url)
    response = client(store.url, role).post(
        f"{API}/documents", files={"file": ("law.txt", b"text", "text/plain")}, data=_form()
    )
    assert response.status_code == (401 if role is None else 403)
    assert _documents(store.url) == before


def test_traversal_in_the_file_name_is_neutralised(store: Store, tmp_path: Path) -> None:
    data = LAW.path("txt").read_bytes()
    escape_target = Path("/tmp/etc/passwd.txt")
    response = client(store.url, "analyst").post(
        f"{API}/documents",
        files={"file": ("../../../tmp/etc/passwd.txt", data, "text/plain")},
        data=_form(),
    )
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == "passwd.txt"
    assert not escape_target.exists()
    refused = client(store.url, "analyst").post(
        f"{API}/documents", files={"file": ("../..", data, "text/plain")}, data=_form()
    )
    assert refused.status_code == 422 and refused.json()["error"] == "InvalidParameterError"
    no_suffix = client(store.url, "analyst").post(
        f"{API}/documents", files={"file": ("../../etc/passwd", data, "text/plain")}, data=_form()
    )
    assert no_suffix.status_code in (201, 422), no_suffix.text
    assert "/tmp/treatywatch-upload" not in no_suffix.text


def test_oversized_upload_is_413_and_stores_nothing(store: Store) -> None:
    before = _documents(store.url)
    small = client(store.url, "analyst", max_upload_bytes=2_000)
    response = small.post(
        f"{API}/documents",
        files={"file": ("big.txt", b"A person who accesses. " * 200, "text/plain")},
        data=_form(),
    )
    assert response.status_code == 413 and response.json()["error"] == "PayloadTooLargeError"
    huge = small.post(
        f"{API}/documents",
        files={"file": ("huge.txt", b"x" * 200_000, "text/plain")},
        data=_form(),
    )
    assert huge.status_code == 413
    assert _documents(store.url) == before


@pytest.mark.parametrize(
    ("files", "form"),
    [
        ({"file": ("law.txt", b"", "text/plain")}, _form()),
        ({"file": ("law.exe", b"MZ\x90\x00binary", "application/octet-stream")}, _form()),
        ({"file": ("law.txt", b"Section 1. Offences.", "text/plain")}, _form(country="Narnia")),
        ({"file": ("law.txt", b"Section 1. Offences.", "text/plain")}, _form(methods="magic")),
        ({"file": ("law.txt", b"Section 1. Offences.", "text/plain")}, _form(date="soon")),
        ({}, _form()),
    ],
)
def test_bad_uploads_are_typed_422(
    store: Store, files: dict[str, object], form: dict[str, str]
) -> None:
    before = _documents(store.url)
    response = client(store.url, "analyst").post(f"{API}/documents", files=files or None, data=form)
    assert response.status_code == 422, response.text
    assert set(response.json()) == {"error", "message", "hint"}
    assert _documents(store.url) == before
