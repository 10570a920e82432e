"""UN Treaty Collection status files in the MTDSG XML format.

The UN publishes one XML file per treaty deposited with the
Secretary-General (root ``Document/Treaty``; participants at
``Participants/Table/TGroup/Tbody/Rows/Row``, three ``Entry`` cells).
Real files are not always well-formed: declared iso-8859-1, raw control
characters (Windows smart quotes with their high byte lost), bare ``&``,
footnote markup escaped inside names. Parsing is therefore defensive and
safe: any DOCTYPE is removed and entity declarations are refused before
parsing (defusedxml rules), the strict defusedxml parser is tried first, and
only a file it rejects is read by lxml in recovery mode with entity
resolution and network access off, with a warning saying so.
"""

from __future__ import annotations

import html.entities
import re
import xml.etree.ElementTree as StdET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped,unused-ignore]
from defusedxml import DefusedXmlException  # type: ignore[import-untyped,unused-ignore]
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from treatywatch.ledger import instruments
from treatywatch.ledger.events import (
    DateError,
    FuzzyDate,
    InstrumentFact,
    SourceFact,
    parse_date,
)
from treatywatch.ledger.names import clean_name, strip_markup
from treatywatch.ledger.sources.base import LedgerImportError, Skip, SourceBatch, file_sha256
from treatywatch.ledger.sources.untc_table import date_column, row_facts

Element = Any  # xml.etree or lxml element; both offer find/findall/iter/itertext

_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.S)
_ENCODING = re.compile(rb"encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_DOCTYPE = re.compile(r"<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>", re.S | re.I)
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9._-]*|#\d+|#x[0-9A-Fa-f]+);)")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
# C0 controls seen in real files are Unicode punctuation U+20xx with the
# high byte lost (0x1c/0x1d = “ ”, 0x18/0x19 = ‘ ’, 0x13 = –).
_CONTROL_MAP = {0x13: "\u2013", 0x14: "\u2014", 0x18: "\u2018", 0x19: "\u2019"}
_CONTROL_MAP |= {0x1C: "\u201c", 0x1D: "\u201d"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_RIGHT = re.compile(r"<right>(.*?)</right>", re.S | re.I)
_CONCLUSION_DATE = re.compile(r"(\d{1,2}\s+[A-Za-z]+\s+\d{4})")


def _decode(path: Path, data: bytes, warnings: list[str]) -> str:
    declared = _DECLARATION.match(data)
    encoding = "utf-8"
    if declared:
        found = _ENCODING.search(declared.group(0))
        if found:
            encoding = found.group(1).decode("ascii").lower()
        data = data[declared.end() :]
    try:
        return data.decode(encoding)
    except LookupError:
        warnings.append(f"unknown declared encoding {encoding!r}; read as Latin-1")
    except UnicodeDecodeError:
        warnings.append(f"bytes that are not valid {encoding}; read as Latin-1")
    return data.decode("latin-1")


def _sanitise(path: Path, text: str, warnings: list[str]) -> str:
    """Remove what a safe parser must not see and repair what recovery would drop."""
    if _DOCTYPE.search(text):
        text = _DOCTYPE.sub("", text)
        warnings.append("removed a DOCTYPE declaration (DTDs and entities are never processed)")
    if "<!ENTITY" in text.upper():
        raise LedgerImportError(
            path,
            "declares XML entities outside a DOCTYPE",
            hint="entity declarations are refused for safety; this is not a UNTC status file",
        )
    controls = _CONTROL.findall(text)
    if controls:
        text = _CONTROL.sub(lambda m: _CONTROL_MAP.get(ord(m.group(0)), ""), text)
        warnings.append(f"replaced {len(controls)} raw control characters")

    def entity(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        point = html.entities.name2codepoint.get(name)
        return chr(point) if point else f"&amp;{name};"

    text = _NAMED_ENTITY.sub(entity, text)
    bare = len(_BARE_AMP.findall(text))
    if bare:
        text = _BARE_AMP.sub("&amp;", text)
        warnings.append(f"escaped {bare} bare '&' characters")
    return text


def parse_xml(path: Path, data: bytes, warnings: list[str]) -> Element:
    """A safe parse: strict defusedxml first, lxml recovery (no entities, no network) second."""
    text = _sanitise(path, _decode(path, data, warnings), warnings)
    try:
        return SafeET.fromstring(text)
    except DefusedXmlException as exc:  # pragma: no cover - DTD/entities are removed above
        raise LedgerImportError(path, f"unsafe XML refused: {exc}") from None
    except StdET.ParseError as exc:
        strict_error = str(exc)
    parser = etree.XMLParser(
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise LedgerImportError(
            path, f"malformed XML that cannot be recovered: {exc}", hint="re-download the file"
        ) from None
    if root is None:
        raise LedgerImportError(
            path, f"malformed XML that cannot be recovered ({strict_error})", hint="re-download"
        )
    warnings.append(f"not well-formed XML ({strict_error}); read in recovery mode")
    return root


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _first(root: Element, paths: Iterable[str]) -> Element | None:
    for path in paths:
        found = root.find(path)
        if found is not None:
            return found
    return None


def mtdsg_number(path: Path, header: Element) -> str:
    chapter = _text(header.find("Chapter/Header"))
    match = re.search(r"\b([IVXL]+)\b", chapter)
    number = _text(header.find("ExternalData/Numsect"))
    sub = _text(header.find("ExternalData/Subnumsect"))
    if not match or not number.isdigit():
        raise LedgerImportError(
            path,
            "the header names no chapter and treaty number (Chapter/Header, Numsect)",
            hint="pass --instrument to say which treaty this file describes",
        )
    return f"{match.group(1)}-{number}" + (f"-{sub}" if sub else "")


def _conclusion_date(header: Element) -> FuzzyDate | None:
    text = _text(header.find("ExternalData/Conclusion"))
    match = _CONCLUSION_DATE.search(text)
    if not match:
        return None
    try:
        return parse_date(match.group(1))
    except DateError:
        return None


def _paragraphs(element: Element) -> list[tuple[str, str]]:
    """(type, text) for each ``text`` child, markup removed."""
    out = []
    for child in element.findall("text"):
        raw = "".join(child.itertext())
        out.append((child.get("type") or "", raw))
    return out


def _statement_type(title: str) -> str:
    low = title.lower()
    if "objection" in low:
        return "objection"
    if "reservation" in low:
        return "reservation"
    if "notification" in low:
        return "notification"
    return "declaration"


def _dated(raw: str) -> FuzzyDate | None:
    match = _RIGHT.search(raw)
    if not match:
        return None
    try:
        return parse_date(strip_markup(match.group(1)))
    except DateError:
        return None


def read_mtdsg(path: Path, data: bytes, *, expected: str | None = None) -> SourceBatch:
    warnings: list[str] = []
    root = parse_xml(path, data, warnings)
    if root.tag != "Document" or root.find("Treaty") is None:
        raise LedgerImportError(
            path,
            f"not a UN Treaty Collection status file (root <{root.tag}>, expected Document/Treaty)",
            hint="export the treaty's status page as MTDSG XML from treaties.un.org",
        )
    treaty = root.find("Treaty")
    header = treaty.find("Header")
    if header is None:
        raise LedgerImportError(path, "no Treaty/Header element")
    number = mtdsg_number(path, header)
    title = _text(_first(header, ["ExternalData/Titlesect", "ExternalData/Subtitlesect"]))
    adopted = _conclusion_date(header)
    instrument = instruments.for_mtdsg(number, title or None, adopted.value if adopted else None)
    if expected and expected != instrument.id:
        raise LedgerImportError(
            path,
            f"this file is the status of {number} ({instrument.id}), not {expected!r}",
            hint=f"drop --instrument or pass --instrument {instrument.id}",
        )
    batch = SourceBatch(
        path=path,
        format="untc-mtdsg-xml",
        sha256=file_sha256(data),
        source_key=f"untc-mtdsg:{number}",
        instrument=instrument,
        warnings=warnings,
    )
    batch.metadata = {
        "mtdsg": number,
        "title": title,
        "conclusion": _text(header.find("ExternalData/Conclusion")),
        "entry_into_force_text": _text(header.find("ExternalData/EIF/Labeltext"))[:300],
        "signatories": _text(header.find("ExternalData/Status/Signatories")) or None,
        "parties": _text(header.find("ExternalData/Status/Parties")) or None,
    }
    _header_facts(batch, instrument.id)
    _read_participants(treaty, batch)
    consent, signed = _dates_by_participant(batch.facts)
    _read_statements(treaty, batch, consent, signed)
    batch.facts = _merge_statements(batch.facts)
    if not any(f.event for f in batch.facts):
        batch.warnings.append(
            "the file has no participant rows (UNTC publishes only header counts for some "
            f"treaties): signatories {batch.metadata['signatories']}, "
            f"parties {batch.metadata['parties']}"
        )
    return batch


def _header_facts(batch: SourceBatch, instrument_id: str) -> None:
    """The header's entry-into-force date and counts, as facts about the instrument."""
    text = batch.metadata["entry_into_force_text"]
    match = re.match(r"\s*(\d{1,2}\s+[A-Za-z]+\s+\d{4})", text)
    if match:
        try:
            when = parse_date(match.group(1))
        except DateError:
            batch.warnings.append(f"cannot read the entry-into-force date in {text[:60]!r}")
        else:
            batch.instrument_facts.append(
                InstrumentFact(
                    row="header",
                    instrument=instrument_id,
                    event="entry-into-force",
                    date=when,
                    details={"text": text},
                    note="as stated in the UNTC status file header",
                )
            )
    counts: dict[str, object] = {
        key: int(value)
        for key in ("signatories", "parties")
        if (value := batch.metadata[key]) and str(value).isdigit()
    }
    if counts:
        batch.instrument_facts.append(
            InstrumentFact(
                row="header",
                instrument=instrument_id,
                event="status-count",
                date=FuzzyDate(None, "unknown"),
                details=counts,
                note="header counts of the UNTC status file (as of its retrieval)",
            )
        )


def _read_participants(treaty: Element, batch: SourceBatch) -> None:
    group = treaty.find("Participants/Table/TGroup")
    if group is None:
        return
    head = [_raw_cell(e) for e in group.findall("Thead/Row/Entry")]
    columns = [date_column(h) for h in head[1:]] if head else []
    rows = group.findall("Tbody/Rows/Row")
    if rows and not columns:
        batch.warnings.append("participant table without a header row; assumed signature/consent")
        columns = [date_column("Signature"), date_column("Ratification")]
    for number, row in enumerate(rows, start=1):
        cells = [_raw_cell(e) for e in row.findall("Entry")]
        label = f"participant row {number}"
        if not cells or not clean_name(cells[0]):
            batch.skipped.append(Skip(label, "row without a participant name"))
            continue
        facts, problems = row_facts(label, cells, columns)
        for problem in problems:
            batch.skipped.append(Skip(label, problem))
        batch.facts.extend(facts)


def _raw_cell(entry: Element) -> str:
    """Cell text with escaped footnote markup kept (``<superscript>`` is data here)."""
    return "".join(entry.itertext())


def _dates_by_participant(
    facts: list[SourceFact],
) -> tuple[dict[str, FuzzyDate], dict[str, FuzzyDate]]:
    consent: dict[str, FuzzyDate] = {}
    signed: dict[str, FuzzyDate] = {}
    for fact in facts:
        key = clean_name(fact.participant)
        if fact.event == "signature":
            signed.setdefault(key, fact.date)
        else:
            consent.setdefault(key, fact.date)
    return consent, signed


def _read_statements(
    treaty: Element,
    batch: SourceBatch,
    consent: dict[str, FuzzyDate],
    signed: dict[str, FuzzyDate],
) -> None:
    """Declarations, reservations, objections and notifications, one event per type."""
    sections = (
        ("Declarations/Declaration", "declaration"),
        ("Objections/Objection", "objection"),
        ("Notifications/Notification", "notification"),
    )
    for path, default in sections:
        section_title = ""
        parent = treaty.find(path.split("/")[0])
        if parent is not None:
            section_title = " ".join(_text(t) for t in parent.findall("Title"))
        for number, item in enumerate(treaty.findall(path), start=1):
            participant = clean_name(_text(item.find("Participant")))
            label = f"{path.split('/')[1].lower()} {number}"
            if not participant:
                batch.skipped.append(Skip(label, "statement without a participant name"))
                continue
            _statement_facts(
                batch, item, participant, label, default, section_title, consent, signed
            )


def _statement_facts(
    batch: SourceBatch,
    item: Element,
    participant: str,
    label: str,
    default: str,
    section_title: str,
    consent: dict[str, FuzzyDate],
    signed: dict[str, FuzzyDate],
) -> None:
    groups: dict[str, list[str]] = {}
    current = default
    explicit: FuzzyDate | None = None
    upon_signature = False
    for kind, raw in _paragraphs(item):
        explicit = explicit or _dated(raw)
        text = " ".join(strip_markup(_RIGHT.sub("", raw)).split())
        if kind == "title" and default == "declaration":
            current = _statement_type(text)
            upon_signature = upon_signature or "upon signature" in text.lower()
            continue
        if text:
            groups.setdefault(current, []).append(text)
    if not groups and explicit is None:
        return
    if explicit is not None:
        when, how = explicit, "date given with the statement"
    elif upon_signature and participant in signed:
        when, how = signed[participant], "made upon signature (date of signature)"
    elif participant in consent:
        when, how = consent[participant], "date of the instrument of consent (section heading)"
    elif participant in signed:
        when, how = signed[participant], "date of signature (no instrument of consent listed)"
    else:
        when, how = FuzzyDate(None, "unknown"), "no date in the source"
    for event, paragraphs in (groups or {default: []}).items():
        keep_text = event != "notification"  # notifications carry officials' contact details
        note = how + ("; text not stored (contact details)" if not keep_text and paragraphs else "")
        if section_title and event == "notification":
            note = f"{section_title.split('(')[0].strip()}; {note}"
        batch.facts.append(
            SourceFact(
                row=label,
                participant=participant,
                event=event,
                date=when,
                text="\n".join(paragraphs) if keep_text and paragraphs else None,
                note=note,
            )
        )


def _merge_statements(facts: list[SourceFact]) -> list[SourceFact]:
    """One event per participant, statement type and date: a State's several
    objections on one day (or with no date) are one fact with all their text."""
    merged: dict[tuple[str, str, object], SourceFact] = {}
    out: list[SourceFact] = []
    for fact in facts:
        if fact.event not in ("declaration", "reservation", "objection", "notification"):
            out.append(fact)
            continue
        key = (fact.participant, fact.event, fact.date.value)
        if key in merged:
            first = merged[key]
            if fact.text:
                first.text = f"{first.text}\n\n{fact.text}" if first.text else fact.text
            continue
        merged[key] = fact
        out.append(fact)
    return out
