"""`treatywatch sources list|fetch` against a local HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from conftest import SHARED
from treatywatch.samples import SAMPLE_LAWS, sample_dir
from treatywatch.store import session_scope
from treatywatch.store.models import DocumentVersionRow, ProvenanceRow

CORPUS = SHARED / "corpus"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def serve() -> Iterator[Any]:
    """Serve a folder on 127.0.0.1; returns a function folder → base URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def registry(tmp_path: Path, entries: list[dict[str, str | None]]) -> Path:
    lines = ["sources:"]
    for entry in entries:
        lines.append(f"  - id: {entry['id']}")
        for key in ("country", "title", "url", "format"):
            value = entry.get(key)
            lines.append(f"    {key}: {'null' if value is None else repr(value)}")
        lines.append("    licence: fictional test data")
    path = tmp_path / "sources.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def counts(url: str) -> tuple[int, int]:
    with session_scope(url) as s:
        return (
            int(s.scalar(text("SELECT count(*) FROM document_versions")) or 0),
            int(s.scalar(text("SELECT count(*) FROM provenance")) or 0),
        )


def test_fetch_downloads_hashes_and_ingests(
    cli: Any, initialised: str, tmp_path: Path, serve: Any
) -> None:
    base = serve(sample_dir())
    reg = registry(
        tmp_path,
        [
            {
                "id": "norland-ccea",
                "country": "ATA",
                "title": SAMPLE_LAWS[0].title,
                "url": f"{base}/nor-ccea-2024.pdf",
                "format": "pdf",
            },
            {
                "id": "valombre-loi",
                "country": "ATA",
                "title": SAMPLE_LAWS[1].title,
                "url": f"{base}/vlb-loi-2025-17.docx",
                "format": "docx",
            },
        ],
    )
    result = cli("sources", "fetch", "norland-ccea", "--registry", str(reg), "--json")
    assert result.code == 0, result.err
    (fetched,) = result.json()  # type: ignore[misc]
    assert fetched["source"] == "norland-ccea" and fetched["status"] == "stored"
    assert fetched["url"] == f"{base}/nor-ccea-2024.pdf"
    assert Path(fetched["file"]).read_bytes() == SAMPLE_LAWS[0].path("pdf").read_bytes()
    assert len([p for p in fetched["provisions"] if p["depth"] == 1]) == 31
    with session_scope(initialised) as s:
        version = s.scalars(select(DocumentVersionRow)).one()
        provenance = s.get(ProvenanceRow, version.provenance_id)
    assert provenance is not None and provenance.source_url == f"{base}/nor-ccea-2024.pdf"
    assert provenance.sha256 == fetched["sha256"] and provenance.retrieved
    assert "norland-ccea" in (provenance.note or "")
    both = cli("sources", "fetch", "--country", "ATA", "--registry", str(reg), "--json")
    assert both.code == 0, both.err
    assert [r["status"] for r in both.json()] == ["unchanged", "stored"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("path", "fmt", "problem"),
    [("missing.pdf", "pdf", "HTTP 404"), ("nor-ccea-2024.txt", "pdf", "wrong content type")],
)
def test_failed_downloads_store_nothing(
    cli: Any, initialised: str, tmp_path: Path, serve: Any, path: str, fmt: str, problem: str
) -> None:
    base = serve(sample_dir())
    reg = registry(
        tmp_path,
        [
            {
                "id": "broken",
                "country": "ATA",
                "title": "Broken source",
                "url": f"{base}/{path}",
                "format": fmt,
            }
        ],
    )
    before = counts(initialised)
    result = cli("sources", "fetch", "broken", "--registry", str(reg))
    assert result.code == 2 and problem in result.err and base in result.err
    assert counts(initialised) == before


def test_treaties_and_unknown_sources_are_refused(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    reg = registry(
        tmp_path,
        [
            {
                "id": "a-treaty",
                "country": None,
                "title": "Some Convention",
                "url": "http://127.0.0.1:9/treaty.html",
                "format": "html",
            }
        ],
    )
    treaty = cli("sources", "fetch", "a-treaty", "--registry", str(reg))
    assert treaty.code == 2 and "international instrument" in treaty.err
    unknown = cli("sources", "fetch", "a-treatyy", "--registry", str(reg))
    assert unknown.code == 2 and "a-treaty" in unknown.err
    nothing = cli("sources", "fetch", "--registry", str(reg))
    assert nothing.code == 2 and "--country" in nothing.err


def test_sources_list_bundled_registry(cli: Any) -> None:
    result = cli("sources", "list", "--json")
    assert result.code == 0
    records = result.json()
    assert isinstance(records, list)
    assert {"ken-cmca-2018", "pak-peca-2016"} <= {r["id"] for r in records}
    kenya = cli("sources", "list", "--country", "KEN", "--json").json()
    assert isinstance(kenya, list) and {r["country"] for r in kenya} == {"KEN"}


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-law corpus not present at {CORPUS}")
def test_fetch_a_corpus_law_from_a_local_server(
    cli: Any, initialised: str, tmp_path: Path, serve: Any
) -> None:
    base = serve(CORPUS)
    reg = registry(
        tmp_path,
        [
            {
                "id": "ken-cmca-2018",
                "country": "KEN",
                "title": "Computer Misuse and Cybercrimes Act, 2018 (No. 5 of 2018)",
                "url": f"{base}/ken-cmca-2018/law.pdf",
                "format": "pdf",
            }
        ],
    )
    result = cli("sources", "fetch", "--country", "KEN", "--registry", str(reg), "--json")
    assert result.code == 0, result.err
    (fetched,) = result.json()  # type: ignore[misc]
    assert fetched["id"] == "ken/act/2018/5"
    labels = [p["label"] for p in fetched["provisions"] if p["depth"] == 1]
    assert labels[:3] == ["1", "2", "3"] and "46A" in labels
