"""Every bad input from issue 4 gives an IngestError that names the file.

Hostile files are generated in tmp_path at test time (see fixtures/hostile).
"""

from __future__ import annotations

import os
import struct
import time
import zipfile
from pathlib import Path

import pytest

from conftest import SHARED
from fixtures.hostile import (
    BILLION_LAUGHS,
    docx_bytes_with_doctype,
    drawing_only_pdf,
    encrypted_pdf,
    external_entity_xml,
    fictional_docx,
    image_only_pdf,
    law_pdf,
    many_entries_zip,
    rewrite_zip_member,
    zip_bomb,
    zip_bytes,
)
from treatywatch.ingest.model import IngestError
from treatywatch.ingest.readers import read_file
from treatywatch.ingest.readers import word as docx_reader

MB = 1024 * 1024


def refused(path: Path, *fragments: str, **kwargs: object) -> IngestError:
    """Read ``path`` expecting an IngestError naming it and containing ``fragments``."""
    with pytest.raises(IngestError) as caught:
        read_file(path, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert path.name in message, f"the error must name the file: {message}"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert caught.value.hint, "every user-facing error carries a hint"
    return caught.value


# --- PDF ------------------------------------------------------------------------


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    refused(path, "PDF is corrupt or truncated")


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = law_pdf([["Section 1. Fictional text"]] * 3, header="Fictional Act")
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    refused(path, "PDF is corrupt or truncated")


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="real-law corpus not present")
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.99])
def test_truncated_real_pdf(tmp_path: Path, fraction: float) -> None:
    data = (SHARED / "corpus" / "ken-cmca-2018" / "law.pdf").read_bytes()
    path = tmp_path / "ken-cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    refused(path, "corrupt or truncated")


def test_encrypted_pdf(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    data = encrypted_pdf(user_password=b"secret")
    # The fixture is a genuine encrypted PDF: it opens with its password.
    assert (
        "Fictional Act"
        in pdfium.PdfDocument(data, password="secret")[0].get_textpage().get_text_range()
    )
    path = tmp_path / "locked.pdf"
    path.write_bytes(data)
    error = refused(path, "PDF is encrypted (password protected)")
    assert "qpdf" in (error.hint or "")


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "drawing.pdf"
    path.write_bytes(drawing_only_pdf())
    error = refused(path, "PDF has no text layer")
    assert "ocrmypdf" in (error.hint or "")


def test_scanned_pdf(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_only_pdf(pages=3))
    refused(path, "no text layer", "scanned", "3 page(s)")


def test_html_saved_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "download.pdf"
    path.write_text("<!DOCTYPE html><html><body>Session expired</body></html>")
    refused(path, "not a PDF file", "looks like HTML")


# --- DOCX -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .docx whose document.xml inflates to 200 MB of zeros (~200 KB on disk)."""
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx", inflated_mb=200)


def test_zip_bomb_by_ratio(bomb: Path) -> None:
    assert bomb.stat().st_size < 1 * MB
    refused(bomb, "zip bomb", "compresses")


def test_zip_bomb_by_total_size(bomb: Path) -> None:
    refused(bomb, "zip bomb", "would inflate to 200 MB", max_bytes=5 * MB)


def test_zip_bomb_is_refused_before_python_docx_opens_it(
    bomb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("python-docx must not see a zip bomb")

    monkeypatch.setattr(docx_reader.docx, "Document", explode)
    refused(bomb, "zip bomb")


def test_zip_with_too_many_entries(tmp_path: Path) -> None:
    refused(many_entries_zip(tmp_path / "entries.docx"), "zip bomb", "10,002 entries")


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("Section 1. This is plain text pretending to be a DOCX.")
    refused(path, "not a DOCX/zip file")
    with pytest.raises(IngestError, match="not a DOCX/zip file"):
        docx_reader.read(path, max_bytes=MB)


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    path.write_bytes(zip_bytes({"content.xml": b"<office/>"}))
    refused(path, "no word/document.xml")


def test_docx_with_entity_declarations(tmp_path: Path) -> None:
    valid = fictional_docx(tmp_path / "valid.docx")
    path = docx_bytes_with_doctype(valid, tmp_path / "entities.docx")
    refused(path, "declares a DOCTYPE or entities")


def test_corrupt_docx_xml(tmp_path: Path) -> None:
    valid = fictional_docx(tmp_path / "valid.docx")
    path = rewrite_zip_member(valid, tmp_path / "broken.docx", "word/document.xml", b"<w:doc")
    refused(path, "DOCX is corrupt")


def test_truncated_docx(tmp_path: Path) -> None:
    data = fictional_docx(tmp_path / "valid.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    refused(path, "not a DOCX/zip file")


def test_legacy_doc(tmp_path: Path) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    refused(path, "legacy Word .doc")


# --- XML ------------------------------------------------------------------------


def test_billion_laughs(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_bytes(BILLION_LAUGHS)
    refused(path, "DTD or entities")


def test_external_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    path = tmp_path / "xxe.xml"
    path.write_bytes(external_entity_xml(secret))
    error = refused(path, "DTD or entities")
    assert "TOP-SECRET-VALUE" not in str(error)


def test_xml_that_is_not_akoma_ntoso(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?><law><section>1</section></law>')
    refused(path, "not an Akoma Ntoso document", "<law>")


def test_malformed_xml(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("<akomaNtoso><act><body><section></act>")
    refused(path, "not well-formed XML")


# --- HTML -----------------------------------------------------------------------

SCRIPTED = """<!DOCTYPE html><html><head><title>Fictional Act</title>
<script>alert(1)</script><script src="https://evil.example/x.js"></script>
<style>body { background: url(javascript:alert(2)) }</style></head>
<body onload="alert(3)">
<noscript><img src=x onerror="alert(4)"></noscript>
<h1 onclick="alert(5)">Section 1. Short title</h1>
<p onmouseover="alert(6)">This fictional Act <a href="javascript:alert(7)">applies</a>.</p>
<img src="x" onerror="alert(8)"><iframe srcdoc="<script>alert(9)</script>"></iframe>
<svg><script>alert(10)</script></svg><template><script>alert(11)</script></template>
<!-- <script>alert(12)</script> -->
<p>&lt;not markup, just text&gt;</p>
<form action="https://evil.example"><input value="alert(13)"></form>
</body></html>"""


def test_html_scripts_and_event_handlers_never_reach_output(tmp_path: Path) -> None:
    path = tmp_path / "scripted.html"
    path.write_text(SCRIPTED, encoding="utf-8")
    result = read_file(path)
    text = result.text
    for forbidden in ("alert", "script", "onerror", "onclick", "onload", "javascript", "evil"):
        assert forbidden not in text.lower()
    assert [(line.text, line.hint) for line in result.lines] == [
        ("Section 1. Short title", "heading-1"),
        ("This fictional Act applies.", None),
        ("<not markup, just text>", None),  # escaped text stays text; renderers escape it
    ]


def test_html_with_only_scripts(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><script>document.write('law')</script></body></html>")
    refused(path, "no text outside scripts")


def test_deeply_nested_html(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 50_000 + "Deep text" + "</div>" * 50_000)
    result = read_file(path)
    assert result.text  # whatever the parser keeps, nothing crashes


# --- text, JSON, size and file system --------------------------------------------


def test_binary_junk_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(os.urandom(4096))
    refused(path, "not a text file")


def test_binary_junk_without_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "junk2.txt"
    data = bytes(b for b in os.urandom(8192) if b)
    path.write_bytes(bytes(range(1, 32)) * 50 + data)
    refused(path, "not a text file")


def test_elf_binary_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "program.txt"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    refused(path, "not a text file")


def test_huge_file_is_refused_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(600 * MB)  # sparse: no disk used
    started = time.perf_counter()
    error = refused(path, "file is 600 MB; the limit is 50 MB")
    assert time.perf_counter() - started < 1.0, "the size check must not read the file"
    assert "TREATYWATCH_MAX_FILE_MB" in (error.hint or "")


def test_size_limit_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "law.txt"
    path.write_text("Section 1. " + "x" * (2 * MB))
    monkeypatch.setenv("TREATYWATCH_MAX_FILE_MB", "1")
    refused(path, "the limit is 1.0 MB")
    monkeypatch.setenv("TREATYWATCH_MAX_FILE_MB", "3")
    assert read_file(path).lines
    refused(path, "the limit is 1.0 MB", max_bytes=MB)


def test_missing_file(tmp_path: Path) -> None:
    refused(tmp_path / "nowhere.pdf", "file not found")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    refused(folder, "is a directory")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Section 1.")
    path.chmod(0)
    if os.geteuid() != 0:
        refused(path, "permission denied")
        return
    # Root reads any file: fork, drop to an unprivileged user, read, report back.
    tmp_path.chmod(0o755)
    reader_end, writer_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child process
        os.close(reader_end)
        message = "no error"
        try:
            os.setgid(65534)
            os.setuid(65534)
            read_file(path)
        except IngestError as exc:
            message = exc.message
        except BaseException as exc:
            message = f"unexpected {type(exc).__name__}: {exc}"
        os.write(writer_end, message.encode())
        os._exit(0)
    os.close(writer_end)
    with os.fdopen(reader_end) as pipe:
        message = pipe.read()
    os.waitpid(child, 0)
    assert str(path) in message and "permission denied" in message, message


def test_fifo_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    refused(path, "not a regular file")


@pytest.mark.parametrize(
    "name", ["empty.txt", "empty.pdf", "empty.docx", "empty.json", "empty.html"]
)
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    refused(path)


def test_json_of_the_wrong_shape(tmp_path: Path) -> None:
    path = tmp_path / "law.json"
    path.write_text('{"title": "Fictional", "provisions": [{"section": "1"}]}')
    refused(path, "provisions.0.content", "Field required")
    path.write_text('[{"section": "1", "content": "x"}]')
    refused(path, "not a pre-segmented law (the JSON is list)")
    path.write_text('{"provisions": [')
    refused(path, "not valid JSON")


def test_deeply_nested_json(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    refused(path)


def test_zip_member_that_lies_about_its_size(tmp_path: Path) -> None:
    """A central directory that under-reports a member's size cannot inflate it:
    zipfile stops at the declared size and the CRC check then fails."""
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (20 * MB))
    declared = struct.pack("<I", 1000)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    data[info.header_offset + 22 : info.header_offset + 26] = declared  # local header
    central = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02"))
    while data[central + 46 : central + 46 + 17] != b"word/document.xml":
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = declared  # central directory
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1000
    refused(path, "DOCX is corrupt")
