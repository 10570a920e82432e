"""Lexical retrieval (BM25F over article profiles) and the text analysis under it.

The provisions are fictional, written for these tests.
"""

from __future__ import annotations

import pytest

from treatywatch.align.lexical import TOP_K, LexicalMethod
from treatywatch.align.model import ProvisionText, Signal
from treatywatch.align.text import fold, phrase_stems, stem_word, tokens


@pytest.fixture(scope="module")
def method() -> LexicalMethod:
    return LexicalMethod()


def ranked(method: LexicalMethod, provision: ProvisionText, instrument: str) -> list[Signal]:
    found = [s for s in method.signals([provision])[0] if s.article_id.startswith(instrument)]
    return sorted(found, key=lambda s: -s.strength)


# ---------------------------------------------------------------- text analysis


def test_fold_strips_accents_and_keeps_offsets() -> None:
    folded = fold("Accès FRAUDULEUX à l’ordinateur")
    assert folded.text == "acces frauduleux a l'ordinateur"
    assert folded.origin is None  # one character each way: offsets shared


def test_fold_maps_offsets_back_when_lengths_change() -> None:
    source = "Maßnahme und Zugang"
    folded = fold(source)
    assert folded.text == "massnahme und zugang"
    start = folded.text.index("zugang")
    begin, end = folded.source_span(start, start + len("zugang"))
    assert source[begin:end] == "Zugang"


def test_tokens_drop_stopwords_stem_and_point_at_the_source() -> None:
    text = "The Interception of communications"
    toks = tokens(text, "en")
    assert [t.surface for t in toks] == ["interception", "communications"]
    assert toks[0].stem == stem_word("intercepts", "en")
    assert text[toks[0].start : toks[0].end] == "Interception"


def test_stems_meet_across_accents_and_inflection() -> None:
    assert stem_word("données", "fr") == stem_word("donnees", "fr")
    assert phrase_stems("accès frauduleux", "fr") == phrase_stems("ACCES FRAUDULEUX", "fr")


# ---------------------------------------------------------------- ranking


def test_interception_provision_ranks_interception_first(method: LexicalMethod) -> None:
    provision = ProvisionText(
        "sec-4",
        "4",
        "Illegal interception",
        "Whoever intercepts, by technical means, non-public transmissions of computer data "
        "to or from a computer system in the fictional Republic of Examplia commits an offence.",
        kind="offence",
    )
    uncc = ranked(method, provision, "uncc/")
    budapest = ranked(method, provision, "budapest/")
    assert uncc[0].article_id == "uncc/art-8"
    assert budapest[0].article_id == "budapest/art-3"
    assert len(uncc) <= TOP_K and len(budapest) <= TOP_K
    assert all(0.0 < s.strength < 1.0 for s in uncc + budapest)


def test_evidence_names_the_phrase_and_quotes_the_provision(method: LexicalMethod) -> None:
    provision = ProvisionText(
        "sec-4",
        "4",
        "Illegal interception",
        "Whoever intercepts non-public transmissions of computer data commits an offence.",
    )
    top = ranked(method, provision, "uncc/")[0]
    assert "illegal interception" in top.catalogue_terms
    assert "phrase 'illegal interception'" in top.note
    assert top.note.startswith("BM25 ")
    assert top.spans
    for span in top.spans:
        assert provision.full[span.start : span.end] == span.text
    assert any(span.text == "Illegal interception" for span in top.spans)


def test_phrases_do_not_span_heading_and_body(method: LexicalMethod) -> None:
    provision = ProvisionText(
        "sec-5", "5", "Offences relating to access", "Any person who without authority..."
    )
    for signal in method.signals([provision])[0]:
        assert "access without authority" not in signal.catalogue_terms


def test_heading_words_weigh_more_than_body_words(method: LexicalMethod) -> None:
    body = "The judge may make an order under this section on application by the police."
    with_heading = ProvisionText("a", "1", "Production order", body, kind="procedural")
    in_body = ProvisionText("b", "1", None, "Production order. " + body, kind="procedural")

    def strength(p: ProvisionText) -> float:
        return next(s.strength for s in ranked(method, p, "uncc/") if s.article_id == "uncc/art-27")

    assert strength(with_heading) > strength(in_body)


def test_french_keywords_carry_a_french_provision(method: LexicalMethod) -> None:
    provision = ProvisionText(
        "art-1",
        "1",
        "Accès frauduleux",
        "Le maintien frauduleux dans un système de traitement automatisé de données de la "
        "République fictive d'Exemplie est puni.",
        kind="offence",
        language="fr",
    )
    top3 = [s.article_id for s in ranked(method, provision, "uncc/")[:3]]
    assert "uncc/art-7" in top3


def test_unsupported_language_is_analysed_as_english_and_said(method: LexicalMethod) -> None:
    fresh = LexicalMethod()
    provision = ProvisionText(
        "s", "1", "Illegal access", "Unauthorised access to a computer system.", language="sw"
    )
    found = fresh.signals([provision])[0]
    assert found and found[0].article_id in {"uncc/art-7", "budapest/art-2"}
    assert all("language sw not supported by the lexical analyser" in s.note for s in found)
    assert fresh.unsupported_languages_seen == {"sw"}
    assert fresh.warnings() == [
        "language sw not supported by the lexical analyser; English analysis used"
    ]


def test_empty_and_wordless_provisions_give_no_votes(method: LexicalMethod) -> None:
    assert method.signals(
        [ProvisionText("e", None, None, ""), ProvisionText("p", None, None, "— (1) —")]
    ) == [[], []]


def test_unrelated_text_gives_only_weak_votes(method: LexicalMethod) -> None:
    provision = ProvisionText(
        "s", "1", "Short title", "This Act may be cited as the Fictional Examplia Fisheries Act."
    )
    assert all(s.strength < 0.5 for s in method.signals([provision])[0])


def test_the_packaged_catalogue_is_indexed_once_per_process() -> None:
    """Engines are built per document; the catalogue index is shared, custom ones are not."""
    from treatywatch.align.profiles import article_profiles

    assert LexicalMethod().index("en") is LexicalMethod().index("en")
    assert LexicalMethod().index("fr") is not LexicalMethod().index("en")
    few = article_profiles()[:3]
    custom = LexicalMethod(few).index("en")
    assert custom is not LexicalMethod().index("en")
    assert len(custom.article_ids) == 3
