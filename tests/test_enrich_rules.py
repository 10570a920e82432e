"""Classification, defined terms, cross-references and language detection on fictional laws."""

from __future__ import annotations

import pytest

from treatywatch.ingest.enrich import classify, detect_language, enrich
from treatywatch.ingest.model import KINDS, Line, ProvisionNode, Segmentation
from treatywatch.ingest.segment import segment

FICTIONAL_ACT = """
FICTIONAL NETWORKS ACT (written for tests)
PART I - PRELIMINARY
1. Short title
This Act may be cited as the Fictional Networks Act.
2. Interpretation
In this Act, unless the context otherwise requires—
"gadget" means an imaginary computing device;
"keeper" means a person who controls a gadget.
PART II - OFFENCES
3. Unauthorised access to a gadget
(1) A person who, without authority, accesses a gadget commits an offence and is liable on
conviction to a fine not exceeding one million shillings or to imprisonment for a term not
exceeding five years, or to both.
(2) A keeper who commits an offence under subsection (1) is liable to imprisonment for a
term not exceeding eight years.
4. Aiding
A person who aids an offence under section 3(2) or sections 5 to 7 commits an offence and
shall be liable to the same penalties.
PART III - PROCEDURE
5. Search warrant
A magistrate may issue a warrant to search premises and seize any gadget.
6. Production order
The court may order a keeper to produce data held in a gadget.
7. Preservation of data
An officer may require a keeper to preserve data.
PART IV - INTERNATIONAL CO-OPERATION
8. Requests from foreign States
The Central Authority may, at the request of a requesting State, preserve data.
9. Establishment of the Fictional Board
There is established a body corporate known as the Fictional Board.
10. Section 5 of the Imaginary Penal Code applies to offences under this Act.
"""


@pytest.fixture(scope="module")
def act() -> Segmentation:
    result = segment([Line(t) for t in FICTIONAL_ACT.strip().splitlines()])
    enrich(result, "en")
    return result


def by_label(result: Segmentation) -> dict[str, ProvisionNode]:
    return {p.label or "": p for p in result.provisions}


def test_kinds_and_their_reasons(act: Segmentation) -> None:
    kinds = {p.label: p.kind for p in act.provisions}
    assert kinds["1"] == "general"
    assert kinds["2"] == "definition"
    assert kinds["3"] == "offence"
    assert kinds["5"] == "procedural"
    assert kinds["8"] == "cooperation"
    assert kinds["9"] == "institutional"
    for node, _ in act.walk():
        assert node.kind in KINDS
        assert node.details["kind_reason"]
    assert "heading" in by_label(act)["2"].details["kind_reason"]


def test_children_take_their_provision_kind(act: Segmentation) -> None:
    section = by_label(act)["3"]
    assert [c.kind for c in section.children] == ["offence", "offence"]
    assert section.children[0].details["kind_reason"] == "part of sec-3"


def test_repealed_provision_is_other() -> None:
    node = ProvisionNode("section", "4", text="[Repealed by Act 9 of 2020.]")
    assert classify(node) == "other"
    assert node.details["kind_reason"].startswith("repealed")


def test_container_context_decides_between_procedure_and_cooperation() -> None:
    node = ProvisionNode("section", "20", heading="Expedited preservation of data", text="x")
    assert classify(node, "PART V - INTERNATIONAL CO-OPERATION") == "cooperation"
    assert classify(node, "PART IV - INVESTIGATION PROCEDURES") == "procedural"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Quiconque accède frauduleusement à un système fictif sera puni d'une amende.", "offence"),
        ("El que dañe un sistema ficticio será castigado con multa.", "offence"),
        ("Wer fiktive Daten verändert, wird mit Geldstrafe bestraft.", "offence"),
        ("Вымышленный доступ наказывается штрафом.", "offence"),
        ("يعاقب بغرامة كل من دخل نظاما خياليا.", "offence"),
    ],
)
def test_offence_cues_in_several_languages(text: str, kind: str) -> None:
    assert classify(ProvisionNode("article", "1", text=text)) == kind


def test_penalties_are_structured_and_same_penalties_are_inherited(act: Segmentation) -> None:
    sections = by_label(act)
    penalty = sections["3"].details["penalty"]
    assert penalty["max_prison_years"] == 8.0
    assert penalty["fine"] == {"amount": 1_000_000, "currency": "shillings"}
    inherited = sections["4"].details["penalty"]
    assert inherited["max_prison_years"] == 8.0
    assert inherited["inherited_from"] == "sec-3"
    assert "penalty" not in sections["2"].details


def test_defined_terms_and_where_they_are_used(act: Segmentation) -> None:
    terms = {t["term"]: t for t in by_label(act)["2"].details["defined_terms"]}
    assert set(terms) == {"gadget", "keeper"}
    assert terms["gadget"]["path"] == "sec-2/def-gadget"
    assert "sec-3/1" in terms["gadget"]["used_in"]
    assert "sec-5" in terms["gadget"]["used_in"]
    assert "sec-2/def-gadget" not in terms["gadget"]["used_in"]
    assert "sec-6" in terms["keeper"]["used_in"]


def test_cross_references_resolve_to_paths(act: Segmentation) -> None:
    sections = by_label(act)
    refs = sections["4"].details["refs"]
    targets = [r["target"] for r in refs]
    assert targets[0] == "sec-3/2"
    assert {"sec-5", "sec-6", "sec-7"} <= set(targets)  # "sections 5 to 7" covers 6 too
    text = sections["4"].text
    for ref in refs:
        assert text[ref["start"] : ref["end"]] == ref["text"]
    subsection = sections["3"].children[1].details["refs"][0]
    assert (subsection["text"], subsection["target"]) == ("subsection (1)", "sec-3/1")


def test_references_to_other_laws_have_no_target(act: Segmentation) -> None:
    refs = by_label(act)["10"].details.get("refs", [])
    assert refs and all(r["target"] is None for r in refs)


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("Die Tat nach § 202 Abs. 2 und 3 ist fiktiv.", ["sec-202/2", "sec-202/3"]),
        (
            "Les articles 1 à 3 de la présente loi sont fictifs.",
            ["art-1", "art-2", "art-2bis", "art-3"],
        ),
        ("El artículo 2 de la ley N° 99.999 es ficticio.", [None]),
        ("See article 2 bis for the fictional rule.", ["art-2bis"]),
    ],
)
def test_reference_styles(text: str, targets: list[str | None]) -> None:
    from treatywatch.ingest.enrich.references import add_references

    def node(label: str, family: str, children: tuple[str, ...] = ()) -> ProvisionNode:
        path = f"{family}-{label.replace(' ', '')}"
        kids = [ProvisionNode("subsection", c, text="x", path=f"{path}/{c}") for c in children]
        return ProvisionNode("section", label, text="x", path=path, children=kids)

    family = "sec" if "§" in text else "art"
    provisions = [
        node("202", family, ("1", "2", "3")),
        node("1", family),
        node("2", family),
        node("2 bis", family),
        node("3", family),
    ]
    citing = ProvisionNode("section", "9", text=text, path=f"{family}-9")
    result = Segmentation([*provisions, citing])
    add_references(result)
    assert [r["target"] for r in citing.details["refs"]] == targets


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The fictional minister shall publish the imaginary register every year.", "en"),
        ("Le ministre fictif publie chaque année le registre imaginaire des réseaux.", "fr"),
        ("El ministro ficticio publicará cada año el registro imaginario de redes.", "es"),
        ("Der fiktive Minister veröffentlicht jedes Jahr das erfundene Register.", "de"),
        ("Вымышленный министр ежегодно публикует воображаемый реестр сетей.", "ru"),
        ("ينشر الوزير الخيالي السجل الوهمي كل عام", "ar"),
        ("虚构的部长每年公布想象的网络登记册。", "zh"),
        ("O ministro fictício publica todos os anos o registo imaginário das redes.", "pt"),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_detect_language_on_long_text_samples_and_short_text_is_undetermined() -> None:
    long_text = " ".join(["The imaginary keeper shall record every fictional gadget."] * 2000)
    assert detect_language(long_text) == "en"
    assert detect_language("  ") == "und"


def test_enrich_without_language_and_on_an_empty_segmentation() -> None:
    empty = Segmentation(provisions=[])
    enrich(empty)
    assert empty.provisions == []
