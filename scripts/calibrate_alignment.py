"""Fit the alignment fusion weights on gold labels and write align/data/calibration.yaml.

Usage::

    .venv/bin/python scripts/calibrate_alignment.py --gold ../shared/gold [--dry-run]

What it does, and why:

1. runs every alignment method once over the gold laws and collects, for
   each provision × candidate article the methods raised, fusion's feature
   vector and whether the gold lists that link (UNCC or Budapest column);
2. fits an L2-regularised logistic regression (plain numpy, Newton steps:
   nine features need nothing heavier), so the fused score reads as a
   probability that the link is right;
3. estimates how that generalises to *unseen laws* with leave-one-document-
   out cross-validation — the product is judged on laws that are not in
   the gold set, so a law must never help score itself;
4. chooses the suggestion threshold on the out-of-fold scores: the highest
   F1 whose false-positive rate on "no match" rows stays within the
   issue's budget (10%);
5. refits on every law and writes the weights and that threshold.

The store used is the configured one (``TREATYWATCH_DATA_DIR``); laws not
yet in it are ingested from the corpus, as ``treatywatch eval`` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from treatywatch.align.engine import EngineOptions
from treatywatch.align.evaluation.harness import ProvisionPairs, collect_pairs
from treatywatch.align.evaluation.metrics import Metrics, MetricSet, ScoredRow, compute
from treatywatch.align.fusion import FEATURES, MATCH_FEATURES, match_features

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src" / "treatywatch" / "align" / "data" / "calibration.yaml"
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.01), 2)

Matrix = NDArray[np.float64]


def design(groups: Sequence[ProvisionPairs]) -> tuple[Matrix, Matrix]:
    """Feature matrix (columns in fusion's FEATURES order) and 0/1 labels."""
    rows = [[pair.features.get(name, 0.0) for name in FEATURES] for g in groups for pair in g.pairs]
    labels = [1.0 if pair.in_gold else 0.0 for g in groups for pair in g.pairs]
    return np.asarray(rows, dtype=float).reshape(-1, len(FEATURES)), np.asarray(labels)


def fit(x: Matrix, y: Matrix, l2: float, iterations: int = 50) -> Matrix:
    """L2-penalised logistic regression by Newton–Raphson; the bias is not penalised."""
    weights = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0  # both feature lists start with the bias
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ weights, -30, 30)))
        gradient = x.T @ (p - y) + penalty * weights
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return weights


def probabilities(group: ProvisionPairs, weights: Matrix) -> list[float]:
    if not group.pairs:
        return []
    x, _y = design([group])
    return list(1.0 / (1.0 + np.exp(-np.clip(x @ weights, -30, 30))))


def rows_at(
    groups: Sequence[ProvisionPairs], probs: Sequence[list[float]], threshold: float
) -> list[ScoredRow]:
    return [g.scored_with(p, threshold) for g, p in zip(groups, probs, strict=True)]


def choose_threshold(
    groups: Sequence[ProvisionPairs], probs: Sequence[list[float]], max_none_fp: float
) -> tuple[float, Metrics]:
    """Highest-F1 threshold whose none-FP rate is within budget (else the strictest one)."""
    best: tuple[float, Metrics] | None = None
    fallback: tuple[float, Metrics] | None = None
    for threshold in THRESHOLDS:
        metrics = compute(rows_at(groups, probs, float(threshold)))
        fp = metrics.none_fp_rate or 0.0
        if fallback is None or fp < (fallback[1].none_fp_rate or 0.0):
            fallback = (float(threshold), metrics)
        if fp <= max_none_fp and (best is None or (metrics.f1 or 0.0) > (best[1].f1 or 0.0)):
            best = (float(threshold), metrics)
    chosen = best or fallback
    assert chosen is not None
    return chosen


def cross_validate(groups: Sequence[ProvisionPairs], l2: float) -> list[list[float]]:
    """Out-of-fold probabilities: each law scored by weights fitted on the others."""
    documents = sorted({g.document for g in groups})
    out: list[list[float]] = [[] for _ in groups]
    for held_out in documents:
        train = [g for g in groups if g.document != held_out]
        x, y = design(train)
        weights = fit(x, y, l2)
        for i, group in enumerate(groups):
            if group.document == held_out:
                out[i] = probabilities(group, weights)
    return out


def provision_match_features(group: ProvisionPairs, probs: list[float]) -> dict[str, float]:
    """Fusion's provision-level features for the UNCC pairs, as ``fusion.fuse`` builds them.

    Built here rather than by ``ProvisionPairs.match_features`` so the
    best-ranked pair's own features (``top_*``) are included.
    """
    uncc = [
        (pair, probability)
        for pair, probability in zip(group.pairs, probs, strict=True)
        if pair.instrument == "uncc"
    ]
    if not uncc:
        return match_features(group.provision_kind, 0.0, {})
    uncc.sort(key=lambda item: (-item[1], item[0].article_id))
    top_pair, top = uncc[0]
    maxima = {
        m: max(pair.features.get(m, 0.0) for pair, _ in uncc)
        for m in ("lexical", "embedding", "rules")
    }
    return match_features(group.provision_kind, top, maxima, top_pair.features)


def match_design(
    groups: Sequence[ProvisionPairs], probs: Sequence[list[float]]
) -> tuple[Matrix, Matrix]:
    """Provision-level features (given pair probabilities) and 'gold has a UNCC article'."""
    rows = []
    for group, p in zip(groups, probs, strict=True):
        feats = provision_match_features(group, p)
        rows.append([feats.get(name, 0.0) for name in MATCH_FEATURES])
    labels = [1.0 if g.gold else 0.0 for g in groups]
    return np.asarray(rows, dtype=float).reshape(-1, len(MATCH_FEATURES)), np.asarray(labels)


def logistic(x: Matrix, weights: Matrix) -> Matrix:
    result: Matrix = 1.0 / (1.0 + np.exp(-np.clip(x @ weights, -30, 30)))
    return result


def cross_validate_match(
    groups: Sequence[ProvisionPairs], probs: Sequence[list[float]], l2: float
) -> list[float]:
    """Out-of-fold provision-level match probabilities (pair probabilities already OOF)."""
    documents = sorted({g.document for g in groups})
    x, y = match_design(groups, probs)
    out = np.zeros(len(groups))
    for held_out in documents:
        train = np.array([g.document != held_out for g in groups])
        weights = fit(x[train], y[train], l2)
        out[~train] = logistic(x[~train], weights)
    return list(out)


def rows_two_stage(
    groups: Sequence[ProvisionPairs],
    probs: Sequence[list[float]],
    match: Sequence[float],
    threshold: float,
    match_threshold: float,
) -> list[ScoredRow]:
    return [
        g.scored_with(p, threshold, 10, m, match_threshold)
        for g, p, m in zip(groups, probs, match, strict=True)
    ]


def choose_two_stage(
    groups: Sequence[ProvisionPairs],
    probs: Sequence[list[float]],
    match: Sequence[float],
    max_none_fp: float,
) -> tuple[float, float, Metrics]:
    """Thresholds with the best top-1 (then F1) whose none-FP rate is within budget."""
    best: tuple[float, float, Metrics] | None = None
    for match_threshold in THRESHOLDS:
        for threshold in THRESHOLDS[::5]:
            rows = rows_two_stage(groups, probs, match, float(threshold), float(match_threshold))
            metrics = compute(rows)
            if (metrics.none_fp_rate or 0.0) > max_none_fp:
                continue
            key = (metrics.top1 or 0.0, metrics.f1 or 0.0)
            if best is None or key > (best[2].top1 or 0.0, best[2].f1 or 0.0):
                best = (float(threshold), float(match_threshold), metrics)
    if best is None:
        raise SystemExit("no threshold pair keeps the none-FP rate within budget")
    return best


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def print_metrics(title: str, metric_set: MetricSet) -> None:
    keys = ("top1", "recall_at_3", "mrr", "precision", "recall", "f1", "none_fp_rate", "n")
    headers = ("top-1", "recall@3", "MRR", "precision", "recall", "F1", "none FP", "n")
    print(f"\n{title}")
    print(f"  {'subset':<28}" + "".join(f"{h:>11}" for h in headers))
    subsets = [("overall", metric_set.overall), ("target", metric_set.target)]
    subsets += [(f"language {k}", v) for k, v in metric_set.per_language.items()]
    subsets += [(f"document {k}", v) for k, v in metric_set.per_document.items()]
    for name, metrics in subsets:
        print(f"  {name:<28}" + "".join(f"{_fmt(getattr(metrics, k)):>11}" for k in keys))


def write_calibration(
    path: Path,
    weights: Matrix,
    threshold: float,
    fitted_on: str,
    match_weights: Matrix | None = None,
    match_threshold: float | None = None,
) -> None:
    lines = [
        "# Logistic weights that turn the alignment methods' votes into a calibrated",
        "# score (see treatywatch/align/fusion.py). Regenerate with",
        "#   .venv/bin/python scripts/calibrate_alignment.py --gold ../shared/gold",
        "# The threshold is the highest-F1 one whose false-positive rate on 'no match'",
        "# provisions stays within budget, chosen on leave-one-law-out scores.",
        f"fitted_on: {json.dumps(fitted_on, ensure_ascii=False)}",
        f"threshold: {threshold:.2f}",
        "weights:",
        *(f"  {name}: {value:.4f}" for name, value in zip(FEATURES, weights, strict=True)),
    ]
    if match_weights is not None and match_threshold is not None:
        lines += [
            "# Provision-level 'implements any article?' model: the best-ranked article",
            "# is suggested when this probability reaches match_threshold; further",
            "# articles need their own score to reach threshold.",
            f"match_threshold: {match_threshold:.2f}",
            "match_weights:",
            *(
                f"  {name}: {value:.4f}"
                for name, value in zip(MATCH_FEATURES, match_weights, strict=True)
            ),
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty (default 1.0)")
    parser.add_argument("--max-none-fp", type=float, default=0.10)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument(
        "--methods", default=None, help="Comma-separated methods (default: all available)."
    )
    parser.add_argument(
        "--allow-silent",
        action="store_true",
        help="Write even when a feature never fired (a method was unavailable).",
    )
    parser.add_argument("--dry-run", action="store_true", help="Print, do not write the file.")
    args = parser.parse_args(argv)

    options = EngineOptions()
    if args.methods:
        options = EngineOptions(methods=tuple(m.strip() for m in args.methods.split(",")))
    groups = collect_pairs(args.gold, args.corpus, engine_options=options)
    x, y = design(groups)
    documents = sorted({g.document for g in groups})
    print(
        f"{len(groups)} gold provisions in {len(documents)} laws; {len(y)} candidate pairs, "
        f"{int(y.sum())} right ({y.mean():.1%}); L2 = {args.l2}"
    )
    silent = [name for i, name in enumerate(FEATURES) if not x[:, i].any()]
    if silent:
        print(
            f"warning: feature(s) never non-zero: {', '.join(silent)} — did every method run? "
            "Their weights will be 0."
        )
        if not args.dry_run and not args.allow_silent:
            print("refusing to write weights that ignore a method (use --allow-silent)")
            return 1
    oof = cross_validate(groups, args.l2)
    threshold, _ = choose_threshold(groups, oof, args.max_none_fp)
    cv_single = MetricSet.of(rows_at(groups, oof, threshold))
    print_metrics(f"Pair threshold only — leave-one-law-out CV at {threshold:.2f}", cv_single)
    oof_match = cross_validate_match(groups, oof, args.l2)
    threshold, match_threshold, _ = choose_two_stage(groups, oof, oof_match, args.max_none_fp)
    cv = MetricSet.of(rows_two_stage(groups, oof, oof_match, threshold, match_threshold))
    print_metrics(
        f"Two-stage — leave-one-law-out CV (match {match_threshold:.2f}, pair {threshold:.2f})",
        cv,
    )
    weights = fit(x, y, args.l2)
    all_probs = [probabilities(g, weights) for g in groups]
    mx, my = match_design(groups, all_probs)
    match_weights = fit(mx, my, args.l2)
    print("\nMatch weights fitted on all laws:")
    for name, value in zip(MATCH_FEATURES, match_weights, strict=True):
        print(f"  {name:<16} {value:+.4f}")
    print("\nWeights fitted on all laws:")
    for name, value in zip(FEATURES, weights, strict=True):
        print(f"  {name:<16} {value:+.4f}")
    in_sample = MetricSet.of(
        rows_two_stage(
            groups, all_probs, list(logistic(mx, match_weights)), threshold, match_threshold
        )
    )
    print_metrics("In-sample (all laws, for comparison only)", in_sample)
    overall = cv.overall
    fitted_on = (
        f"{len(groups)} provisions in {len(documents)} laws ({', '.join(documents)}), "
        f"{dt.date.today().isoformat()}; leave-one-law-out CV: top1 {_fmt(overall.top1)}, "
        f"recall@3 {_fmt(overall.recall_at_3)}, F1 {_fmt(overall.f1)}, "
        f"none FP {_fmt(overall.none_fp_rate)}"
    )
    if args.dry_run:
        print(f"\n(dry run: {args.out} not written)")
        return 0
    write_calibration(args.out, weights, threshold, fitted_on, match_weights, match_threshold)
    print(f"\nWrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
