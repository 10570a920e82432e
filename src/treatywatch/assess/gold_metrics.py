"""Assessment accuracy against gold labels: content offences, penalties, authorization.

The gold files (``../shared/gold/*.csv``, see its README) label each
provision with ``content_offence`` (yes/no, offences only),
``max_prison_years`` (life = 99) and ``judicial_authorization``
(prior-judicial / mixed / none, procedural powers only). Each metric uses
only the rows that carry its label, matches them to the law's provisions
by label (the same normalisation alignment evaluation uses), and counts a
row whose provision cannot be found as wrong — a provision the pipeline
lost is a miss, not a row to drop.

:func:`assessment_metrics` is what ``treatywatch eval`` calls; any row
object with ``provision`` and the three columns will do.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from treatywatch.align.evaluation.gold import normalise_label
from treatywatch.align.model import ProvisionText
from treatywatch.assess.cues import CueBook, cue_book
from treatywatch.assess.detectors.base import penalty_of
from treatywatch.assess.detectors.judicial import classify_authorization
from treatywatch.assess.detectors.scope import is_content_offence
from treatywatch.assess.model import LawView

YEARS_TOLERANCE = 1e-6
AUTHORIZATION_LABELS = ("prior-judicial", "mixed", "none")


class GoldRowLike(Protocol):
    """What a gold row must offer; the evaluation's ``GoldRow`` and :class:`GoldLabels` do."""

    @property
    def provision(self) -> str: ...

    @property
    def content_offence(self) -> str | None: ...

    @property
    def max_prison_years(self) -> str | float | None: ...

    @property
    def judicial_authorization(self) -> str | None: ...


@dataclass(frozen=True)
class GoldLabels:
    """The assessment columns of one gold CSV row (for scripts reading the CSVs directly)."""

    document: str
    provision: str
    content_offence: str | None
    max_prison_years: str | float | None
    judicial_authorization: str | None


def read_gold_labels(path: Path) -> list[GoldLabels]:
    """The assessment columns of one gold CSV (no validation beyond reading it)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            GoldLabels(
                document=row.get("document", ""),
                provision=row.get("provision", ""),
                content_offence=row.get("content_offence") or None,
                max_prison_years=row.get("max_prison_years") or None,
                judicial_authorization=row.get("judicial_authorization") or None,
            )
            for row in csv.DictReader(handle)
        ]


def _years(value: str | float | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _metric(outcomes: list[tuple[str, object, object]]) -> dict[str, Any]:
    correct = sum(1 for _label, gold, got in outcomes if gold == got)
    total = len(outcomes)
    return {
        "accuracy": round(correct / total, 4) if total else None,
        "correct": correct,
        "total": total,
        "errors": [
            {"provision": label, "gold": gold, "predicted": got}
            for label, gold, got in outcomes
            if gold != got
        ],
    }


def _index(law: LawView) -> dict[str, ProvisionText]:
    out: dict[str, ProvisionText] = {}
    for provision in law.provisions:
        out.setdefault(normalise_label(provision.label or provision.key), provision)
    return out


def content_offence_accuracy(
    rows: Sequence[GoldRowLike], law: LawView, cues: CueBook | None = None
) -> dict[str, Any]:
    book = cues or cue_book()
    index = _index(law)
    outcomes: list[tuple[str, object, object]] = []
    for row in rows:
        label = (row.content_offence or "").strip().lower()
        if label not in ("yes", "no"):
            continue
        provision = index.get(normalise_label(row.provision))
        got: object = "unmatched"
        if provision is not None:
            got = "yes" if is_content_offence(book, provision) else "no"
        outcomes.append((row.provision, label, got))
    return _metric(outcomes)


def penalty_accuracy(rows: Sequence[GoldRowLike], law: LawView) -> dict[str, Any]:
    index = _index(law)
    outcomes: list[tuple[str, object, object]] = []
    for row in rows:
        gold = _years(row.max_prison_years)
        if gold is None:
            continue
        provision = index.get(normalise_label(row.provision))
        got: object = "unmatched"
        if provision is not None:
            penalty = penalty_of(provision)
            got = penalty.max_years if penalty else None
        same = isinstance(got, float) and abs(got - gold) <= YEARS_TOLERANCE
        outcomes.append((row.provision, gold, gold if same else got))
    return _metric(outcomes)


def judicial_authorization_accuracy(
    rows: Sequence[GoldRowLike], law: LawView, cues: CueBook | None = None
) -> dict[str, Any]:
    book = cues or cue_book()
    index = _index(law)
    outcomes: list[tuple[str, object, object]] = []
    for row in rows:
        label = (row.judicial_authorization or "").strip().lower()
        if label not in AUTHORIZATION_LABELS:
            continue
        provision = index.get(normalise_label(row.provision))
        got = "unmatched" if provision is None else classify_authorization(book, provision).kind
        outcomes.append((row.provision, label, got))
    return _metric(outcomes)


def assessment_metrics(
    rows: Sequence[GoldRowLike], law: LawView, cues: CueBook | None = None
) -> dict[str, dict[str, Any]]:
    """The three assessment accuracies for one law (each with its row count and errors)."""
    return {
        "content_offence_accuracy": content_offence_accuracy(rows, law, cues),
        "penalty_accuracy": penalty_accuracy(rows, law),
        "judicial_authorization_accuracy": judicial_authorization_accuracy(rows, law, cues),
    }
