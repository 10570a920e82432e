"""Fuzzing the readers: any bytes under any name give a ReadResult or an IngestError.

Random bytes rarely look like a format, so the strategies also splice random
bytes onto real format headers and mutate small valid synthetic files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures.hostile import FICTIONAL_AKN, law_pdf, zip_bytes
from treatywatch.ingest.model import IngestError, ReadResult
from treatywatch.ingest.readers import read_file

EXTENSIONS = [".pdf", ".docx", ".html", ".txt", ".md", ".xml", ".json", ".bin", ""]
PREFIXES = [
    b"",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"<!DOCTYPE html><html><body>",
    b'<?xml version="1.0"?><akomaNtoso><act><body>',
    b'{"provisions": [',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]
VALID = [
    law_pdf([["Section 1. Fictional text", "conver-", "sion"]], header="Fictional Act"),
    FICTIONAL_AKN.encode(),
    b'{"title": "F", "provisions": [{"section": "1", "content": "Text"}]}',
    b"<html><body><h1>Section 1</h1><p>Fictional text</p></body></html>",
    zip_bytes({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 64))]
        else:
            data[position:position] = draw(st.binary(max_size=32))
        if not data:
            break
    return bytes(data)


inputs = st.one_of(
    st.binary(max_size=2048),
    st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=2048)),
    st.text(max_size=1024).map(lambda t: t.encode("utf-8")),
    mutated(),
)


def check(data: bytes, extension: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{extension}"
        path.write_bytes(data)
        try:
            result = read_file(path)
        except IngestError as exc:
            assert path.name in str(exc)
            return
        assert isinstance(result, ReadResult)
        assert bool(result.lines) != bool(result.units)
        assert all(line.text and line.text == line.text.strip() for line in result.lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs, extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_with_any_extension(data: bytes, extension: str) -> None:
    check(data, extension)
