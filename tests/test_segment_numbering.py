"""Number and label helpers, and the accuracy measure shared with the benchmarks."""

from __future__ import annotations

import pytest

from treatywatch.ingest.model import ProvisionNode, Segmentation
from treatywatch.ingest.segment import segmentation_accuracy
from treatywatch.ingest.segment.numbering import (
    german_ordinal_to_int,
    is_successor,
    label_key,
    roman_to_int,
    slug,
    word_to_int,
)


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("46", ((46, 0),)),
        ("46A", ((46, 1),)),
        ("202a", ((202, 1),)),
        ("12 bis", ((12, 2),)),
        ("12 ter", ((12, 3),)),
        ("431-7", ((431, 0), (7, 0))),
        ("272.1", ((272, 0), (1, 0))),
        ("1er", ((1, 0),)),
        ("premier", ((1, 0),)),
        ("XIV", ((14, 0),)),
        ("L. 323-1", ((323, 0), (1, 0))),
        ("٣", ((3, 0),)),
    ],
)
def test_label_keys(label: str, key: tuple[tuple[int, int], ...]) -> None:
    assert label_key(label) == key


def test_sequence_rules() -> None:
    assert is_successor(((46, 0),), ((46, 1),), max_gap=1)  # 46 → 46A
    assert is_successor(((46, 1),), ((47, 0),), max_gap=1)  # 46A → 47
    assert not is_successor(((46, 0),), ((45, 0),), max_gap=5)
    assert not is_successor(((5, 0),), ((9, 0),), max_gap=1)
    assert is_successor(((431, 0), (7, 0)), ((431, 0), (8, 0)), max_gap=1)
    assert not is_successor(((431, 0), (7, 0)), ((432, 0), (8, 0)), max_gap=1)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("12 bis", "12bis"),
        ("1er", "1"),
        ("premier", "1"),
        ("46A", "46a"),
        ("431-7", "431-7"),
        ("primero transitorio", "1-transitorio"),
        ("L. 323-1", "l323-1"),
    ],
)
def test_slugs_are_stable_across_spellings(label: str, expected: str) -> None:
    assert slug(label) == expected


def test_word_numbers() -> None:
    assert roman_to_int("XLIV") == 44
    assert roman_to_int("IIII") is None
    assert german_ordinal_to_int("Zweiundzwanzigster") == 22
    assert german_ordinal_to_int("Siebter") == 7
    assert german_ordinal_to_int("Wasser") is None
    assert word_to_int("Fünfzehnter") == 15
    assert word_to_int("二十三") == 23
    assert word_to_int("unknown") is None


def test_segmentation_accuracy_counts_labels_headings_and_containers() -> None:
    expected = [
        {"label": "1", "title": "Short title", "container": "Part I"},
        {"label": "2", "title": "Article 2", "container": "Part I"},  # only the number again
        {"label": "3", "title": "In", "container": "Part I > Part II"},  # a title cut short
        {"label": "4", "title": "Missing", "container": None},
    ]
    found = Segmentation(
        [
            ProvisionNode("section", "1", "Short Title.", container="Part I"),
            ProvisionNode("section", "2", None, container="Part I"),
            ProvisionNode("section", "3", "In camera trial", container="Part II – Procedure"),
            ProvisionNode("section", "9", "Extra"),
        ]
    )
    report = segmentation_accuracy(expected, found)
    assert report["label_recall"] == 0.75
    assert report["accuracy"] == 0.75
    assert report["strict_accuracy"] == 0.5
    assert report["container_accuracy"] == 1.0
    assert report["precision"] == 0.75
    assert report["missing"] == ["4"]
    assert report["extra"] == ["9"]
