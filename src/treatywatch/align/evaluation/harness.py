"""Run the alignment engine against gold labels and measure it.

One evaluation = the gold rows tied to the provisions they label, the full
engine run once over every referenced law, and — in the same run, on the
same provisions — the single-method baselines (lexical only, embedding
only), so "the combination beats each method alone" is measured rather
than assumed. Gold rows whose provision cannot be found in the ingested
text are kept as misses and listed: dropping them would flatter the score
exactly where segmentation failed.

:func:`collect_pairs` exposes the same provisions as fusion feature
vectors with a right/wrong label, which is what
``scripts/calibrate_alignment.py`` fits the logistic weights on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from treatywatch.align import fusion
from treatywatch.align.engine import AlignmentEngine, EngineOptions
from treatywatch.align.evaluation.documents import (
    GoldDocument,
    Progress,
    ingest_from_corpus,
    load_stored,
    locate,
    resolve_corpus,
)
from treatywatch.align.evaluation.gold import GoldError, GoldRow, normalise_label, parse_gold
from treatywatch.align.evaluation.metrics import (
    Confusion,
    MetricSet,
    Miss,
    ScoredRow,
    confusions,
    misses,
)
from treatywatch.align.model import EngineInfo, ProvisionAlignment, ProvisionText
from treatywatch.align.profiles import profile_index
from treatywatch.assess.gold_metrics import assessment_metrics
from treatywatch.assess.model import AlignedArticle, LawView
from treatywatch.store import ensure_current

BASELINES = {"lexical": ("lexical",), "embedding": ("embedding",)}
"""Single-method configurations reported beside the full engine."""
WORST_MISSES = 25
EVALUATED_INSTRUMENT = "uncc"


@dataclass(frozen=True)
class GoldCase:
    """A gold row and the provision it labels (None when the label was not found)."""

    row: GoldRow
    document: GoldDocument
    provision: ProvisionText | None


@dataclass
class Prepared:
    """Gold rows tied to provisions, ready for any engine configuration."""

    documents: list[GoldDocument]
    cases: list[GoldCase]

    @property
    def unmatched(self) -> list[GoldRow]:
        return [c.row for c in self.cases if c.provision is None]


def _noop(description: str, done: int, total: int) -> None:
    return None


def prepare(
    gold_path: Path,
    corpus_dir: Path | None = None,
    url: str | None = None,
    progress: Progress | None = None,
) -> Prepared:
    """Validate the gold, make sure every law is available, and tie rows to provisions.

    Problems in the gold files and documents that are neither stored nor in
    the corpus are reported together in one :class:`GoldError`.
    """
    report = progress or _noop
    rows, problems = parse_gold(gold_path)
    if not rows and not problems:
        problems.append(f"{gold_path}: no labelled rows")
    corpus = resolve_corpus(corpus_dir)
    ensure_current(url)
    stored, in_corpus, missing = locate({r.document for r in rows}, corpus, url)
    if missing:
        where = f"store or corpus {corpus}" if corpus else "store (no corpus folder found)"
        problems.append(f"documents not found in the {where}: {', '.join(missing)}")
    if problems:
        raise GoldError(
            problems,
            hint="fix the listed rows (see ../shared/gold/README.md); documents must be "
            "ingested already or be folders of the --corpus directory",
        )
    ids = sorted(set(stored) | set(in_corpus))
    documents: dict[str, GoldDocument] = {}
    for done, document_id in enumerate(ids):
        if document_id in stored:
            report(f"reading {document_id}", done, len(ids))
            documents[document_id] = load_stored(document_id, stored[document_id], url)
        else:
            report(f"ingesting {document_id}", done, len(ids))
            documents[document_id] = ingest_from_corpus(in_corpus[document_id], url)
    report("documents ready", len(ids), len(ids))
    return Prepared([documents[i] for i in ids], _tie(rows, documents))


def _tie(rows: list[GoldRow], documents: dict[str, GoldDocument]) -> list[GoldCase]:
    by_label: dict[str, dict[str, ProvisionText]] = {}
    for document_id, document in documents.items():
        index: dict[str, ProvisionText] = {}
        for provision in document.provisions:
            index.setdefault(normalise_label(provision.label), provision)
        by_label[document_id] = index
    return [
        GoldCase(row, documents[row.document], by_label[row.document].get(row.label_key))
        for row in rows
    ]


@dataclass
class RunResult:
    """One engine configuration's answers on the gold rows, and how fast it was."""

    name: str
    info: EngineInfo
    rows: list[ScoredRow]
    metrics: MetricSet
    provisions: int
    seconds: float
    load_seconds: float
    answers: dict[tuple[str, str], ProvisionAlignment] = field(default_factory=dict)

    @property
    def provisions_per_second(self) -> float | None:
        return self.provisions / self.seconds if self.seconds > 0 else None

    def timing(self) -> dict[str, Any]:
        rate = self.provisions_per_second
        return {
            "provisions": self.provisions,
            "seconds": round(self.seconds, 4),
            "provisions_per_second": round(rate, 1) if rate is not None else None,
            "engine_load_seconds": round(self.load_seconds, 3),
        }


def align_documents(
    engine: AlignmentEngine,
    documents: list[GoldDocument],
    progress: Progress | None = None,
    label: str = "aligning",
) -> tuple[dict[tuple[str, str], ProvisionAlignment], float, int]:
    """Align every provision of every document: (answers by (doc, key), seconds, count)."""
    report = progress or _noop
    answers: dict[tuple[str, str], ProvisionAlignment] = {}
    seconds = 0.0
    count = 0
    for done, document in enumerate(documents):
        report(f"{label} {document.id}", done, len(documents))
        start = time.perf_counter()
        aligned = engine.align(document.provisions)
        seconds += time.perf_counter() - start
        count += len(document.provisions)
        for alignment in aligned:
            answers[(document.id, alignment.provision.key)] = alignment
    report(f"{label} done", len(documents), len(documents))
    return answers, seconds, count


def _category(row: GoldRow) -> str:
    if not row.uncc:
        return "none"
    profile = profile_index().get(row.uncc[0])
    return profile.category if profile else "unknown"


def score_case(case: GoldCase, alignment: ProvisionAlignment | None) -> ScoredRow:
    """The gold row with the engine's UNCC answer for its provision."""
    row = case.row
    heading = (case.provision.heading if case.provision else None) or row.title
    predicted: tuple[str, ...] = ()
    ranked: tuple[tuple[str, float], ...] = ()
    if alignment is not None:
        prefix = f"{EVALUATED_INSTRUMENT}/"
        predicted = tuple(
            c.article_id for c in alignment.candidates if c.article_id.startswith(prefix)
        )
        ranked = tuple(
            (c.article_id, c.score) for c in alignment.shortlist if c.article_id.startswith(prefix)
        )
    return ScoredRow(
        document=row.document,
        provision=row.provision,
        heading=heading,
        kind=row.kind,
        language=case.document.language,
        category=_category(row),
        gold=row.uncc,
        predicted=predicted,
        ranked=ranked,
        matched=case.provision is not None,
    )


def run_configuration(
    name: str,
    options: EngineOptions,
    prepared: Prepared,
    progress: Progress | None = None,
) -> RunResult:
    """Build one engine, align all documents once, score the gold rows."""
    start = time.perf_counter()
    engine = AlignmentEngine(options)
    load_seconds = time.perf_counter() - start
    answers, seconds, count = align_documents(engine, prepared.documents, progress, name)
    rows = [
        score_case(
            case, answers.get((case.document.id, case.provision.key)) if case.provision else None
        )
        for case in prepared.cases
    ]
    return RunResult(
        name, engine.info, rows, MetricSet.of(rows), count, seconds, load_seconds, answers
    )


@dataclass
class EvaluationResult:
    """The full engine, its baselines and what it got wrong, on one gold set."""

    engine: RunResult
    baselines: dict[str, RunResult]
    prepared: Prepared
    worst_misses: list[Miss] = field(default_factory=list)
    frequent_confusions: list[Confusion] = field(default_factory=list)
    assessment: dict[str, Any] = field(default_factory=dict)

    def best_baseline_gain(self, metric: str = "top1", subset: str = "target") -> float | None:
        """Points (0–100) the engine is ahead of the best single-method baseline.

        A baseline is scored with the engine's calibration, fitted for the
        combined evidence, so one method alone may rarely clear the
        threshold and its ``top1`` collapses towards 0. ``top1_ranked``
        (its best-ranked article, whatever the score) is the fair
        comparison of what each configuration *knows*; both are reported.
        """
        ours = _metric(self.engine.metrics, subset, metric)
        theirs = [_metric(b.metrics, subset, metric) for b in self.baselines.values()]
        known = [t for t in theirs if t is not None]
        if ours is None or not known:
            return None
        return round(100 * (ours - max(known)), 1)

    def record(self) -> dict[str, Any]:
        """The ``treatywatch eval --json`` document."""
        metrics = self.engine.metrics
        return {
            **metrics.overall.record(),
            "target": metrics.target.record(),
            "baselines": {
                name: {
                    **run.metrics.overall.record(),
                    "target": run.metrics.target.record(),
                    "per_language": {k: v.record() for k, v in run.metrics.per_language.items()},
                    "engine": run.info.record(),
                    "timing": run.timing(),
                }
                for name, run in self.baselines.items()
            },
            "gain_over_best_baseline": {
                "top1_points": self.best_baseline_gain("top1", "overall"),
                "target_top1_points": self.best_baseline_gain("top1", "target"),
                "top1_ranked_points": self.best_baseline_gain("top1_ranked", "overall"),
                "target_top1_ranked_points": self.best_baseline_gain("top1_ranked", "target"),
            },
            "per_kind": {k: v.record() for k, v in metrics.per_kind.items()},
            "per_category": {k: v.record() for k, v in metrics.per_category.items()},
            "per_language": {k: v.record() for k, v in metrics.per_language.items()},
            "per_document": {k: v.record() for k, v in metrics.per_document.items()},
            "confusions": [m.record() for m in self.worst_misses],
            "frequent_confusions": [c.record() for c in self.frequent_confusions],
            "unmatched_gold": [
                {"document": r.document, "provision": r.provision, "title": r.title, "at": r.source}
                for r in self.prepared.unmatched
            ],
            "documents": [
                {
                    "id": d.id,
                    "stored_id": d.stored_id,
                    "origin": d.origin,
                    "language": d.language,
                    "provisions": len(d.provisions),
                }
                for d in self.prepared.documents
            ],
            "engine": self.engine.info.record(),
            "timing": self.engine.timing(),
            **{name: value.get("accuracy") for name, value in self.assessment.items()},
            "assessment": self.assessment,
        }


def _metric(metrics: MetricSet, subset: str, name: str) -> float | None:
    chosen = metrics.target if subset == "target" else metrics.overall
    value = getattr(chosen, name)
    return float(value) if value is not None else None


def _in_store(options: EngineOptions, url: str | None) -> EngineOptions:
    """Keep the embedding cache in the store being evaluated, not the configured one."""
    if url is not None and options.store_url is None:
        return replace(options, store_url=url)
    return options


def evaluate(
    gold_path: Path,
    corpus_dir: Path | None = None,
    url: str | None = None,
    engine_options: EngineOptions | None = None,
    baselines: bool = True,
    progress: Progress | None = None,
) -> EvaluationResult:
    """Evaluate the engine (and, unless told not to, its baselines) on a gold set."""
    options = _in_store(engine_options or EngineOptions(), url)
    prepared = prepare(gold_path, corpus_dir, url, progress)
    main = run_configuration("engine", options, prepared, progress)
    others: dict[str, RunResult] = {}
    if baselines:
        for name, methods in BASELINES.items():
            others[name] = run_configuration(
                name, replace(options, methods=methods), prepared, progress
            )
    found = misses(main.rows)
    return EvaluationResult(
        main,
        others,
        prepared,
        found[:WORST_MISSES],
        confusions(found),
        assessment_accuracy(prepared, main.answers),
    )


def assessment_accuracy(
    prepared: Prepared, answers: dict[tuple[str, str], ProvisionAlignment]
) -> dict[str, Any]:
    """Content-offence, penalty and judicial-authorization accuracy over all gold laws.

    Each law is viewed as the assessment sees it after alignment (the
    engine's suggestions as its aligned articles), so the numbers measure
    the pipeline a user runs, not the detectors on ideal input.
    """
    totals: dict[str, dict[str, Any]] = {}
    for document in prepared.documents:
        rows = [c.row for c in prepared.cases if c.document.id == document.id]
        alignments = {
            key: [AlignedArticle(c.article_id, c.score, "suggested") for c in answer.candidates]
            for (doc_id, key), answer in answers.items()
            if doc_id == document.id
        }
        law = LawView(
            document_id=document.stored_id or document.id,
            version_id=0,
            version_date="",
            title=document.id,
            country="",
            language=document.language,
            provisions=document.provisions,
            alignments=alignments,
        )
        for name, metric in assessment_metrics(rows, law).items():
            total = totals.setdefault(name, {"correct": 0, "total": 0, "errors": []})
            total["correct"] += metric["correct"]
            total["total"] += metric["total"]
            total["errors"] += [{"document": document.id, **e} for e in metric["errors"]]
    for total in totals.values():
        count = total["total"]
        total["accuracy"] = round(total["correct"] / count, 4) if count else None
    return totals


# --- calibration data ----------------------------------------------------------------


@dataclass(frozen=True)
class PairFeatures:
    """One provision × candidate article: fusion's features and whether gold has the link."""

    article_id: str
    features: dict[str, float]
    in_gold: bool

    @property
    def instrument(self) -> str:
        return self.article_id.split("/", 1)[0]


@dataclass(frozen=True)
class ProvisionPairs:
    """Every candidate the methods raised for one gold provision."""

    document: str
    provision: str
    heading: str
    kind: str
    language: str
    category: str
    gold: tuple[str, ...]  # UNCC
    gold_budapest: tuple[str, ...]
    matched: bool
    pairs: list[PairFeatures]
    provision_kind: str = "other"  # the ingest classification fusion saw

    def scored(self, weights: fusion.Calibration, shortlist_size: int = 10) -> ScoredRow:
        """This provision's UNCC answer under other weights, as the engine would give it."""
        probabilities = [weights.probability(p.features) for p in self.pairs]
        match = None
        if weights.match_weights:
            match = weights.match_probability(self.match_features(probabilities))
        return self.scored_with(
            probabilities, weights.threshold, shortlist_size, match, weights.match_threshold
        )

    def match_features(self, probabilities: list[float]) -> dict[str, float]:
        """Fusion's provision-level features for the UNCC pairs, given pair probabilities."""
        uncc = [
            (p, probability)
            for p, probability in zip(self.pairs, probabilities, strict=True)
            if p.instrument == EVALUATED_INSTRUMENT
        ]
        uncc.sort(key=lambda item: (-item[1], item[0].article_id))
        top = uncc[0][1] if uncc else 0.0
        top_pair = uncc[0][0].features if uncc else None
        maxima = {
            m: max((p.features.get(m, 0.0) for p, _ in uncc), default=0.0)
            for m in ("lexical", "embedding", "rules")
        }
        return fusion.match_features(self.provision_kind, top, maxima, top_pair)

    def scored_with(
        self,
        probabilities: list[float],
        threshold: float,
        shortlist_size: int = 10,
        match_probability: float | None = None,
        match_threshold: float = 0.5,
    ) -> ScoredRow:
        """The UNCC answer given one probability per pair (e.g. out-of-fold ones)."""
        ranked = sorted(
            (
                (p.article_id, probability)
                for p, probability in zip(self.pairs, probabilities, strict=True)
                if p.instrument == EVALUATED_INSTRUMENT
            ),
            key=lambda item: (-item[1], item[0]),
        )[:shortlist_size]
        return ScoredRow(
            document=self.document,
            provision=self.provision,
            heading=self.heading,
            kind=self.kind,
            language=self.language,
            category=self.category,
            gold=self.gold,
            predicted=_selected(ranked, threshold, match_probability, match_threshold),
            ranked=tuple(ranked),
            matched=self.matched,
        )


def _selected(
    ranked: list[tuple[str, float]],
    threshold: float,
    match_probability: float | None,
    match_threshold: float,
) -> tuple[str, ...]:
    """What fusion.select would suggest from this ranking."""
    if match_probability is None:
        return tuple(a for a, s in ranked if s >= threshold)
    if not ranked or match_probability < match_threshold:
        return ()
    return (ranked[0][0], *(a for a, s in ranked[1:] if s >= threshold))


def pair_features(alignment: ProvisionAlignment) -> list[tuple[str, dict[str, float]]]:
    """Fusion's feature vector for every shortlisted pair, rebuilt from the evidence.

    Ranks per method are recomputed among the pairs of the same instrument,
    exactly as :func:`treatywatch.align.fusion.fuse` does, so the features
    match the ones the engine scored (given a shortlist long enough to hold
    every pair).
    """
    profiles = profile_index()
    by_instrument: dict[str, list[fusion.PairVotes]] = {}
    for candidate in alignment.shortlist:
        profile = profiles.get(candidate.article_id)
        if profile is None:
            continue
        votes = fusion.PairVotes(candidate.article_id, profile.category, list(candidate.evidence))
        by_instrument.setdefault(profile.instrument, []).append(votes)
    out: list[tuple[str, dict[str, float]]] = []
    for pairs in by_instrument.values():
        ranks = fusion.method_ranks(pairs)
        for votes in pairs:
            feats = fusion.features(votes, alignment.provision, ranks[votes.article_id])
            out.append((votes.article_id, feats))
    return out


ALL_PAIRS = 100_000
"""A shortlist long enough that the engine keeps every pair the methods raised."""


def collect_pairs(
    gold_path: Path,
    corpus_dir: Path | None = None,
    url: str | None = None,
    engine_options: EngineOptions | None = None,
    progress: Progress | None = None,
) -> list[ProvisionPairs]:
    """Feature vectors of every provision × candidate article, labelled by the gold.

    A pair counts as right when the gold lists the article under either
    instrument (UNCC or Budapest), so the fit learns from both columns.
    Unmatched gold rows are returned with no pairs: they are misses the
    calibration cannot fix, and the calibration script counts them so.
    """
    options = replace(_in_store(engine_options or EngineOptions(), url), shortlist_size=ALL_PAIRS)
    prepared = prepare(gold_path, corpus_dir, url, progress)
    engine = AlignmentEngine(options)
    answers, _seconds, _count = align_documents(engine, prepared.documents, progress)
    out: list[ProvisionPairs] = []
    for case in prepared.cases:
        row = case.row
        alignment = answers.get((case.document.id, case.provision.key)) if case.provision else None
        gold = set(row.uncc) | set(row.budapest)
        pairs = [
            PairFeatures(article_id, feats, article_id in gold)
            for article_id, feats in (pair_features(alignment) if alignment else [])
        ]
        out.append(
            ProvisionPairs(
                document=row.document,
                provision=row.provision,
                heading=(case.provision.heading if case.provision else None) or row.title,
                kind=row.kind,
                language=case.document.language,
                category=_category(row),
                gold=row.uncc,
                gold_budapest=row.budapest,
                matched=case.provision is not None,
                pairs=pairs,
                provision_kind=case.provision.kind if case.provision else "other",
            )
        )
    return out
