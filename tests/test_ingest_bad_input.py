"""Hostile and broken input through `treatywatch ingest`: a typed error naming the file,
exit code 2, and a store left exactly as it was."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from fixtures.hostile import (
    BILLION_LAUGHS,
    drawing_only_pdf,
    encrypted_pdf,
    external_entity_xml,
    image_only_pdf,
    zip_bomb,
)
from treatywatch.samples import SAMPLE_COUNTRY, SAMPLE_LAWS
from treatywatch.store import session_scope

TABLES = (
    "documents",
    "document_versions",
    "provisions",
    "provenance",
    "audit_log",
    "jurisdictions",
    "search_index",
)
NORLAND = SAMPLE_LAWS[0]


def counts(url: str) -> dict[str, int]:
    with session_scope(url) as s:
        return {t: int(s.scalar(text(f"SELECT count(*) FROM {t}")) or 0) for t in TABLES}


def corrupt_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n" + os.urandom(2000))


def truncated_pdf(path: Path) -> None:
    data = NORLAND.path("pdf").read_bytes()
    path.write_bytes(data[: len(data) // 3])


def not_a_zip_docx(path: Path) -> None:
    path.write_text("This is a plain text file pretending to be a Word document.\n" * 20)


def broken_zip_docx(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + os.urandom(3000))


def docx_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")


def binary_junk(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 40 + os.urandom(4000))


def empty(path: Path) -> None:
    path.write_bytes(b"")


def no_provisions(path: Path) -> None:
    path.write_text("A shopping list.\nMilk, bread and eggs.\nNothing numbered here.\n")


def bad_json(path: Path) -> None:
    path.write_text('{"provisions": [{"section": "1", "content": 5}')


def sparse_500mb(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(500 * 1024 * 1024)  # sparse: no disk used, stat says 500 MB


BAD_FILES: dict[str, tuple[str, Callable[[Path], Any], str]] = {
    "corrupt-pdf": ("law.pdf", corrupt_pdf, "corrupt"),
    "truncated-pdf": ("law.pdf", truncated_pdf, "truncated"),
    "encrypted-pdf": ("law.pdf", lambda p: p.write_bytes(encrypted_pdf()), "encrypted"),
    "no-text-pdf": ("law.pdf", lambda p: p.write_bytes(drawing_only_pdf()), "no text"),
    "scanned-pdf": ("law.pdf", lambda p: p.write_bytes(image_only_pdf()), "scanned"),
    "docx-zip-bomb": ("law.docx", zip_bomb, "docx"),
    "docx-not-a-zip": ("law.docx", not_a_zip_docx, "docx"),
    "docx-broken-zip": ("law.docx", broken_zip_docx, "docx"),
    "docx-no-document": ("law.docx", docx_without_document, "docx"),
    "xml-billion-laughs": ("law.xml", lambda p: p.write_bytes(BILLION_LAUGHS), "entit"),
    "binary-junk-txt": ("law.txt", binary_junk, "not a text file"),
    "empty-txt": ("law.txt", empty, "empty"),
    "no-provisions": ("law.txt", no_provisions, "no sections or articles"),
    "bad-json": ("law.json", bad_json, "json"),
    "500mb-file": ("law.pdf", sparse_500mb, "500 MB"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_a_clear_error_and_changes_nothing(
    cli: Any, initialised: str, tmp_path: Path, case: str
) -> None:
    name, build, problem = BAD_FILES[case]
    path = tmp_path / case / name
    path.parent.mkdir()
    build(path)
    before = counts(initialised)
    result = cli("ingest", str(path), "--country", "KEN", "--title", "Fictional Act, 2024")
    assert result.code == 2, result.out + result.err
    assert str(path) in result.err.replace("\n", "")
    assert problem.lower() in result.err.lower()
    assert "hint:" in result.err or case in {"no-text-pdf"}
    assert "Traceback" not in result.err
    assert counts(initialised) == before


def test_bad_file_error_as_json(cli: Any, initialised: str, tmp_path: Path) -> None:
    path = tmp_path / "law.pdf"
    path.write_bytes(encrypted_pdf())
    result = cli("ingest", str(path), "--country", "KEN", "--json")
    assert result.code == 2
    error = result.json()
    assert isinstance(error, dict)
    assert error["error"] == "IngestError" and str(path) in error["message"]


def test_external_entities_are_never_resolved(cli: Any, initialised: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    path = tmp_path / "law.xml"
    path.write_bytes(external_entity_xml(secret))
    before = counts(initialised)
    result = cli("ingest", str(path), "--country", "KEN", "--json")
    assert result.code == 2 and "TOP-SECRET-TOKEN" not in result.out + result.err
    assert counts(initialised) == before


def test_size_limit_is_configurable(
    cli: Any, initialised: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(NORLAND.path("txt"))
    small = cli("ingest", path, "--country", SAMPLE_COUNTRY, "--max-mb", "0.005")
    assert small.code == 2 and "the limit is" in small.err
    monkeypatch.setenv("TREATYWATCH_MAX_FILE_MB", "0.005")
    env = cli("ingest", path, "--country", SAMPLE_COUNTRY)
    assert env.code == 2 and "TREATYWATCH_MAX_FILE_MB" in env.err
    ok = cli("ingest", path, "--country", SAMPLE_COUNTRY, "--max-mb", "1", "--json")
    assert ok.code == 0


@pytest.mark.parametrize(
    ("country", "suggestion"), [("KENN", "KEN"), ("Kenya", "KEN"), ("XX", None)]
)
def test_wrong_country_writes_nothing(
    cli: Any, initialised: str, country: str, suggestion: str | None
) -> None:
    before = counts(initialised)
    result = cli("ingest", str(NORLAND.path("txt")), "--country", country)
    assert result.code == 2
    assert f"unknown country {country!r}" in result.err
    if suggestion:
        assert suggestion in result.err
    assert counts(initialised) == before


def test_missing_file_and_directory(cli: Any, initialised: str, tmp_path: Path) -> None:
    missing = cli("ingest", str(tmp_path / "nope.pdf"), "--country", "KEN")
    assert missing.code == 2 and "file not found" in missing.err
    folder = cli("ingest", str(tmp_path), "--country", "KEN")
    assert folder.code == 2 and "directory" in folder.err


def test_html_scripts_are_never_stored(cli: Any, initialised: str, tmp_path: Path) -> None:
    page = tmp_path / "law.html"
    page.write_text(
        "<html><head><script>var stolen = document.cookie;</script></head><body>"
        "<nav>Home | Laws</nav><h1>Fictional Scripted Act, 2024</h1>"
        "<h3>1. Short title</h3><p>This Act is the Fictional Scripted Act."
        "<script>alert('xss')</script></p>"
        '<h3>2. Offence</h3><p onclick="steal()">A person who <b>intentionally</b> '
        "<img src=x onerror=alert(1)>accesses a computer commits an offence.</p>"
        "<style>p { color: red }</style></body></html>",
        encoding="utf-8",
    )
    result = cli("ingest", str(page), "--country", "KEN", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict)
    exported = cli("export", data["id"], "--format", "json")
    stored = json.loads(exported.out)
    texts = json.dumps(stored["provisions"], ensure_ascii=False)
    for forbidden in ("<", "script", "alert", "cookie", "onclick", "onerror", "color: red"):
        assert forbidden not in texts, forbidden
    assert "intentionally" in texts
    with session_scope(initialised) as s:
        rows = s.execute(text("SELECT text, heading FROM provisions")).all()
    assert rows and not any("<" in (t or "") + (h or "") for t, h in rows)
