"""Readers on real corpus files (../shared) and on synthetic fictional documents."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import SHARED
from fixtures.hostile import (
    FICTIONAL_AKN,
    encrypted_pdf,
    fictional_docx,
    law_pdf,
    rtl_pdf,
    text_pdf,
)
from treatywatch.ingest import readers
from treatywatch.ingest.model import IngestError, ReadResult
from treatywatch.ingest.readers import (
    DEFAULT_MAX_BYTES,
    detect_format,
    read_file,
    register_reader,
    resolve_max_bytes,
)
from treatywatch.ingest.readers.layout import PAGE_NUMBER
from treatywatch.ingest.readers.rtl import looks_reversed, reorder_line

CORPUS = SHARED / "corpus"
AKN_DOCS = SHARED / "akn" / "docs"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"real-law corpus not present at {CORPUS}"
)
needs_akn = pytest.mark.skipif(
    not AKN_DOCS.is_dir(), reason=f"Akoma Ntoso samples not present at {AKN_DOCS}"
)
FOOTER = re.compile(r"^(Page|Página|Seite) \d+ (of|sur|de|von) \d+$")


def words(text: str) -> list[str]:
    """Words as readers store them: NFC, soft hyphens (invisible) dropped.

    Hyphens are ignored too: where a PDF line ends in "non-" the reader cannot
    know whether the source had "non-members" or "non\u00admembers".
    """
    text = unicodedata.normalize("NFC", text.replace("\u00ad", "").replace("-", ""))
    return text.split()


def stored(line: str) -> str:
    """A line as readers store it: NFC, no soft hyphens, single spaces."""
    return " ".join(unicodedata.normalize("NFC", line.replace("\u00ad", "")).split())


def corpus_files(name: str) -> list[Path]:
    return sorted(CORPUS.glob(f"*/{name}")) if CORPUS.is_dir() else []


def ids(paths: list[Path]) -> list[str]:
    return [p.parent.name for p in paths]


def assert_one_kind(result: ReadResult) -> None:
    assert bool(result.lines) != bool(result.units), "exactly one of lines/units is filled"


# --- PDF ------------------------------------------------------------------------


@pytest.mark.corpus
@needs_corpus
def test_kenya_pdf_text_without_page_furniture() -> None:
    result = read_file(CORPUS / "ken-cmca-2018" / "law.pdf")
    assert result.source_format == "pdf"
    assert "Computer Misuse" in result.text
    texts = [line.text for line in result.lines]
    assert not [t for t in texts if re.fullmatch(r"Page \d+ of \d+", t)]
    assert "Kenya — Computer Misuse and Cybercrimes Act, 2018" not in texts  # running header
    assert texts[:3] == ["COMPUTER MISUSE AND CYBERCRIMES ACT 2018", "Part I", "1. Short title"]
    assert result.lines[0].page == 1
    assert result.lines[-1].page == result.metadata["pages"] == 29
    assert result.metadata["furniture_lines_removed"] == 2 * 29


@pytest.mark.corpus
@pytest.mark.parametrize("pdf", corpus_files("law.pdf"), ids=ids(corpus_files("law.pdf")))
def test_corpus_pdfs_keep_every_text_line_of_the_txt_rendering(pdf: Path) -> None:
    """The PDF and TXT renderings hold the same words; only layout differs."""
    result = read_file(pdf)
    assert_one_kind(result)
    texts = [line.text for line in result.lines]
    assert not [t for t in texts if FOOTER.match(t)], "page-number footers must be removed"
    header = result.metadata["subject"]
    assert header not in texts, "the running header must be removed"
    txt = (pdf.parent / "law.txt").read_text(encoding="utf-8")
    assert words(result.text) == words(txt)


@pytest.mark.corpus
@needs_corpus
def test_senegal_headings_at_page_tops_are_not_mistaken_for_running_headers() -> None:
    texts = [line.text for line in read_file(CORPUS / "sen-loi-2008-11" / "law.pdf").lines]
    for label in ("Article 431-23", "Article 431-29", "Article 677-38"):
        assert label in texts


def test_synthetic_pdf_furniture_and_hyphenation(tmp_path: Path) -> None:
    pages = [
        ["Section 1. Short title", "This fictional Act governs the conver-", "sion of data."],
        ["Provided that the choses-", "in-action remain.", "Section 2. Anti-", "Money rules"],
        ["Section 3. Data", "The self-executing rule is self-", "executing."],
    ]
    path = tmp_path / "fictional.pdf"
    path.write_bytes(law_pdf(pages, header="Fictional Data Act 2099 (fictional)", footer="- {n} -"))
    result = read_file(path)
    texts = [line.text for line in result.lines]
    assert "Fictional Data Act 2099 (fictional)" not in texts
    assert not [t for t in texts if re.fullmatch(r"- \d -", t)]
    assert "This fictional Act governs the conversion" in texts
    assert "of data." in texts
    assert "Provided that the choses-in-action" in texts  # fragment carries a hyphen
    assert "Section 2. Anti-" in texts  # upper-case continuation: not a broken word
    assert "The self-executing rule is self-executing." in texts  # hyphenated elsewhere
    assert [line.page for line in result.lines if line.text == "of data."] == [1]
    assert result.metadata["hyphenations_joined"] == 3


def test_pdf_repeated_body_line_at_varying_height_is_kept(tmp_path: Path) -> None:
    """ "Provided that—" opening many lines is content, not a running header."""
    pages = []
    for n in range(5):
        body = [(72.0, 770.0 - 14 * i, f"Line {i} of body text on page {n}") for i in range(n)]
        body.append((72.0, 700.0 - 30 * n, "Provided that—"))
        pages.append(body)
    path = tmp_path / "provisos.pdf"
    path.write_bytes(text_pdf([[(x, y, t.replace("—", "-")) for x, y, t in p] for p in pages]))
    texts = [line.text for line in read_file(path).lines]
    assert texts.count("Provided that-") == 5


@pytest.mark.parametrize(
    "text",
    ["12", "Page 3 of 9", "Page 3 sur 9", "- 4 -", "Página 2 de 5", "Seite 1 von 3", "3/9", "xii"],
)
def test_page_number_shapes(text: str) -> None:
    assert PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["(a) the Authority;", "1. Short title", "Section 12", "(iv)"])
def test_provision_lines_are_not_page_numbers(text: str) -> None:
    assert not PAGE_NUMBER.match(text)


# Colons and dashes next to numbers are left out: PDFium's own bidi pass attaches
# them to the number ("المادة :1"), a known limitation documented in readers/rtl.py.
ARABIC = [
    "المادة 1 يقصد بالنظام المعلوماتي كل جهاز",
    "المادة 2 يعاقب بالحبس مدة سنة وبغرامة 5000 دينار",
    "كل من دخل عمدا إلى النظام المعلوماتي بموجب القانون رقم 12/2099",
]


@pytest.mark.parametrize("visual_order", [True, False], ids=["bidi-aware", "naive-producer"])
def test_arabic_pdf_reads_in_logical_order(tmp_path: Path, visual_order: bool) -> None:
    path = tmp_path / "arabic.pdf"
    path.write_bytes(rtl_pdf(ARABIC, visual_order=visual_order))
    result = read_file(path)
    assert [line.text for line in result.lines] == ARABIC
    assert result.metadata.get("rtl_reordered", False) is not visual_order


def test_rtl_reordering_is_self_inverse_and_detects_reversal() -> None:
    reversed_lines = [reorder_line(line) for line in ARABIC]
    assert reversed_lines[0].startswith("زاهج")  # last word first, letters reversed
    assert [reorder_line(line) for line in reversed_lines] == ARABIC
    assert looks_reversed(reversed_lines)
    assert not looks_reversed(ARABIC)


# --- DOCX -----------------------------------------------------------------------


def test_docx_hints_skip_header_footer_and_keep_tables(tmp_path: Path) -> None:
    result = read_file(fictional_docx(tmp_path / "act.docx"))
    pairs = [(line.text, line.hint) for line in result.lines]
    assert pairs[:4] == [
        ("FICTIONAL DATA ACT 2099", "heading-1"),
        ("Part I - Preliminary", "heading-2"),
        ("1. Short title", "bold"),
        ("This Act may be cited as the Fictional Data Act.", None),
    ]
    assert ("2. Interpretation In this Act, unless the context otherwise requires,", None) in pairs
    assert ("(a) \u201cdata\u201d means anything stored;", None) in pairs
    assert ("line after a break", None) in pairs
    assert ("Offence", None) in pairs and ("Penalty", None) in pairs
    assert ("Partie II \u2013 Dispositions p\u00e9nales", "heading-3") in pairs
    assert "RUNNING HEADER" not in result.text and "Footer text" not in result.text


@pytest.mark.corpus
@pytest.mark.parametrize("docx", corpus_files("law.docx"), ids=ids(corpus_files("law.docx")))
def test_corpus_docx_matches_txt_and_marks_headings(docx: Path) -> None:
    result = read_file(docx)
    assert result.source_format == "docx"
    assert result.lines[0].hint == "heading-1"
    txt = (docx.parent / "law.txt").read_text(encoding="utf-8")
    assert words(result.text) == words(txt)
    expected = json.loads((docx.parent / "expected.json").read_text(encoding="utf-8"))
    if docx.parent.name != "chl-ley21459-2022":  # Chile bolds only the "Artículo N°.-" lead
        bold = [line for line in result.lines if line.hint == "bold"]
        assert len(bold) == len(expected["units"])


# --- HTML -----------------------------------------------------------------------


@pytest.mark.corpus
@needs_corpus
def test_lawphil_html_keeps_law_text_and_drops_scripts() -> None:
    path = CORPUS / "phl-ra10175-2012" / "source.html"
    result = read_file(path)
    assert result.source_format == "html"
    assert result.title == "Republic Act No. 10175"
    assert result.metadata["encoding"] == "utf-8"  # declared windows-1252, but is UTF-8
    text = result.text
    assert "Section 4. Cybercrime Offenses." in text
    assert "Cybercrime Prevention Act of 2012" in text
    assert "<" not in text and "gcse" not in text.lower() and "jquery" not in text.lower()
    assert ("CHAPTER I", "bold") in [(line.text, line.hint) for line in result.lines]


def test_html_headings_blocks_and_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "act.html"
    path.write_text(
        """<!DOCTYPE html><html><head><title>Fictional Act</title>
        <style>p { color: red }</style></head><body>
        <header><nav><a href="/">Home</a> | <a href="/laws">Laws</a></nav></header>
        <div class="breadcrumb">Home &gt; Laws</div>
        <main><article>
          <header><h1>Fictional Data Act 2099</h1></header>
          <h2>Part I &mdash; Preliminary</h2>
          <p><b>Section 1.</b> Short title.<br>This Act is fictional.</p>
          <ul><li>(a) first item</li><li>(b) <strong>second</strong> item</li></ul>
          <table><tr><td>Offence</td><td>Penalty</td></tr></table>
          <pre>  preformatted
  text</pre>
        </article></main>
        <aside>Related laws</aside><footer>&copy; Fictional Portal</footer>
        </body></html>""",
        encoding="utf-8",
    )
    result = read_file(path)
    assert [(line.text, line.hint) for line in result.lines] == [
        ("Fictional Data Act 2099", "heading-1"),
        ("Part I — Preliminary", "heading-2"),
        ("Section 1. Short title.", None),
        ("This Act is fictional.", None),
        ("(a) first item", None),
        ("(b) second item", None),
        ("Offence", None),
        ("Penalty", None),
        ("preformatted", None),
        ("text", None),
    ]
    assert result.title == "Fictional Act"


# --- plain text and Markdown -----------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("txt", corpus_files("law.txt"), ids=ids(corpus_files("law.txt")))
def test_corpus_txt(txt: Path) -> None:
    result = read_file(txt)
    assert result.source_format == "txt"
    assert result.metadata["encoding"] == "utf-8"
    expected = [stored(line) for line in txt.read_text(encoding="utf-8").splitlines()]
    assert [line.text for line in result.lines] == [e for e in expected if e]


FRENCH = (
    "Article 1er – Définitions. Au sens de la présente loi fictive, on entend par "
    "« système informatique » tout dispositif. L’accès frauduleux est puni d’une amende "
    "de 5 000 €. L’œuvre de l’État est protégée.\n"
)
SPANISH = "Artículo 5º. El que acceda ilícitamente a un sistema será sancionado. Ley ficticia.\n"
RUSSIAN = (
    "Статья 272. Неправомерный доступ к компьютерной информации. Неправомерный доступ к "
    "охраняемой законом информации наказывается штрафом в размере до двухсот тысяч рублей.\n"
)
ARABIC_TEXT = (
    "المادة 1: يقصد بالنظام المعلوماتي في تطبيق هذا القانون الخيالي كل جهاز أو مجموعة أجهزة. "
    "يعاقب بالحبس كل من دخل عمدا إلى نظام معلوماتي دون وجه حق.\n"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (FRENCH * 3, "utf-16"),
        (FRENCH * 3, "utf-16-le"),  # no BOM
        (FRENCH * 3, "utf-8-sig"),
        (FRENCH * 3, "cp1252"),
        (SPANISH * 3, "latin-1"),
        (RUSSIAN * 3, "koi8-r"),
        (RUSSIAN * 3, "cp1251"),
        (ARABIC_TEXT * 3, "cp1256"),
    ],
)
def test_text_encodings_are_detected(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "law.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    result = read_file(path)
    assert result.text == text.strip()
    assert all("\r" not in line.text for line in result.lines)


def test_text_is_nfc_normalised(tmp_path: Path) -> None:
    path = tmp_path / "nfd.txt"
    path.write_text("Article 1er. Me\u0301decin de\u0301fini.\n", encoding="utf-8")
    assert read_file(path).text == "Article 1er. M\u00e9decin d\u00e9fini."


def test_text_with_form_feeds_gets_pages_and_loses_footers(tmp_path: Path) -> None:
    """pdftotext output: pages separated by form feeds, each with header and page number."""

    def body(n: int) -> list[str]:
        return [f"Body line {i} on page {n} of the fictional act." for i in range(8)]

    pages = [
        "\n".join(["FICTIONAL ACT 2099", f"Section {n}. Heading", *body(n), str(n)])
        for n in (1, 2, 3)
    ]
    path = tmp_path / "pdftotext-output.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    result = read_file(path)
    assert [line.text for line in result.lines if line.page == 2] == [
        "Section 2. Heading",
        *body(2),
    ]
    assert result.metadata["furniture_lines_removed"] == 6


@pytest.mark.corpus
@needs_corpus
def test_budapest_markdown_headings() -> None:
    result = read_file(CORPUS / "budapest-ets185" / "source.md")
    assert result.metadata["markup"] == "markdown"
    headings = [line.text for line in result.lines if line.hint == "heading-3"]
    assert "Article 1" in headings and "Article 48" in headings
    assert not any(line.text.startswith(("<meta", "#")) for line in result.lines)
    assert "](" not in result.text  # links reduced to their text


# --- Akoma Ntoso -----------------------------------------------------------------


def test_fictional_akn_units(tmp_path: Path) -> None:
    path = tmp_path / "act.xml"
    path.write_text(FICTIONAL_AKN, encoding="utf-8")
    result = read_file(path)
    assert result.source_format == "akn"
    assert result.title == "Fictional Cyber Act, 2099"
    assert result.metadata["language"] == "eng"
    assert [(u.label, u.title, u.container, u.unit) for u in result.units] == [
        ("1", "Short title", "PART I - PRELIMINARY", "section"),
        ("2", "Interpretation", "PART I - PRELIMINARY", "section"),
        ("46A", "Unauthorised access", "CHAPTER 2 - OFFENCES > Part A - Access", "section"),
        ("1", "Forms", None, "schedule"),
    ]
    assert result.units[1].content == (
        '(1) In this Act—\n(a) "data" means data;\n(2) Second subsection.'
    )
    assert "Quoted text." in result.units[2].content  # quoted sections are content
    assert "Page 12" not in result.text  # editorial page marker


@pytest.mark.corpus
@needs_akn
@pytest.mark.parametrize(
    ("name", "count", "first_labels"),
    [
        ("uk-data-protection-act-1998.xml", 111, ["1", "2", "3"]),
        ("tz-constitution-1977-swa.xml", 155, ["1", "2", "3"]),
        ("us-americas-cup-act-2011.xml", 6, ["1", "2", "3"]),
        ("scot-ssi-2017-102-planning-eia-regs.xml", 66, ["1", "2", "3"]),
        ("scot-budget-act-2017.xml", 14, ["1", "2", "3"]),
        ("scot-ssi-2017-126-mental-health-commencement.xml", 3, ["1", "2", "SCHEDULE"]),
    ],
)
def test_real_akn_documents(name: str, count: int, first_labels: list[str]) -> None:
    result = read_file(AKN_DOCS / name)
    assert len(result.units) == count
    assert [u.label for u in result.units[:3]] == first_labels
    assert all(u.content or u.unit == "schedule" for u in result.units)
    assert all(re.fullmatch(r"[0-9]+[A-Z]*|SCHEDULE", u.label) for u in result.units)


@pytest.mark.corpus
@needs_akn
def test_uk_akn_subsections_are_numbered_as_printed() -> None:
    units = read_file(AKN_DOCS / "uk-data-protection-act-1998.xml").units
    section_1 = units[0]
    assert section_1.title == "Basic interpretative provisions."
    assert section_1.container == "Part I - Preliminary"
    assert section_1.content.startswith("(1) In this Act, unless the context otherwise requires—")
    assert "\n(a) is being processed" in section_1.content
    assert any(u.label == "9A" for u in units)


# --- pre-segmented JSON ----------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("src", corpus_files("source.json"), ids=ids(corpus_files("source.json")))
def test_corpus_json_units_match_expected(src: Path) -> None:
    result = read_file(src)
    expected = json.loads((src.parent / "expected.json").read_text(encoding="utf-8"))["units"]
    assert [u.label for u in result.units] == [e["label"] for e in expected]
    assert [u.container for u in result.units] == [e["container"] for e in expected]
    if src.parent.name != "chl-ley21459-2022":  # Chile's JSON titles only repeat the number
        assert [u.title or "" for u in result.units] == [e["title"] for e in expected]
    assert all(u.content for u in result.units)


def test_json_numbers_and_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "law.json"
    path.write_text(
        json.dumps(
            {
                "title": "Fictional Act",
                "provisions": [
                    {
                        "section": 1,
                        "title": "Section 1. Short title",
                        "content": "Text.\r\n\r\nMore",
                    },
                    {"section": "2A", "content": "Other.", "chapter": ""},
                ],
            }
        ),
        encoding="utf-8",
    )
    result = read_file(path)
    assert [(u.label, u.title, u.container, u.content) for u in result.units] == [
        ("1", "Short title", None, "Text.\nMore"),
        ("2A", None, None, "Other."),
    ]


# --- dispatch, registry, limits ---------------------------------------------------


def test_content_wins_over_a_misleading_extension(tmp_path: Path) -> None:
    path = tmp_path / "law.txt"
    path.write_bytes(law_pdf([["Section 1. Text"]], header="Fictional"))
    fmt, warnings = detect_format(path)  # .txt never hides a PDF
    assert fmt == "pdf" and warnings == ["law.txt has .txt extension but is a PDF; read as pdf"]
    result = read_file(path)
    assert result.source_format == "pdf"
    html = tmp_path / "page.xml"
    html.write_text("<!DOCTYPE html><html><body><p>Hello law</p></body></html>")
    fmt, warnings = detect_format(html)
    assert fmt == "html" and "page.xml" in warnings[0]


def test_format_parameter_and_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_text("Section 1. Text", encoding="utf-8")
    assert read_file(path, format="txt").lines[0].text == "Section 1. Text"
    with pytest.raises(IngestError, match="unknown format 'pfd'") as caught:
        read_file(path, format="pfd")
    assert caught.value.hint is not None and "'pdf'" in caught.value.hint


def test_registry_takes_new_readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "READERS", dict(readers.READERS))
    monkeypatch.setattr(readers, "EXTENSIONS", dict(readers.EXTENSIONS))

    def shout(path: Path, *, max_bytes: int) -> ReadResult:
        result = readers.READERS["txt"](path, max_bytes=max_bytes)
        result.source_format = "shout"
        return result

    register_reader("shout", shout, "shout")
    path = tmp_path / "law.shout"
    path.write_text("hello", encoding="utf-8")
    assert read_file(path).source_format == "shout"
    assert read_file(tmp_path / "law.shout", format="txt").source_format == "txt"


def test_size_limit_from_env_and_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TREATYWATCH_MAX_FILE_MB", raising=False)
    assert resolve_max_bytes() == DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    monkeypatch.setenv("TREATYWATCH_MAX_FILE_MB", "700")
    assert resolve_max_bytes() == 700 * 1024 * 1024
    assert resolve_max_bytes(1234) == 1234
    monkeypatch.setenv("TREATYWATCH_MAX_FILE_MB", "lots")
    with pytest.raises(IngestError, match="TREATYWATCH_MAX_FILE_MB"):
        resolve_max_bytes()


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    """Permissions-only encryption (empty user password) does not stop reading."""
    path = tmp_path / "permissions.pdf"
    path.write_bytes(encrypted_pdf(user_password=b""))
    assert read_file(path).text == "Fictional Act, Section 1. Short title"
