"""Source registry and fetch, against a real HTTP server on 127.0.0.1.

The server serves the real corpus files from ../shared/corpus and a few
misbehaving endpoints (slow, oversized, mislabelled, redirect loops).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import SHARED
from treatywatch.ingest.readers import read_file
from treatywatch.ingest.sources import (
    DEFAULT_SOURCES_FILE,
    FetchError,
    Source,
    SourceError,
    fetch,
    load_sources,
)

CORPUS = SHARED / "corpus"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"real-law corpus not present at {CORPUS}"
)
TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown",
}
MB = 1024 * 1024


# --- registry ---------------------------------------------------------------------


def test_bundled_registry_is_valid() -> None:
    registry = load_sources()
    assert len(registry) >= 10
    assert len({s.id for s in registry}) == len(registry)
    kenya = registry.get("ken-cmca-2018")
    assert kenya.country == "KEN" and kenya.url == "https://new.kenyalaw.org/akn/ke/act/2018/5/"
    assert [s.id for s in registry.for_country("ken")] == ["ken-cmca-2018"]
    countries = {s.country for s in registry}
    assert {"KEN", "PAK", "PHL", "SGP", "GHA", "SEN", "CHL", "DEU", "FRA"} <= countries
    assert all(s.url.startswith("https://") for s in registry)


@pytest.mark.corpus
@needs_corpus
def test_registry_urls_match_corpus_provenance() -> None:
    for source in load_sources():
        if source.corpus is None:
            continue
        folder = CORPUS / source.corpus
        assert folder.is_dir(), f"{source.id}: corpus folder {source.corpus} missing"
        recorded = (folder / "PROVENANCE.txt").read_text(encoding="utf-8")
        if (folder / "source.json").exists():
            recorded += str(json.loads((folder / "source.json").read_text()).get("url"))
        if source.id not in ("deu-stgb", "coe-ets185"):  # mirrors, not the official URL
            assert source.url in recorded, source.id


def test_unknown_source_suggests_close_ids() -> None:
    with pytest.raises(SourceError, match="unknown source 'ken-cmca'") as caught:
        load_sources().get("ken-cmca")
    assert "ken-cmca-2018" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "XYZ"}, "not an ISO 3166-1 alpha-3"),
        ({"url": "file:///etc/passwd"}, "is not an http(s) URL"),
        ({"url": "ftp://example.org/law.pdf"}, "is not an http(s) URL"),
        ({"format": "exe"}, "field format"),
        ({"surprise": 1}, "Extra inputs are not permitted"),
        ({"id": "Bad Id"}, "field id"),
    ],
)
def test_invalid_registry_entries(tmp_path: Path, change: dict[str, object], message: str) -> None:
    raw = yaml.safe_load(DEFAULT_SOURCES_FILE.read_text(encoding="utf-8"))
    raw["sources"][0].update(change)
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SourceError, match="invalid source registry") as caught:
        load_sources(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load(DEFAULT_SOURCES_FILE.read_text(encoding="utf-8"))
    raw["sources"].append(raw["sources"][0])
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SourceError, match="appears twice"):
        load_sources(path)


# --- a local server ----------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def send(self, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", headers.pop("length", str(len(body))))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        # The client gives up on timeouts and size caps: that is the point of the test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path.startswith("/corpus/"):
            file = CORPUS / path.removeprefix("/corpus/")
            if ".." in path or not file.is_file():
                self.send(404, b"not found", "text/plain")
                return
            self.send(200, file.read_bytes(), TYPES.get(file.suffix, "application/octet-stream"))
        elif path == "/pdf-as-html":
            self.send(200, (CORPUS / "ken-cmca-2018" / "law.pdf").read_bytes(), "text/html")
        elif path == "/html-as-pdf":
            self.send(200, b"<!DOCTYPE html><html><body>Login</body></html>", "application/pdf")
        elif path == "/slow":
            time.sleep(1.5)
            self.send(200, b"%PDF-1.4 too late", "application/pdf")
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"x" * 10)
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/endless":  # no Content-Length: only streaming can stop it
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            chunk = b"Section 1. " * 10_000
            try:
                for _ in range(1000):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/declared-huge":
            self.send(200, b"", "application/pdf", length=str(10**9))
        elif path == "/gzip-bomb":
            body = gzip.compress(b"\x00" * (8 * MB))
            self.send(200, body, "text/plain", Content_Encoding="gzip")
        elif path == "/redirect":
            self.send(302, b"", None, Location="/corpus/ken-cmca-2018/law.pdf")
        elif path == "/loop":
            self.send(302, b"", None, Location="/loop")
        elif path == "/to-file":
            self.send(302, b"", None, Location="file:///etc/passwd")
        elif path == "/untyped":
            self.send(200, (CORPUS / "ken-cmca-2018" / "law.pdf").read_bytes(), None)
        else:
            self.send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not CORPUS.is_dir():
        pytest.skip(f"real-law corpus not present at {CORPUS} (the server serves it)")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only 127.0.0.1 is reachable; a proxy from the environment must not intercept."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def local(source_id: str, url: str) -> Source:
    """A registry entry pointed at the local server."""
    return load_sources().get(source_id).model_copy(update={"url": url})


def source(url: str, fmt: str = "pdf") -> Source:
    return Source.model_validate(
        {
            "id": "test-law",
            "country": "KEN",
            "title": "Test law",
            "url": url,
            "format": fmt,
            "licence": "fictional test",
        }
    )


def assert_nothing_written(folder: Path) -> None:
    assert list(folder.iterdir()) == [], "a failed fetch must leave nothing behind"


# --- fetch ---------------------------------------------------------------------------


def test_fetch_pdf_records_provenance(server: str, tmp_path: Path) -> None:
    original = CORPUS / "ken-cmca-2018" / "law.pdf"
    result = fetch(source(f"{server}/corpus/ken-cmca-2018/law.pdf"), tmp_path)
    assert result.path == tmp_path / "test-law.pdf"
    assert result.path.read_bytes() == original.read_bytes()
    assert result.sha256 == hashlib.sha256(original.read_bytes()).hexdigest()
    assert result.size == original.stat().st_size
    assert result.content_type == "application/pdf"
    assert result.source_id == "test-law" and result.format == "pdf"
    assert result.retrieved_at.tzinfo is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test-law.pdf"]
    assert "Computer Misuse" in read_file(result.path).text


@pytest.mark.parametrize(
    ("source_id", "corpus_file", "fmt"),
    [
        ("phl-ra10175-2012", "phl-ra10175-2012/source.html", "html"),
        ("sen-loi-2008-11", "sen-loi-2008-11/law.pdf", "pdf"),
    ],
)
def test_fetch_registry_sources(
    server: str, tmp_path: Path, source_id: str, corpus_file: str, fmt: str
) -> None:
    result = fetch(local(source_id, f"{server}/corpus/{corpus_file}"), tmp_path)
    assert result.path.name == f"{source_id}.{fmt}"
    assert read_file(result.path).source_format == fmt


def test_fetch_follows_a_redirect_and_records_the_final_url(server: str, tmp_path: Path) -> None:
    result = fetch(source(f"{server}/redirect"), tmp_path)
    assert result.url == f"{server}/corpus/ken-cmca-2018/law.pdf"
    assert result.requested_url == f"{server}/redirect"


def test_fetch_bare_url_names_file_from_url(server: str, tmp_path: Path) -> None:
    result = fetch(f"{server}/corpus/sgp-cma-1993/law.docx", tmp_path)
    assert result.path.name == "law.docx" and result.format == "docx"
    assert result.source_id is None


def test_fetch_without_content_type_relies_on_the_bytes(server: str, tmp_path: Path) -> None:
    assert fetch(source(f"{server}/untyped"), tmp_path).format == "pdf"


def test_refetch_replaces_atomically(server: str, tmp_path: Path) -> None:
    first = fetch(source(f"{server}/corpus/ken-cmca-2018/law.pdf"), tmp_path)
    with pytest.raises(FetchError):
        fetch(source(f"{server}/html-as-pdf"), tmp_path)
    assert first.path.read_bytes() == (CORPUS / "ken-cmca-2018" / "law.pdf").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["test-law.pdf"]


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/corpus/nowhere/law.pdf", {}, "HTTP 404"),
        ("/pdf-as-html", {}, "wrong content type: expected PDF, the server sent text/html"),
        ("/html-as-pdf", {}, "expected PDF but the content is HTML"),
        ("/corpus/ken-cmca-2018/law.pdf", {"max_bytes": 50_000}, "the limit is 49 KB"),
        ("/declared-huge", {}, "download is 954 MB; the limit is 50 MB"),
        ("/slow", {"timeout": 0.3}, "timed out"),
        ("/loop", {}, "too many redirects"),
        ("/to-file", {}, "non-http(s) URL"),
    ],
)
def test_fetch_failures_leave_nothing_behind(
    server: str, tmp_path: Path, path: str, kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(source(f"{server}{path}"), tmp_path, **kwargs)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert f"{server}{path}" in str(caught.value)
    assert caught.value.hint or "redirect" in message or "non-http" in message
    assert_nothing_written(tmp_path)


def test_streaming_cap_stops_an_endless_body(server: str, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=re.escape("more than 1.0 MB; the limit is 1.0 MB")):
        fetch(source(f"{server}/endless", "txt"), tmp_path, max_bytes=MB)
    assert time.monotonic() - started < 5
    assert_nothing_written(tmp_path)


def test_compressed_response_is_capped_after_decoding(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=re.escape("the limit is 1.0 MB")):
        fetch(source(f"{server}/gzip-bomb", "txt"), tmp_path, max_bytes=MB)
    assert_nothing_written(tmp_path)


def test_deadline_stops_a_trickling_server(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=re.escape("longer than 0.5 s")):
        fetch(source(f"{server}/trickle", "txt"), tmp_path, timeout=2, deadline=0.5)
    assert_nothing_written(tmp_path)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "/tmp/law.pdf"])
def test_only_http_urls(tmp_path: Path, url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url, tmp_path)
    with pytest.raises(ValueError, match="not an http"):
        source(url)
