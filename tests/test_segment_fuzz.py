"""Property tests: the segmenter never crashes, paths stay unique, and synthetic laws round-trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treatywatch.ingest.enrich import enrich
from treatywatch.ingest.model import Line, PreUnit, Segmentation
from treatywatch.ingest.segment import from_units, segment

# Tokens that look like law structure, so random lines hit the interesting paths.
_TOKENS = [
    "Section",
    "Article",
    "Art.",
    "§",
    "PART",
    "Part",
    "CHAPTER",
    "Chapitre",
    "Titre",
    "SCHEDULE",
    "Artículo",
    "Статья",
    "المادة",
    "1.",
    "2.",
    "3A.",
    "(1)",
    "(2)",
    "(a)",
    "(b)",
    "(i)",
    "(ii)",
    "(h)",
    "a)",
    "1)",
    "1°",
    "I",
    "II",
    "IV",
    "bis",
    "premier",
    "431-7",
    "5(2)",
    "—",
    ".-",
    ":",
    ";",
    '"term"',
    "means",
    "imprisonment",
    "years",
    "not",
    "exceeding",
    "ten",
    "fine",
    "Page",
    "of",
    "the",
    "officer",
    "commits",
    "offence",
    "#",
    "###",
    "**",
    "-",
    "\u00a0",
    "\t",
    "\ufffd",
]

law_like_line = st.lists(st.sampled_from(_TOKENS), max_size=8).map(" ".join)
any_line = st.one_of(st.text(max_size=80), law_like_line)
hints = st.sampled_from([None, None, "bold", "heading-2", "heading-4"])


def _assert_well_formed(result: Segmentation) -> None:
    assert isinstance(result, Segmentation)
    paths = [node.path for node, _ in result.walk()]
    assert all(paths), "every node has a path"
    assert len(paths) == len(set(paths)), "paths are unique"
    container_paths = [c.path for c in result.containers]
    assert len(container_paths) == len(set(container_paths))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(any_line, hints), max_size=40))
def test_arbitrary_lines_never_crash_and_paths_are_unique(
    rows: list[tuple[str, str | None]],
) -> None:
    result = segment([Line(text, hint) for text, hint in rows])
    _assert_well_formed(result)
    enrich(result, None)  # enrichment copes with whatever the segmenter made


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=6), st.text(max_size=20), st.text(max_size=200)), max_size=10
    )
)
def test_arbitrary_units_never_crash(rows: list[tuple[str, str, str]]) -> None:
    result = from_units([PreUnit(label, title, None, content) for label, title, content in rows])
    _assert_well_formed(result)
    enrich(result, "en")


# --- round trip -----------------------------------------------------------------

_WORDS = [
    "fictional",
    "imaginary",
    "register",
    "widget",
    "gadget",
    "notice",
    "keeper",
    "record",
    "ledger",
    "pebble",
    "lantern",
    "harbour",
    "meadow",
    "quill",
    "beacon",
]
title_words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5)
sentence = st.lists(st.sampled_from(_WORDS), min_size=3, max_size=12).map(
    lambda words: "The " + " ".join(words) + " is kept."
)


@st.composite
def synthetic_law(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, int]]]:
    """A rendered fictional law and its (label, title, subsection count) per section."""
    style = draw(st.sampled_from(["{n}. {t}", "Section {n}. {t}", "Article {n}\n{t}", "§ {n} {t}"]))
    count = draw(st.integers(min_value=1, max_value=25))
    sections: list[tuple[str, str, int]] = []
    number = draw(st.integers(min_value=1, max_value=3))
    lines = ["FICTIONAL LAW FOR TESTS"]
    for _ in range(count):
        inserted = draw(st.booleans()) and sections and not sections[-1][0][-1].isalpha()
        label = f"{number - 1}A" if inserted else str(number)
        if not inserted:
            number += draw(st.integers(min_value=1, max_value=2))
        words = draw(title_words)
        title = " ".join([words[0].capitalize(), *words[1:]])
        subsections = draw(st.integers(min_value=0, max_value=4))
        lines.append(style.format(n=label, t=title))
        if subsections:
            lines.extend(f"({k}) {draw(sentence)}" for k in range(1, subsections + 1))
        else:
            lines.append(draw(sentence))
        sections.append((label, title, subsections))
    return "\n".join(lines), sections


@settings(max_examples=150, deadline=None)
@given(synthetic_law())
def test_synthetic_law_round_trips(law: tuple[str, list[tuple[str, str, int]]]) -> None:
    text, sections = law
    result = segment([Line(t) for t in text.splitlines()])
    assert [(p.label, p.heading) for p in result.provisions] == [(s[0], s[1]) for s in sections]
    for provision, (_, _, subsections) in zip(result.provisions, sections, strict=True):
        assert [c.label for c in provision.children] == [str(k) for k in range(1, subsections + 1)]
