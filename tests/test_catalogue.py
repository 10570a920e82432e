"""The packaged catalogue is complete and consistent with the official structure."""

from __future__ import annotations

import re

import pytest

from conftest import SHARED
from treatywatch import Catalogue, Category, CrosswalkRelation, UnknownArticleError
from treatywatch.catalogue import ObligationStrength

UN_LANGUAGES = {"fr", "es", "ru", "ar"}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue.load()


def test_uncc_has_68_articles_in_9_chapters(cat: Catalogue) -> None:
    uncc = cat.instruments["uncc"]
    assert [a.number for a in uncc.articles] == list(range(1, 69))
    assert [c.number for c in uncc.chapters] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
    ]
    per_chapter = {
        c.number: [a.number for a in uncc.articles if a.chapter == c.number] for c in uncc.chapters
    }
    assert per_chapter["II"] == list(range(7, 22))
    assert per_chapter["IV"] == list(range(23, 35))
    assert per_chapter["V"] == list(range(35, 53))
    assert per_chapter["IX"] == list(range(59, 69))


def test_budapest_has_48_articles(cat: Catalogue) -> None:
    budapest = cat.instruments["budapest"]
    assert [a.number for a in budapest.articles] == list(range(1, 49))
    assert cat.article("budapest/art-32").title.startswith("Trans-border access")
    assert {a.section for a in budapest.articles if a.chapter == "II"} == {
        "Substantive criminal law",
        "Procedural law",
        "Jurisdiction",
    }


def _official_uncc_titles() -> dict[int, str]:
    text = (SHARED / "domain" / "instruments.md").read_text(encoding="utf-8")
    table = text.split("68 articles in 9 chapters:")[1].split("Points that matter")[0]
    titles: dict[int, str] = {}
    for row in table.splitlines():
        if not row.startswith("| ") or "Articles" in row:
            continue
        listing = row.split("|")[2]
        for number, title in re.findall(r"(\d+) ([^;|]+)", listing):
            titles[int(number)] = title.strip()
    return titles


@pytest.mark.skipif(not (SHARED / "domain").is_dir(), reason="../shared/domain not present")
def test_uncc_titles_match_the_official_list(cat: Catalogue) -> None:
    official = _official_uncc_titles()
    assert len(official) == 68
    abbreviations = {"MLA": "Mutual legal assistance"}
    for number, title in official.items():
        ours = cat.article(f"uncc/art-{number}").title
        expanded = title
        for short, long in abbreviations.items():
            expanded = expanded.replace(short, long)
        assert ours.lower() in (title.lower(), expanded.lower()), (number, ours, title)


def test_every_article_is_described(cat: Catalogue) -> None:
    for article in cat:
        assert article.summary and article.obligation_note and article.keywords["en"]
        if article.category in (Category.CRIMINALIZATION, Category.PROCEDURAL):
            assert article.obligations, f"{article.id} lacks paragraph obligations"
            if article.instrument == "uncc" and article.number <= 30:
                assert set(article.keywords) >= UN_LANGUAGES, (
                    f"{article.id} lacks UN-language terms"
                )


def test_safeguards_reflect_article_24(cat: Catalogue) -> None:
    governed = {str(a.id) for a in cat.safeguarded_by("uncc/art-24")}
    assert {f"uncc/art-{n}" for n in range(25, 31)} <= governed
    assert "judicial-authorization" in cat.article("uncc/art-30").criteria


def test_crosswalk_core_pairs(cat: Catalogue) -> None:
    pairs = {
        (str(link.uncc), str(link.budapest)): link.relation
        for link in cat.crosswalk
        if link.uncc and link.budapest
    }
    for uncc, budapest in [
        (7, 2),
        (8, 3),
        (9, 4),
        (10, 5),
        (11, 6),
        (24, 15),
        (25, 16),
        (28, 19),
        (29, 20),
        (30, 21),
        (41, 35),
    ]:
        assert (f"uncc/art-{uncc}", f"budapest/art-{budapest}") in pairs
    absent = {
        str(link.budapest)
        for link in cat.crosswalk
        if link.relation is CrosswalkRelation.ABSENT_FROM_UNCC
    }
    assert "budapest/art-32" in absent
    new = {
        str(link.uncc) for link in cat.crosswalk if link.relation is CrosswalkRelation.NEW_IN_UNCC
    }
    assert {"uncc/art-16", "uncc/art-17"} <= new


def test_thirteen_criteria_in_order(cat: Catalogue) -> None:
    assert [c.number for c in cat.criteria] == list(range(1, 14))
    assert cat.criteria[0].id == "scope" and cat.criteria[-1].id == "penalty-reach"
    assert "procedural" in cat.criterion("judicial-authorization").applies_to
    assert "offence" in cat.criterion("scope").applies_to


def test_obligation_strengths_are_plausible(cat: Catalogue) -> None:
    assert cat.article("uncc/art-7").obligation in (
        ObligationStrength.MANDATORY,
        ObligationStrength.MIXED,
    )
    assert cat.article("uncc/art-1").obligation is ObligationStrength.NONE
    assert cat.article("uncc/art-24").obligation is ObligationStrength.MANDATORY


def test_unknown_article_suggests_close_ids(cat: Catalogue) -> None:
    with pytest.raises(UnknownArticleError) as err:
        cat.article("uncc/art-99")
    with pytest.raises(UnknownArticleError) as err2:
        cat.article("unc/art-28")
    assert "uncc/art-28" in err2.value.suggestions
    assert err.value.hint


def test_records_are_flat_and_dataframe_ready(cat: Catalogue) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(cat.article_records(instrument="uncc"))
    assert len(frame) == 68
    assert set(frame.columns) >= {
        "id",
        "title",
        "chapter",
        "category",
        "obligation",
        "counterparts",
    }
    procedural = frame[frame.category == "procedural"]
    assert "uncc/art-28" in set(procedural.id)
    cw = pandas.DataFrame(cat.crosswalk_records())
    assert set(cw.relation) == {r.value for r in CrosswalkRelation}
