"""Penalty extraction on fictional penalty clauses in several languages."""

from __future__ import annotations

import pytest

from treatywatch.ingest.enrich.penalties import extract_fine, extract_penalty, parse_number


@pytest.mark.parametrize(
    ("text", "maximum", "minimum"),
    [
        # English, words and digits, months, ranges, life
        ("is liable to imprisonment for a term not exceeding ten years.", 10.0, None),
        ("shall be punished with imprisonment which may extend to 3 years.", 3.0, None),
        ("is liable to imprisonment for a term not exceeding six months.", 0.5, None),
        (
            "shall be punished with imprisonment for a term which may extend to three months",
            0.25,
            None,
        ),
        (
            "is liable to a term of imprisonment of not less than two years and not more "
            "than five years.",
            5.0,
            2.0,
        ),
        ("is liable on conviction to imprisonment for life.", 99.0, None),
        ("is liable to twenty five years' imprisonment.", 25.0, None),
        ("is liable to imprisonment for a term of not less than ten years.", None, 10.0),
        # French
        ("sera puni d'un emprisonnement de un à cinq ans.", 5.0, 1.0),
        ("sera puni d’un emprisonnement de six (6) mois à trois (3) ans.", 3.0, 0.5),
        ("sera puni de la réclusion criminelle à perpétuité.", 99.0, None),
        ("sera puni de cinq à dix ans de réclusion.", 10.0, 5.0),
        # Spanish, Chilean degrees
        ("será castigado con presidio menor en su grado máximo.", 5.0, None),
        ("será castigado con presidio menor en su grado medio.", 3.0, None),
        ("será castigado con presidio menor en su grado mínimo.", 1.5, None),
        ("será castigado con presidio menor en sus grados medio a máximo.", 5.0, None),
        (
            "será castigado con presidio menor en su grado máximo a presidio mayor en su "
            "grado mínimo.",
            10.0,
            None,
        ),
        ("será castigado con prisión de seis meses a dos años.", 2.0, 0.5),
        # German
        ("wird mit Freiheitsstrafe bis zu drei Jahren oder mit Geldstrafe bestraft.", 3.0, None),
        ("wird mit Freiheitsstrafe von sechs Monaten bis zu zehn Jahren bestraft.", 10.0, 0.5),
        ("ist die Strafe lebenslange Freiheitsstrafe.", 99.0, None),
        # Russian and Arabic
        ("наказывается лишением свободы на срок до четырех лет.", 4.0, None),
        ("يعاقب بالحبس مدة لا تزيد على سنتين", 2.0, None),
        # Philippine scale
        ("shall be punished with imprisonment of prision mayor.", 12.0, None),
        ("shall be punished with prision correccional in its maximum period.", 6.0, None),
    ],
)
def test_prison_terms(text: str, maximum: float | None, minimum: float | None) -> None:
    penalty = extract_penalty(text)
    assert penalty is not None
    if maximum is None:
        assert penalty["max_prison_years"] is None
    else:
        assert penalty["max_prison_years"] == pytest.approx(maximum)
    if minimum is not None:
        assert penalty["min_prison_years"] == pytest.approx(minimum, abs=0.01)


def test_the_highest_term_in_a_provision_wins_and_its_text_is_kept() -> None:
    text = (
        "(1) A person who enters a fictional system is liable to imprisonment for a term not "
        "exceeding three years. (2) Where the entry causes harm, the person is liable to "
        "imprisonment for a term not exceeding twelve years."
    )
    penalty = extract_penalty(text)
    assert penalty is not None
    assert penalty["max_prison_years"] == 12.0
    assert "twelve years" in penalty["text"]


def test_durations_that_are_not_sentences_are_ignored() -> None:
    text = "A member of the fictional board holds office for four years and may serve twice."
    assert extract_penalty(text) is None


@pytest.mark.parametrize(
    "text",
    [
        '"serious offence" means an offence punishable by imprisonment for four years or more.',
        "pour les délits punis d'au moins quatre ans d'emprisonnement, le juge fictif peut "
        "ordonner la mesure, pour une durée de quatre mois au plus.",
    ],
)
def test_thresholds_and_later_clauses_are_not_maximum_terms(text: str) -> None:
    penalty = extract_penalty(text)
    assert penalty is not None
    assert penalty["max_prison_years"] is None
    assert penalty["min_prison_years"] == 4.0


def test_arabic_range_with_attached_conjunction() -> None:
    penalty = extract_penalty("يعاقب بالحبس مدة لا تقل عن سنة ولا تزيد على خمس سنوات كل من نشر")
    assert penalty is not None
    assert (penalty["min_prison_years"], penalty["max_prison_years"]) == (1.0, 5.0)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("is liable to a fine not exceeding five million shillings", 5_000_000, "shillings"),
        ("a fine not exceeding $50,000 or imprisonment", 50_000, "$"),
        ("d'une amende de 500 000 à 10 000 000 francs", 10_000_000, "francs"),
        ("d'une amende de 1.000.000 à 10.000.000 francs", 10_000_000, "francs"),
        ("multa de once a quince unidades tributarias mensuales", 15, "UTM"),
        (
            "a fine of not less than two thousand, five hundred penalty units and not more than "
            "fifteen thousand penalty units",
            15_000,
            "penalty units",
        ),
        ("a fine of at least Two hundred thousand pesos (PhP200,000.00)", 200_000, "pesos"),
    ],
)
def test_fines(text: str, amount: float, currency: str) -> None:
    fine = extract_fine(text)
    assert fine == {"amount": amount, "currency": currency}


def test_fine_only_penalty_has_no_prison_term() -> None:
    penalty = extract_penalty("shall be liable to a fine not exceeding one thousand dollars.")
    assert penalty is not None
    assert penalty["max_prison_years"] is None
    assert penalty["fine"] == {"amount": 1000, "currency": "dollars"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("twenty five", 25),
        ("two hundred thousand", 200_000),
        ("one hundred and fifty", 150),
        ("vingt-cinq", 25),
        ("six (6)", 6),
        ("1,000,000", 1_000_000),
        ("10 000 000", 10_000_000),
        ("200,000.00", 200_000),
        ("1.000.000", 1_000_000),
        ("quinientos", 500),
    ],
)
def test_number_parsing(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_hostile_repetition_stays_fast() -> None:
    import time

    start = time.perf_counter()
    extract_penalty("imprisonment not exceeding (" * 20_000)
    assert time.perf_counter() - start < 2.0
