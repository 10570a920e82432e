"""Uploading a law through the UI: ingest → align → assess in the background, then its report."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from treatywatch.store import init_store, session_scope
from treatywatch.store.models import AuditLogRow, DocumentRow, UserRow
from treatywatch.web.app import create_app
from treatywatch.web.deps import token_digest
from treatywatch.web.settings import WebSettings

TOKEN = "upload-analyst-token-0123456789"
SAMPLE = "nor-ccea-2024.txt"  # a fictional law shipped with treatywatch


@pytest.fixture
def store(sqlite_url: str) -> str:
    init_store(sqlite_url)
    with session_scope(sqlite_url) as session:
        session.add(
            UserRow(username="uploader", role="analyst", api_token_hash=token_digest(TOKEN))
        )
    return sqlite_url


def _client(url: str, **settings: int) -> TestClient:
    app = create_app(WebSettings(url, "test-secret", **settings))  # type: ignore[arg-type]
    return TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}, follow_redirects=False)


def _sample() -> bytes:
    return resources.files("treatywatch.samples").joinpath(SAMPLE).read_bytes()


def _wait(web: TestClient, job_url: str, seconds: float = 180) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = web.get(job_url, params={"format": "json"}).json()
        if job["finished"]:
            return job  # type: ignore[no-any-return]
        time.sleep(0.5)
    raise AssertionError(f"upload job did not finish in {seconds} s")


def test_upload_runs_the_pipeline_and_links_to_the_report(store: str) -> None:
    web = _client(store)
    response = web.post(
        "/upload",
        files={"file": ("../../etc/passwd.txt", _sample(), "text/plain")},
        data={"country": "XNL", "date": "2024-07-01"},
    )
    assert response.status_code == 303
    job_url = response.headers["location"]
    assert job_url.startswith("/upload/jobs/")
    page = web.get(job_url)
    assert page.status_code == 200 and "Upload of passwd.txt" in page.text
    job = _wait(web, job_url)
    assert job["state"] == "done", job["error"]
    assert [s["state"] for s in job["steps"]] == ["done", "done", "done"]
    assert job["filename"] == "passwd.txt"  # the path in the name was dropped
    result = job["result"]
    assert result["country"] == "XNL" and result["ref"].endswith("@2024-07-01")
    done = web.get(job_url)
    assert f'href="{result["report_url"]}"' in done.text and "hx-get" not in done.text
    fragment = web.get(job_url, params={"fragment": "1"}, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="job-progress"')
    report = web.get(result["report_url"])
    assert report.status_code == 200 and "<html" in report.text
    law = web.get(result["url"])
    assert law.status_code == 200 and "Not aligned yet" not in law.text
    with session_scope(store) as session:
        assert session.get(DocumentRow, result["document"]) is not None
        actors = set(session.scalars(select(AuditLogRow.actor)))
        assert "uploader" in actors


def test_upload_refuses_oversized_empty_and_unknown_country(store: str) -> None:
    web = _client(store, max_upload_bytes=1000)
    big = web.post(
        "/upload",
        files={"file": ("law.txt", b"x" * 5000, "text/plain")},
        data={"country": "XNL"},
    )
    assert big.status_code == 413 and "larger than the upload limit" in big.text
    empty = web.post(
        "/upload", files={"file": ("law.txt", b"", "text/plain")}, data={"country": "XNL"}
    )
    assert empty.status_code == 400 and "is empty" in empty.text
    nowhere = web.post(
        "/upload", files={"file": ("law.txt", b"Section 1.", "text/plain")}, data={"country": "QQQ"}
    )
    assert nowhere.status_code == 404
    bad_date = web.post(
        "/upload",
        files={"file": ("law.txt", b"Section 1.", "text/plain")},
        data={"country": "XNL", "date": "yesterday"},
    )
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.text
    with session_scope(store) as session:
        assert session.scalars(select(DocumentRow)).first() is None
    assert web.get("/upload/jobs/no-such-job").status_code == 404


def test_a_failing_stage_is_reported_not_crashed(store: str, tmp_path: Path) -> None:
    web = _client(store)
    response = web.post(
        "/upload",
        files={"file": ("scan.pdf", b"%PDF-1.4 not really a pdf", "application/pdf")},
        data={"country": "XNL"},
    )
    assert response.status_code == 303
    job = _wait(web, response.headers["location"], seconds=60)
    assert job["state"] == "failed" and job["error"]["stage"] == "ingest"
    assert job["error"]["message"]
    page = web.get(response.headers["location"])
    assert page.status_code == 200 and 'role="alert"' in page.text
