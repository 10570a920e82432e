"""A stored version as Akoma Ntoso 3.0 XML, so other legal tools can read it.

The document is an ``act`` with FRBR work/expression/manifestation URIs
(``/akn/ke/act/2018/5/eng@2024-03-01``), a body of part/chapter/section/
article/subsection/paragraph elements with ``num``, ``heading`` and
``content``/``intro`` paragraphs, and eIds built by the AKN naming
convention:

- containers nest their own prefixes: ``part_I``, ``part_I__chp_2``;
- top-level provisions are numbered across the document, so their eIds
  start afresh: ``sec_3``, ``art_12bis``;
- sub-provisions extend their parent: ``sec_3__subsec_2__para_a``.

Provenance (sha256, source, producing tool) goes in ``meta/proprietary``
under treatywatch's own namespace, which the schema allows. Text is
written through lxml, so whatever a law contains is escaped, never parsed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from treatywatch import __version__
from treatywatch.ingest.documents import VersionInfo
from treatywatch.ingest.model import Container, ProvisionNode, Segmentation
from treatywatch.ingest.persist import document_order
from treatywatch.ingest.workid import VersionRef

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
TW_NS = "https://treatywatch.org/ns/akn/1"
_A = f"{{{AKN_NS}}}"


@dataclass(frozen=True)
class AknUnit:
    element: str
    abbreviation: str


# Structural unit (the segmenter's vocabulary) → AKN element and eId prefix.
UNITS: dict[str, AknUnit] = {
    "book": AknUnit("book", "book"),
    "part": AknUnit("part", "part"),
    "subpart": AknUnit("subpart", "subpart"),
    "title": AknUnit("title", "title"),
    "subtitle": AknUnit("subtitle", "subtitle"),
    "chapter": AknUnit("chapter", "chp"),
    "subchapter": AknUnit("subchapter", "subchp"),
    "division": AknUnit("division", "dvs"),
    "subdivision": AknUnit("subdivision", "subdvs"),
    "section": AknUnit("section", "sec"),
    "article": AknUnit("article", "art"),
    "rule": AknUnit("rule", "rule"),
    "regulation": AknUnit("section", "sec"),
    "subsection": AknUnit("subsection", "subsec"),
    "paragraph": AknUnit("paragraph", "para"),
    "subparagraph": AknUnit("subparagraph", "subpara"),
    "item": AknUnit("subparagraph", "subpara"),
    "subitem": AknUnit("point", "point"),
    "point": AknUnit("point", "point"),
    "clause": AknUnit("clause", "cl"),
    "subclause": AknUnit("subclause", "subcl"),
    "alinea": AknUnit("alinea", "al"),
}
GENERIC = AknUnit("hcontainer", "hcontainer")
_NUM_SAFE = re.compile(r"[^0-9A-Za-z\-.]+")
_ISO3 = {"ar": "ara", "en": "eng", "es": "spa", "fr": "fra", "ru": "rus", "zh": "zho"}


def akn_language(code: str | None) -> str:
    """ISO 639-2/T code for FRBRlanguage ("en" → "eng"); "und" when unknown."""
    if not code:
        return "und"
    code = code.lower()
    if len(code) == 3:
        return code
    if code in _ISO3:
        return _ISO3[code]
    try:
        from lingua import IsoCode639_1, Language

        language = Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
        return language.iso_code_639_3.name.lower()
    except (ValueError, KeyError, AttributeError):
        return "und"


def eid_num(label: str | None, fallback: int | str) -> str:
    """A label made safe for an eId: "12 bis" → "12bis", "(a)" → "a", "١٢" → "12".

    Unnumbered nodes (a definition, a closing sentence) use ``fallback``:
    the last step of their path ("def-access") or their position.
    """
    for candidate in (label, str(fallback)):
        if not candidate:
            continue
        digits = "".join(
            str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch
            for ch in candidate
        )
        ascii_label = unicodedata.normalize("NFKD", digits).encode("ascii", "ignore").decode()
        cleaned = _NUM_SAFE.sub("", ascii_label).strip(".-")
        if cleaned:
            return cleaned
    return "1"


SUB_UNITS = {"subsection", "paragraph", "subparagraph", "item", "subitem", "point"}


def printed_num(unit: str, label: str | None) -> str | None:
    """The number as a reader expects it: "(2)" and "(a)" below section level."""
    if not label:
        return None
    return f"({label})" if unit in SUB_UNITS else label


class _EidRegistry:
    """Hands out eIds, suffixing repeats (the schema requires unique eIds)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, eid: str) -> str:
        if eid not in self.used:
            self.used.add(eid)
            return eid
        n = 2
        while f"{eid}_{n}" in self.used:
            n += 1
        self.used.add(f"{eid}_{n}")
        return f"{eid}_{n}"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _A + tag, attrs)


def _paragraphs(parent: etree._Element, wrapper: str, text: str) -> None:
    block = _sub(parent, wrapper)
    lines = [line.strip() for line in text.splitlines() if line.strip()] or [""]
    for line in lines:
        _sub(block, "p").text = line


def _unit(unit: str) -> AknUnit:
    return UNITS.get(unit, GENERIC)


def _element(parent: etree._Element, unit: str, eid: str) -> etree._Element:
    akn = _unit(unit)
    attrs = {"eId": eid}
    if akn is GENERIC:
        attrs["name"] = re.sub(r"[^A-Za-z0-9]", "", unit) or "unit"
    return _sub(parent, akn.element, **attrs)


def _num_heading(element: etree._Element, num: str | None, heading: str | None) -> None:
    if num:
        _sub(element, "num").text = num
    if heading:
        _sub(element, "heading").text = heading


def without_num(text: str, num: str | None) -> str:
    """Text minus a leading printed number the ``num`` element already carries."""
    stripped = text.lstrip()
    if num and stripped.startswith(num):
        return stripped[len(num) :].lstrip()
    return text


def _write_node(
    parent: etree._Element, node: ProvisionNode, prefix: str, index: int, eids: _EidRegistry
) -> None:
    step = node.path.rsplit("/", 1)[-1] if "/" in node.path else index
    own = f"{_unit(node.unit).abbreviation}_{eid_num(node.label, step)}"
    eid = eids.take(f"{prefix}__{own}" if prefix else own)
    element = _element(parent, node.unit, eid)
    num = printed_num(node.unit, node.label)
    _num_heading(element, num, node.heading)
    text = without_num(node.text, num)
    if not node.children:
        _paragraphs(element, "content", text)
        return
    if text.strip():
        _paragraphs(element, "intro", text)
    for i, child in enumerate(node.children, start=1):
        _write_node(element, child, eid, i, eids)


def _work_date(info: VersionInfo, year: int) -> dt.date:
    return info.date if info.date.year == year else dt.date(year, 1, 1)


def _identification(meta: etree._Element, info: VersionInfo, today: dt.date) -> None:
    work = VersionRef.parse(info.document_id).work
    country = (info.country_alpha2 or info.country[:2]).lower()
    work_uri = work.akn_uri(country)
    expression_uri = f"{work_uri}/{akn_language(info.language)}@{info.date.isoformat()}"
    ident = _sub(meta, "identification", source="#treatywatch")
    frbr_work = _sub(ident, "FRBRWork")
    _sub(frbr_work, "FRBRthis", value=f"{work_uri}/!main")
    _sub(frbr_work, "FRBRuri", value=work_uri)
    _sub(frbr_work, "FRBRalias", value=info.title, name="title")
    _sub(frbr_work, "FRBRdate", date=_work_date(info, work.year).isoformat(), name="Generation")
    _sub(frbr_work, "FRBRauthor", href="#legislature")
    _sub(frbr_work, "FRBRcountry", value=country)
    _sub(frbr_work, "FRBRnumber", value=work.number)
    _sub(frbr_work, "FRBRname", value=work.doctype)
    expression = _sub(ident, "FRBRExpression")
    _sub(expression, "FRBRthis", value=f"{expression_uri}/!main")
    _sub(expression, "FRBRuri", value=expression_uri)
    _sub(expression, "FRBRdate", date=info.date.isoformat(), name="Generation")
    _sub(expression, "FRBRauthor", href="#treatywatch")
    _sub(expression, "FRBRlanguage", language=akn_language(info.language))
    manifestation = _sub(ident, "FRBRManifestation")
    _sub(manifestation, "FRBRthis", value=f"{expression_uri}/!main.xml")
    _sub(manifestation, "FRBRuri", value=f"{expression_uri}.akn")
    _sub(manifestation, "FRBRdate", date=today.isoformat(), name="Transform")
    _sub(manifestation, "FRBRauthor", href="#treatywatch")
    _sub(manifestation, "FRBRformat", value="application/akn+xml")


def _meta(act: etree._Element, info: VersionInfo, today: dt.date) -> None:
    meta = _sub(act, "meta")
    _identification(meta, info, today)
    references = _sub(meta, "references", source="#treatywatch")
    _sub(
        references,
        "TLCOrganization",
        eId="treatywatch",
        href="/ontology/organization/treatywatch",
        showAs="treatywatch",
    )
    _sub(
        references,
        "TLCOrganization",
        eId="legislature",
        href=f"/ontology/organization/{info.country.lower()}.legislature",
        showAs=f"Legislature of {info.country}",
    )
    proprietary = _sub(meta, "proprietary", source="#treatywatch")
    provenance = etree.SubElement(proprietary, f"{{{TW_NS}}}provenance")
    facts = {
        "document": info.document_id,
        "version": info.date.isoformat(),
        "sha256": info.sha256,
        "sourceFormat": info.source_format,
        "sourceUrl": info.source_url,
        "sourceFile": info.source_file,
        "retrieved": info.retrieved,
        "producedBy": info.produced_by or f"treatywatch {__version__}",
    }
    for key, value in facts.items():
        if value:
            provenance.set(key, value)


def to_akn_tree(
    info: VersionInfo, segmentation: Segmentation, *, today: dt.date | None = None
) -> etree._ElementTree:
    """The ``akomaNtoso`` document for one version (``today`` dates the manifestation)."""
    root = etree.Element(_A + "akomaNtoso", nsmap={None: AKN_NS, "tw": TW_NS})
    act = _sub(root, "act", name=VersionRef.parse(info.document_id).work.doctype)
    _meta(act, info, today or dt.date.today())
    preface = _sub(act, "preface")
    title_p = _sub(preface, "p")
    _sub(title_p, "docTitle").text = info.title
    if segmentation.preamble.strip():
        _paragraphs(act, "preamble", segmentation.preamble)
    body = _sub(act, "body")
    eids = _EidRegistry()
    elements: dict[str, tuple[etree._Element, str]] = {}
    top_index = 0
    for item in document_order(segmentation):
        if isinstance(item, Container):
            parent, prefix = elements.get(item.parent_path or "", (body, ""))
            own = f"{_unit(item.unit).abbreviation}_{eid_num(item.label, len(elements) + 1)}"
            eid = eids.take(f"{prefix}__{own}" if prefix else own)
            element = _element(parent, item.unit, eid)
            _num_heading(element, item.label, item.heading)
            elements[item.path] = (element, eid)
            continue
        if item.depth != 1:
            continue
        top_index += 1
        owner = elements.get(item.container_path or "")
        parent = owner[0] if owner else body
        _write_node(parent, item.node, "", top_index, eids)
    _fill_empty(body)
    return etree.ElementTree(root)


def _fill_empty(body: etree._Element) -> None:
    """Hierarchy elements need content: give empty containers an empty paragraph."""
    for element in body.iter():
        if element is body or not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in {"num", "heading", "content", "intro", "p", "docTitle"}:
            continue
        has_body = any(etree.QName(child).localname not in {"num", "heading"} for child in element)
        if not has_body:
            _paragraphs(element, "content", "")
    if len(body) == 0:
        placeholder = _sub(body, "hcontainer", eId="hcontainer_1", name="empty")
        _paragraphs(placeholder, "content", "")


def to_akn(info: VersionInfo, segmentation: Segmentation, *, today: dt.date | None = None) -> bytes:
    xml: bytes = etree.tostring(
        to_akn_tree(info, segmentation, today=today),
        xml_declaration=True,
        encoding="UTF-8",
        pretty_print=True,
    )
    return xml
