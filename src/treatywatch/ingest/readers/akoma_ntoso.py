"""Akoma Ntoso XML reader: sections/articles become pre-segmented units.

AKN marks up the structure the segmenter would otherwise have to guess, so
each top-level provision (section, article, or an ``hcontainer`` named
regulation/rule) becomes one :class:`PreUnit`, with its number, heading and
enclosing part/chapter path. The XML is parsed with defusedxml and any DTD
is refused: AKN never needs one, and DTDs are how entity-expansion ("billion
laughs") and external-entity attacks get in.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

from treatywatch.ingest.model import IngestError, PreUnit, ReadResult
from treatywatch.ingest.readers.files import read_bytes
from treatywatch.ingest.readers.textnorm import clean_line

UNITS = frozenset({"section", "article", "rule", "regulation"})
HCONTAINER_UNITS = frozenset({"section", "article", "rule", "regulation", "schedule"})
CONTAINERS = frozenset(
    {
        "book", "tome", "part", "subpart", "title", "subtitle", "chapter", "subchapter",
        "division", "subdivision",
    }
)  # fmt: skip
NOT_CONTAINERS = frozenset({"schedules", "signatures", "attachments", "annexes"})
BLOCKS = frozenset(
    {
        "subsection", "paragraph", "subparagraph", "clause", "subclause", "point", "item",
        "list", "blockList", "intro", "wrapUp", "content", "p", "tr", "table", "blockContainer",
        "hcontainer", "quotedStructure", "embeddedStructure", "crossHeading", "subheading",
        "alinea", "indent", "listIntroduction", "listWrapUp", "level", "block", "tblock",
        "heading", "foreign", "formula", "longTitle", "ul", "ol", "li", "div",
    }
)  # fmt: skip
SKIP = frozenset({"authorialNote", "noteRef", "eol", "eop", "meta", "remark"})
_LABEL_WORDS = re.compile(
    r"^(?:section|sec|article|art|regulation|reg|rule|schedule|sch|§+)\.?\s*", re.IGNORECASE
)
BROKEN_HINT = "download it again; only well-formed Akoma Ntoso XML is read"
IGNORED_STATUS = frozenset({"editorial", "ignored"})
# legislation.gov.uk writes subdivision numbers bare ("1", "a") where the Act prints "(1)".
_BARE_NUMBER = re.compile(r"^(?:\d+[A-Z]{0,3}|[a-z]{1,3}|[ivxlc]{1,6}|[A-Z])$")


def _printed_number(num: str) -> str:
    return f"({num})" if _BARE_NUMBER.match(num) else num


def _local(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def read(path: Path, *, max_bytes: int) -> ReadResult:
    data = read_bytes(path, max_bytes)
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise IngestError(
            str(path),
            f"XML declares a DTD or entities ({type(exc).__name__}), which Akoma Ntoso never "
            "needs (possible entity-expansion or external-entity attack); refused",
            hint="get the document from its official source",
        ) from None
    except (ParseError, ValueError) as exc:
        raise IngestError(str(path), f"not well-formed XML ({exc})", hint=BROKEN_HINT) from None
    except LookupError as exc:  # an encoding name Python does not know
        raise IngestError(str(path), f"XML declares {exc}", hint=BROKEN_HINT) from None
    except RecursionError:
        raise IngestError(str(path), "XML is nested too deeply to read", hint=BROKEN_HINT) from None
    if _local(root.tag) != "akomaNtoso":
        raise IngestError(
            str(path),
            f"not an Akoma Ntoso document (the root element is <{_local(root.tag)}>)",
            hint="only Akoma Ntoso XML is read; convert other XML to text first",
        )
    document = next((child for child in root if isinstance(child.tag, str)), None)
    if document is None:
        raise IngestError(str(path), "Akoma Ntoso document has no content", hint=BROKEN_HINT)
    body = _find_body(document)
    if body is None:
        raise IngestError(
            str(path), f"Akoma Ntoso <{_local(document.tag)}> has no <body>", hint=BROKEN_HINT
        )
    units = _units(body)
    if not units:
        raise IngestError(
            str(path),
            "Akoma Ntoso body has no section, article or regulation elements",
            hint="this reader takes acts and bills; debates and judgments are not provisions",
        )
    metadata = _metadata(document)
    metadata["document_type"] = _local(document.tag)
    return ReadResult(
        path=str(path),
        source_format="akn",
        units=units,
        title=_title(document),
        metadata=metadata,
    )


def _find_body(document: Element) -> Element | None:
    for child in document:
        if _local(child.tag) in ("body", "mainBody", "judgmentBody", "debateBody"):
            return child
    return None


def _units(body: Element) -> list[PreUnit]:
    """Outermost provisions in document order, each with its container path.

    Provisions inside a provision (quoted amendments, nested sections) are
    its content, not provisions of this act.
    """
    units: list[PreUnit] = []
    stack: list[tuple[Element, tuple[str, ...]]] = [(body, ())]
    while stack:
        element, path = stack.pop()
        if element is not body:
            if element.get("status") in IGNORED_STATUS:
                continue  # page markers and other editorial insertions
            if _unit_kind(element) is not None:
                units.append(_unit(element, path))
                continue
            name = _local(element.tag)
            if name in CONTAINERS or (
                name == "hcontainer" and element.get("name", "") not in NOT_CONTAINERS
            ):
                label = _container_label(element)
                if label:
                    path = (*path, label)
        for child in reversed([c for c in element if isinstance(c.tag, str)]):
            stack.append((child, path))
    return units


def _unit_kind(element: Element) -> str | None:
    name = _local(element.tag)
    if name in UNITS:
        return name
    if name == "hcontainer" and element.get("name", "") in HCONTAINER_UNITS:
        return str(element.get("name"))
    return None


def _container_label(element: Element) -> str:
    num = heading = ""
    for child in element:
        if _local(child.tag) == "num":
            num = _inline_text(child)
        elif _local(child.tag) == "heading":
            heading = _inline_text(child)
    if num and heading:
        return f"{num} - {heading}"
    return num or heading


def _unit(element: Element, containers: tuple[str, ...]) -> PreUnit:
    num = title = ""
    for child in element:
        name = _local(child.tag)
        if name == "num" and not num:
            num = _inline_text(child)
        elif name == "heading" and not title:
            title = _inline_text(child)
    kind = _unit_kind(element) or "section"
    label = _LABEL_WORDS.sub("", num).strip().rstrip(".:-–—)").strip() if num else ""
    if not label:
        label = num or str(element.get("eId") or element.get("id") or "")
    return PreUnit(
        label=label,
        title=title or None,
        container=" > ".join(containers) or None,
        content=_block_text(element, skip_own=True),
        unit=kind,
    )


def _inline_text(element: Element) -> str:
    parts: list[str] = []
    stack: list[Element | str] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if _local(item.tag) in SKIP:
            if item.tail:
                parts.append(item.tail)
            continue
        if item is not element and item.tail:
            stack.append(item.tail)
        stack.extend(reversed([c for c in item if isinstance(c.tag, str)]))
        if item.text:
            stack.append(item.text)
    return clean_line("".join(parts))


def _block_text(element: Element, *, skip_own: bool) -> str:
    """Text with one line per block; a subdivision's number opens its line: "(1) ..."."""
    lines: list[str] = []
    current: list[str] = []
    number_only = False
    own: set[int] = set()
    if skip_own:  # the unit's own number and heading are its label and title
        for name in ("num", "heading"):
            first = next((c for c in element if _local(c.tag) == name), None)
            if first is not None:
                own.add(id(first))

    def flush() -> None:
        nonlocal current, number_only
        text = clean_line("".join(current))
        if text:
            lines.append(text)
        current = []
        number_only = False

    # Items: ("open", el) | ("close", el) | ("text", str)
    stack: list[tuple[str, Any]] = [("open", element)]
    while stack:
        action, item = stack.pop()
        if action == "text":
            if item.strip():
                number_only = False
            current.append(item)
            continue
        name = _local(item.tag)
        if action == "close":
            if name in BLOCKS and not number_only:
                flush()
            continue
        if item is not element and (
            name in SKIP or id(item) in own or item.get("status") in IGNORED_STATUS
        ):
            continue
        if name == "num" and item is not element:
            if not number_only:
                flush()
            current.append(_printed_number(_inline_text(item)) + " ")
            number_only = True
            continue
        if name in BLOCKS and not number_only:
            flush()
        elif name in ("td", "th"):
            current.append(" ")
        stack.append(("close", item))
        children = [c for c in item if isinstance(c.tag, str)]
        for child in reversed(children):
            if child.tail:
                stack.append(("text", child.tail))
            stack.append(("open", child))
        if item.text:
            stack.append(("text", item.text))
    flush()
    return "\n".join(lines)


def _title(document: Element) -> str | None:
    for element in document.iter():
        if _local(element.tag) in ("docTitle", "shortTitle"):
            text = _inline_text(element)
            if text:
                return text
    for element in document.iter():
        if _local(element.tag) == "FRBRname" and element.get("value"):
            return clean_line(str(element.get("value")))
    return None


def _metadata(document: Element) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for element in document.iter():
        name = _local(element.tag)
        if name == "FRBRWork":
            for child in element:
                key = _local(child.tag)
                if key == "FRBRthis" and child.get("value"):
                    meta["frbr_work"] = child.get("value")
                elif key == "FRBRcountry" and child.get("value"):
                    meta["country"] = child.get("value")
                elif key == "FRBRdate" and child.get("date"):
                    meta.setdefault("date", child.get("date"))
        elif name == "FRBRExpression":
            for child in element:
                key = _local(child.tag)
                if key == "FRBRthis" and child.get("value"):
                    meta["frbr_expression"] = child.get("value")
                elif key == "FRBRlanguage" and child.get("language"):
                    meta["language"] = child.get("language")
                elif key == "FRBRdate" and child.get("date"):
                    meta["expression_date"] = child.get("date")
            break
    return meta
