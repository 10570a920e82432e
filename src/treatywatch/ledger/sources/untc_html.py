"""A UNTC status page saved as HTML (the ``ViewDetails.aspx`` page).

The page holds the same participant table as the XML; we take the first
table whose header starts with "Participant". The treaty comes from the
page's own ``mtdsg_no=`` links, or from ``--instrument`` when the saved page
lost them.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html  # type: ignore[import-untyped,unused-ignore]
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from treatywatch.ledger.sources.base import (
    LedgerImportError,
    Skip,
    SourceBatch,
    file_sha256,
    resolve_untc_instrument,
)
from treatywatch.ledger.sources.untc_table import date_column, row_facts

_MTDSG_NO = re.compile(r"mtdsg_no=([IVXL]+-\d+(?:-[a-z])?)", re.I)


def _cells(row: lxml.html.HtmlElement) -> list[str]:
    out = []
    for cell in row.xpath("./th|./td"):
        # keep <sup> footnotes visible as superscript markup, like the XML
        for sup in cell.xpath(".//sup"):
            sup.text = f"<superscript>{sup.text_content()}</superscript>"
            for child in list(sup):
                sup.remove(child)
        out.append(" ".join(cell.text_content().split()))
    return out


def read_untc_html(path: Path, data: bytes, *, expected: str | None = None) -> SourceBatch:
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True)
    try:
        doc = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise LedgerImportError(path, f"cannot read the HTML: {exc}") from None
    found = _MTDSG_NO.search(data.decode("latin-1"))
    instrument, number = resolve_untc_instrument(
        path,
        found.group(1) if found else None,
        expected,
        found_in="this page is the status of",
        unknown="the page does not say which treaty it is (no mtdsg_no= link)",
        unknown_hint="pass --instrument, e.g. --instrument uncc",
    )
    table = None
    for candidate in doc.xpath("//table"):
        rows = candidate.xpath(".//tr")
        if rows and (_cells(rows[0]) or [""])[0].lower().startswith("participant"):
            table = candidate
            break
    if table is None:
        raise LedgerImportError(
            path,
            "no participant table (a table whose first header cell is 'Participant')",
            hint="save the treaty's status page from treaties.un.org with its table",
        )
    rows = table.xpath(".//tr")
    header = _cells(rows[0])
    columns = [date_column(h) for h in header[1:]]
    batch = SourceBatch(
        path=path,
        format="untc-html",
        sha256=file_sha256(data),
        source_key=f"untc-html:{number}",
        instrument=instrument,
    )
    for index, row in enumerate(rows[1:], start=1):
        cells = _cells(row)
        if not cells or not cells[0]:
            continue
        facts, problems = row_facts(f"table row {index}", cells, columns)
        batch.skipped.extend(Skip(f"table row {index}", p) for p in problems)
        batch.facts.extend(facts)
    return batch
