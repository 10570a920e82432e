"""Segmenter behaviour on small synthetic laws, one numbering style at a time.

Every snippet here is fictional text written for these tests; no wording
comes from a real law.
"""

from __future__ import annotations

import pytest

from treatywatch.ingest.model import Line, PreUnit, Segmentation
from treatywatch.ingest.segment import from_units, segment


def seg(
    text: str, language: str | None = None, hints: dict[int, str] | None = None
) -> Segmentation:
    lines = [Line(t, (hints or {}).get(i)) for i, t in enumerate(text.strip("\n").splitlines())]
    return segment(lines, language=language)


def tops(segmentation: Segmentation) -> list[tuple[str | None, str | None]]:
    return [(p.label, p.heading) for p in segmentation.provisions]


def paths(segmentation: Segmentation) -> list[str]:
    return [node.path for node, _ in segmentation.walk()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Section 3. Purpose\nThis imaginary Act has a purpose.", [("3", "Purpose")]),
        ("3. Purpose\nThis imaginary Act has a purpose.", [("3", "Purpose")]),
        ("s. 3A Inserted rule\nText of an inserted rule.", [("3A", "Inserted rule")]),
        ("46A. Further orders\nThe court may make orders.", [("46A", "Further orders")]),
        ("Sec. 4. Final clause. - This Act takes effect at once.", [("4", "Final clause")]),
        ("Article 1er\nLa présente loi fictive s'applique.", [("1er", None)]),
        ("Art. 12 bis - Accès fictif\nQuiconque accède sera puni.", [("12 bis", "Accès fictif")]),
        ("Article premier\nLa présente loi fictive s'applique.", [("premier", None)]),
        ("Article 431-7\nAu sens de la présente loi, on entend par :", [("431-7", None)]),
        (
            "Artículo 5º.- Acceso indebido. El que entre sin permiso será castigado.",
            [("5", "Acceso indebido")],
        ),
        ("Artículo 5°.- El que entre sin permiso será castigado.", [("5", None)]),
        ("المادة (3)\nيعاقب كل من دخل نظاما خياليا.", [("3", None)]),
        ("المادة 3\nيعاقب كل من دخل نظاما خياليا.", [("3", None)]),
        (
            "Статья 272.1. Вымышленный доступ\nДоступ наказывается штрафом.",
            [("272.1", "Вымышленный доступ")],
        ),
        (
            "§ 202a Fiktives Ausspähen\nWer fiktive Daten ausspäht, wird bestraft.",
            [("202a", "Fiktives Ausspähen")],
        ),
        (
            "Article IV\nScope\nThis fictional treaty applies to imaginary states.",
            [("IV", "Scope")],
        ),
    ],
)
def test_numbering_styles(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert tops(seg(text)) == expected


def test_paths_follow_family_and_normalise_labels() -> None:
    result = seg(
        """
Article premier
Texte fictif un.
Article 2 bis
Texte fictif deux.
Article 3
Texte fictif trois.
"""
    )
    assert [p.path for p in result.provisions] == ["art-1", "art-2bis", "art-3"]
    sections = seg("1. One\nText one.\n2. Two\nText two.\n2A. Two A\nText two A.")
    assert [p.path for p in sections.provisions] == ["sec-1", "sec-2", "sec-2a"]


def test_cross_references_at_line_start_are_not_provisions() -> None:
    result = seg(
        """
1. Scope
This imaginary Act applies as set out below.
2. Offence
A person who breaks a fictional rule commits an offence under
section 5(2) of the Imaginary Penal Code.
Section 7 of that Code also applies.
3. Penalty
The penalty is imaginary.
"""
    )
    assert [p.label for p in result.provisions] == ["1", "2", "3"]
    assert "Section 7 of that Code" in result.provisions[1].full_text


def test_numbered_list_inside_a_section_is_not_a_section() -> None:
    result = seg(
        """
1. Interpretation
In this imaginary Act the following apply:
1. the first fictional rule;
2. the second fictional rule;
3. the third fictional rule.
2. Offences
A person who breaks a rule commits an offence.
"""
    )
    assert [p.label for p in result.provisions] == ["1", "2"]
    assert [c.label for c in result.provisions[0].children] == ["1", "2", "3"]


def test_containers_nest_in_order_of_first_appearance() -> None:
    result = seg(
        """
TRAITÉ FICTIF
CHAPITRE I
DISPOSITIONS GÉNÉRALES
Article 1
Texte un.
CHAPITRE II
MESURES
Section 1 - Droit pénal
Article 2
Texte deux.
Section 2 - Procédure
Article 3
Texte trois.
CHAPITRE III
FIN
Article 4
Texte quatre.
""",
        language="fr",
    )
    containers = [(c.unit, c.heading, c.path, c.parent_path) for c in result.containers]
    assert containers == [
        ("chapter", "CHAPITRE I - DISPOSITIONS GÉNÉRALES", "chap-1", None),
        ("chapter", "CHAPITRE II - MESURES", "chap-2", None),
        ("division", "Section 1 - Droit pénal", "chap-2/div-1", "chap-2"),
        ("division", "Section 2 - Procédure", "chap-2/div-2", "chap-2"),
        ("chapter", "CHAPITRE III - FIN", "chap-3", None),
    ]
    assert [p.container for p in result.provisions] == [
        "CHAPITRE I - DISPOSITIONS GÉNÉRALES",
        "Section 1 - Droit pénal",
        "Section 2 - Procédure",
        "CHAPITRE III - FIN",
    ]
    assert result.provisions[1].details["container_path"] == "chap-2/div-1"


def test_english_section_keyword_is_a_provision_not_a_container() -> None:
    result = seg("Section 1. Title\nText one.\nSection 2. Purpose\nText two.")
    assert tops(result) == [("1", "Title"), ("2", "Purpose")]
    assert result.containers == []


@pytest.mark.parametrize(
    ("line", "unit", "path"),
    [
        ("PART I", "part", "part-1"),
        ("Part 2 - Offences", "part", "part-2"),
        ("CHAPTER III", "chapter", "chap-3"),
        ("Chapitre premier - Objet", "chapter", "chap-1"),
        ("Titre II - Procédure", "title", "title-2"),
        ("TÍTULO I DE LOS DELITOS", "title", "title-1"),
        ("Capítulo 2 - Sanciones", "chapter", "chap-2"),
        ("Раздел IX. Вымышленные преступления", "part", "part-9"),
        ("Глава 28. Вымышленные преступления", "chapter", "chap-28"),
        ("الباب الأول", "part", "part-1"),
        ("Fünfzehnter Abschnitt - Fiktives", "division", "div-15"),
        ("FIRST SCHEDULE", "schedule", "sched-1"),
        ("Annexe", "schedule", "sched"),
    ],
)
def test_container_styles(line: str, unit: str, path: str) -> None:
    result = seg(f"{line}\nArticle 1\nFictional text.")
    assert [(c.unit, c.path) for c in result.containers] == [(unit, path)]


def test_schedule_restarts_numbering_under_its_own_path() -> None:
    result = seg(
        """
1. Scope
Fictional text.
2. Forms
See the Schedule.
SCHEDULE
1. Form A
A fictional form.
"""
    )
    assert [p.path for p in result.provisions] == ["sec-1", "sec-2", "sched/sec-1"]


def test_transitional_articles_get_their_own_series() -> None:
    result = seg(
        """
Artículo 1.- Objeto. Esta ley ficticia regula redes imaginarias y sus usos conocidos.
Artículo 2.- Sanción. El que dañe una red imaginaria será castigado con multa.
ARTÍCULOS TRANSITORIOS
Artículo primero.- Esta ley ficticia rige desde su publicación.
"""
    )
    assert [p.label for p in result.provisions] == ["1", "2", "primero transitorio"]
    assert result.provisions[-1].path == "art-1-transitorio"


def test_nested_subsections_and_roman_after_h() -> None:
    result = seg(
        """
5. Fictional terms
(1) In this imaginary Act—
(a) first term;
(b) second term;
(c) third term;
(d) fourth term;
(e) fifth term;
(f) sixth term;
(g) seventh term;
(h) eighth term, which covers either:
(i) one thing; or
(ii) another thing;
(i) ninth term;
(j) tenth term.
(2) A second fictional subsection.
"""
    )
    section = result.provisions[0]
    first = section.children[0]
    assert [c.label for c in section.children] == ["1", "2"]
    assert [c.label for c in first.children] == list("abcdefghij")
    assert [c.label for c in first.children[7].children] == ["i", "ii"]
    assert first.children[7].children[0].path == "sec-5/1/h/i"
    assert first.children[8].path == "sec-5/1/i"


def test_first_i_under_a_letter_is_roman() -> None:
    result = seg(
        """
7. Fictional powers
(a) the officer may enter premises, including—
(i) a house; and
(ii) a vehicle;
(b) the officer may copy data.
"""
    )
    (a, b) = result.provisions[0].children
    assert [c.label for c in a.children] == ["i", "ii"]
    assert b.label == "b"


@pytest.mark.parametrize(
    "markers",
    [["1.", "2."], ["1)", "2)"], ["1-", "2-"], ["(A)", "(B)"], ["a)", "b)"], ["1°", "2°"]],
)
def test_item_marker_styles(markers: list[str]) -> None:
    body = "\n".join(f"{m} fictional item text;" for m in markers)
    result = seg(f"Article 1\nLa règle fictive comprend :\n{body}")
    assert len(result.provisions[0].children) == 2


def test_paths_are_unique_even_when_numbers_repeat() -> None:
    result = seg(
        """
1. One
(1) Text.
(1) The same number printed twice.
2. Two
Text two.
"""
    )
    all_paths = paths(result)
    assert len(all_paths) == len(set(all_paths))
    assert "sec-1/1-2" in all_paths


def test_heading_on_next_line_with_markdown_and_hints() -> None:
    result = seg("### Article  1\n\n#### Scope\n\nThis fictional treaty applies.")
    assert tops(result) == [("1", "Scope")]
    hinted = seg("Article 2\nScope of this fictional law\nText.", hints={1: "bold"})
    assert tops(hinted) == [("2", "Scope of this fictional law")]


def test_marginal_note_before_the_number_becomes_the_heading() -> None:
    result = seg(
        """
FICTIONAL DATA ACT
Short title.
1. This Act may be called the Fictional Data Act.
Offences by bodies corporate
2. Where a fictional body corporate commits an offence, its officers are liable.
"""
    )
    assert tops(result) == [("1", "Short title"), ("2", "Offences by bodies corporate")]


def test_indian_style_heading_with_dash_separator() -> None:
    result = seg("3. Imaginary offence.—(1) Whoever does a fictional act shall be punished.")
    section = result.provisions[0]
    assert section.heading == "Imaginary offence"
    assert section.children[0].label == "1"


def test_page_furniture_and_hyphenation_are_cleaned() -> None:
    result = seg(
        """
1. Fictional rule
The imaginary authority shall publish the regis-
tration list every year.
Page 3 of 9
2. Another rule
Text two.
"""
    )
    assert result.provisions[0].text == (
        "The imaginary authority shall publish the registration list every year."
    )
    assert "Page 3" not in result.provisions[0].full_text


def test_suspended_compound_keeps_its_hyphen() -> None:
    result = seg("§ 1 Fiktives\nDer Schutz des Lebens-\nund Geheimbereichs gilt fiktiv.")
    assert "Lebens- und Geheimbereichs" in result.provisions[0].text


def test_quoted_definitions_become_paragraphs_with_term_paths() -> None:
    result = seg(
        """
2. Interpretation
In this imaginary Act—
"device" means a fictional machine;
"data" includes—
(a) fictional records; and
(b) imaginary files;
"officer" means a fictional official.
"""
    )
    children = result.provisions[0].children
    assert [c.path for c in children] == [
        "sec-2/def-device",
        "sec-2/def-data",
        "sec-2/def-officer",
    ]
    assert [c.label for c in children[1].children] == ["a", "b"]


def test_inline_items_are_split_after_clause_boundaries() -> None:
    units = [
        PreUnit(
            "4",
            "Fictional powers",
            "PART II",
            "(1) An officer may— (a) enter premises; (b) copy data under subsection (2) of "
            "section 9; or (c) seize devices. (2) The officer shall report.",
        )
    ]
    result = from_units(units)
    section = result.provisions[0]
    assert [c.label for c in section.children] == ["1", "2"]
    assert [c.label for c in section.children[0].children] == ["a", "b", "c"]
    assert "subsection (2) of section 9" in section.children[0].children[1].text


def test_from_units_keeps_labels_and_builds_container_chain() -> None:
    units = [
        PreUnit(
            "1", "Article 1", "Titre 1 - Général > Chapitre 1 - Objet", "Texte fictif.", "article"
        ),
        PreUnit("2", "Objet", "Titre 1 - Général > Chapitre 2 - Peines", "Autre texte.", "article"),
    ]
    result = from_units(units)
    assert [p.path for p in result.provisions] == ["art-1", "art-2"]
    assert result.provisions[0].heading is None  # "Article 1" only repeats the number
    assert result.provisions[1].container == "Chapitre 2 - Peines"
    assert [c.path for c in result.containers] == ["title-1", "title-1/chap-1", "title-1/chap-2"]


def test_empty_and_unstructured_text_returns_a_preamble() -> None:
    assert segment([]).provisions == []
    result = seg("Just a fictional paragraph without any numbering at all.")
    assert result.provisions == []
    assert result.preamble.startswith("Just a fictional")
    assert result.warnings
