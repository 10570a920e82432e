"""Budapest as a law: does aligning the Budapest Convention reproduce the crosswalk?

The Budapest Convention is the law most national cybercrime acts were
drafted from, and the catalogue already says which UNCC article each of
its articles corresponds to (``crosswalk.yaml``, curated by hand). So
treating each Budapest article as a provision and aligning it to the UNCC
is a test with a known answer that no gold file had to label. It only
means something if the engine never sees the answer: this module is the
one place under ``treatywatch.align`` that reads the crosswalk, and a test
checks that stays true.

Two inputs are checked:

- ``catalogue``: each Budapest article as the catalogue describes it (title,
  summary and paragraph duties, in the project's own words);
- ``text``: the Convention's real text from the corpus
  (``budapest-ets185``), read and segmented like any law. Expected labels
  come from a gold file for it when one exists, else from the crosswalk
  by article number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from treatywatch.align.engine import AlignmentEngine, EngineOptions
from treatywatch.align.evaluation.gold import normalise_label, parse_gold
from treatywatch.align.evaluation.metrics import TARGET_CATEGORIES, ScoredRow, compute
from treatywatch.align.model import EngineInfo, ProvisionText
from treatywatch.align.provisions import provisions_from_segmentation
from treatywatch.catalogue import Article, Catalogue, Category, CrosswalkRelation
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.corpus import corpus_dir, corpus_documents

BUDAPEST_CORPUS_ID = "budapest-ets185"
LINKED = (CrosswalkRelation.EQUIVALENT, CrosswalkRelation.PARTIAL)
KIND_OF_CATEGORY = {
    Category.CRIMINALIZATION: "offence",
    Category.PROCEDURAL: "procedural",
    Category.COOPERATION: "cooperation",
}


def expected_links(catalogue: Catalogue | None = None) -> dict[int, tuple[str, ...]]:
    """Budapest article number → the UNCC articles the crosswalk links it to.

    Equivalent and partial links count; an article marked absent-from-uncc
    (or not in the crosswalk at all) expects "no match".
    """
    catalogue = catalogue or Catalogue.load()
    out: dict[int, list[str]] = {a.number: [] for a in catalogue.articles("budapest")}
    for link in catalogue.crosswalk:
        if link.budapest is None or link.uncc is None or link.relation not in LINKED:
            continue
        out.setdefault(link.budapest.number, []).append(str(link.uncc))
    return {number: tuple(ids) for number, ids in out.items()}


def _article_provision(article: Article) -> ProvisionText:
    body = " ".join([article.summary, *(o.summary for o in article.obligations)])
    return ProvisionText(
        key=f"art-{article.number}",
        label=str(article.number),
        heading=article.title,
        text=body,
        kind=KIND_OF_CATEGORY.get(article.category, "other"),
        language="en",
        container=None,
    )


def catalogue_provisions(catalogue: Catalogue | None = None) -> list[ProvisionText]:
    """Each Budapest article as a provision, written from the catalogue's description."""
    catalogue = catalogue or Catalogue.load()
    return [_article_provision(a) for a in catalogue.articles("budapest")]


def text_provisions(corpus: Path | None = None) -> list[ProvisionText]:
    """The Convention's real articles, read and segmented from the corpus."""
    from treatywatch.ingest.pipeline import analyse

    root = corpus or corpus_dir()
    found = [d for d in corpus_documents(root) if d.id == BUDAPEST_CORPUS_ID] if root else []
    if not found or found[0].preferred is None:
        raise TreatywatchError(
            f"the Budapest Convention text ({BUDAPEST_CORPUS_ID}) is not in the corpus"
            + (f" at {root}" if root else ""),
            hint="give --corpus the folder holding budapest-ets185/, or set TREATYWATCH_CORPUS",
        )
    document = found[0]
    path = document.preferred
    assert path is not None
    analysis = analyse(path, language=document.language or "en")
    provisions = provisions_from_segmentation(analysis.segmentation, "en")
    seen: set[str] = set()
    unique = []
    for provision in provisions:  # the file also holds a translation: keep the first of each
        key = normalise_label(provision.label)
        if key not in seen:
            seen.add(key)
            unique.append(provision)
    return unique


def _gold_for_text(gold_dir: Path | None) -> dict[str, tuple[str, ...]] | None:
    if gold_dir is None:
        return None
    path = gold_dir / f"{BUDAPEST_CORPUS_ID}.csv" if gold_dir.is_dir() else gold_dir
    if not path.is_file():
        return None
    rows, problems = parse_gold(path)
    if problems:
        return None
    return {r.label_key: r.uncc for r in rows if r.document == BUDAPEST_CORPUS_ID} or None


@dataclass(frozen=True)
class Disagreement:
    budapest: str  # "budapest/art-13"
    title: str
    expected: tuple[str, ...]  # empty = no UNCC counterpart
    suggested: tuple[str, ...]
    shortlist: tuple[tuple[str, float], ...]

    def record(self) -> dict[str, Any]:
        return {
            "budapest": self.budapest,
            "title": self.title,
            "expected": list(self.expected) or ["none"],
            "suggested": list(self.suggested) or ["none"],
            "shortlist": [{"article": a, "score": round(s, 4)} for a, s in self.shortlist[:3]],
        }


@dataclass
class CrosswalkCheck:
    """How far the engine's Budapest → UNCC alignment agrees with the crosswalk."""

    source: str  # "catalogue" or "text"
    expected_from: str  # "crosswalk" or the gold file
    rows: list[ScoredRow]
    info: EngineInfo
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def top1(self) -> float | None:
        return compute(self.rows).top1

    @property
    def recall_at_3(self) -> float | None:
        return compute(self.rows).recall_at_3

    @property
    def none_accuracy(self) -> float | None:
        rate = compute(self.rows).none_fp_rate
        return None if rate is None else 1.0 - rate

    def record(self) -> dict[str, Any]:
        metrics = compute(self.rows)
        linked = sum(1 for r in self.rows if not r.is_none)
        return {
            "source": self.source,
            "expected_from": self.expected_from,
            "articles": len(self.rows),
            "with_counterpart": linked,
            "without_counterpart": len(self.rows) - linked,
            "top1": _round(metrics.top1),
            "recall_at_3": _round(metrics.recall_at_3),
            "mrr": _round(metrics.mrr),
            "top1_ranked": _round(metrics.top1_ranked),
            "none_accuracy": _round(self.none_accuracy),
            "f1": _round(metrics.f1),
            "disagreements": [d.record() for d in self.disagreements],
            "engine": self.info.record(),
        }


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _category(expected: tuple[str, ...], catalogue: Catalogue) -> str:
    """The category a row is reported under: a criminalization or procedural
    link wins, because the crosswalk lists an article's links in file order
    (Budapest 18, the production order, links the UNCC definitions first)."""
    categories = [str(catalogue.article(a).category) for a in expected]
    preferred = [c for c in categories if c in TARGET_CATEGORIES]
    return (preferred or categories or ["none"])[0]


def _number(label: str | None) -> int | None:
    key = normalise_label(label)
    return int(key) if key.isdigit() else None


def check(
    source: str = "catalogue",
    *,
    corpus: Path | None = None,
    gold: Path | None = None,
    engine: AlignmentEngine | None = None,
    methods: Iterable[str] | None = None,
) -> CrosswalkCheck:
    """Align Budapest (catalogue descriptions or real text) to the UNCC and compare."""
    if source not in ("catalogue", "text"):
        raise TreatywatchError(
            f"unknown Budapest source {source!r}", hint="use 'catalogue' or 'text'"
        )
    catalogue = Catalogue.load()
    if engine is None:
        options = EngineOptions(instruments=("uncc",))
        if methods is not None:
            options = EngineOptions(methods=tuple(methods), instruments=("uncc",))
        engine = AlignmentEngine(options)
    provisions = (
        catalogue_provisions(catalogue) if source == "catalogue" else text_provisions(corpus)
    )
    links = expected_links(catalogue)
    by_label = _gold_for_text(gold) if source == "text" else None
    expected_from = f"gold {gold}" if by_label else "crosswalk"
    rows: list[ScoredRow] = []
    disagreements: list[Disagreement] = []
    for provision, alignment in zip(provisions, engine.align(provisions), strict=True):
        number = _number(provision.label)
        if by_label is not None:
            key = normalise_label(provision.label)
            if key not in by_label:
                continue
            expected = by_label[key]
        elif number is not None and number in links:
            expected = links[number]
        else:
            continue
        suggested = tuple(
            c.article_id for c in alignment.candidates if c.article_id.startswith("uncc/")
        )
        ranked = tuple(
            (c.article_id, c.score) for c in alignment.shortlist if c.article_id.startswith("uncc/")
        )
        first_category = _category(expected, catalogue)
        rows.append(
            ScoredRow(
                document=BUDAPEST_CORPUS_ID,
                provision=provision.label or provision.key,
                heading=provision.heading or "",
                kind=provision.kind,
                language=provision.language,
                category=first_category,
                gold=expected,
                predicted=suggested,
                ranked=ranked,
            )
        )
        agrees = (
            (suggested[0] in expected)
            if expected and suggested
            else (not expected and not suggested)
        )
        if not agrees:
            disagreements.append(
                Disagreement(
                    f"budapest/art-{number}" if number is not None else provision.key,
                    provision.heading or "",
                    expected,
                    suggested,
                    ranked,
                )
            )
    return CrosswalkCheck(source, expected_from, rows, engine.info, disagreements)
