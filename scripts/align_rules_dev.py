"""Development check of the lexical and rule alignment methods against the gold.

Ingests each corpus law that has a gold file (``analyse`` on law.txt, no
store), matches gold rows to top-level provisions by label, runs each
method and prints, overall and per language:

- top-1 and recall@3 over rows whose gold UNCC set contains a
  criminalization or procedural article (the product targets);
- the false-positive rate on gold ``none`` rows (any UNCC vote at or above
  ``--fp-threshold``);
- for rules, precision of fired rules (a fired UNCC article is in the gold set).

    .venv/bin/python scripts/align_rules_dev.py [--shared ../shared] [--misses]

The gold is for development only: the methods are judged on laws not in
it, so read misses for *general* lessons, not for one law's wording.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

from treatywatch.align.engine import AlignmentEngine, EngineOptions
from treatywatch.align.lexical import LexicalMethod
from treatywatch.align.model import Method, ProvisionText, Signal
from treatywatch.align.profiles import profile_index
from treatywatch.align.provisions import provisions_from_segmentation
from treatywatch.align.rules import RuleMethod
from treatywatch.ingest.pipeline import analyse

TARGET_CATEGORIES = {"criminalization", "procedural"}


def load_provisions(corpus: Path, doc_id: str) -> list[ProvisionText]:
    analysis = analyse(corpus / doc_id / "law.txt")
    return provisions_from_segmentation(analysis.segmentation, analysis.language)


def uncc_ranking(signals: list[Signal]) -> list[str]:
    best: dict[str, float] = {}
    for s in signals:
        if s.article_id.startswith("uncc/"):
            best[s.article_id] = max(best.get(s.article_id, 0.0), s.strength)
    return [a for a, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))]


class _EngineAsMethod:
    """The fused engine seen as one method: candidates above the threshold
    become strength-1 votes, the rest of the shortlist ranks below them."""

    name = "engine"

    def __init__(self) -> None:
        self.engine = AlignmentEngine(EngineOptions(methods=("lexical", "rules", "context")))

    def signals(self, provisions: list[ProvisionText]) -> list[list[Signal]]:
        out = []
        for alignment in self.engine.align(provisions):
            chosen = {c.article_id for c in alignment.candidates}
            out.append(
                [
                    Signal(
                        c.article_id,
                        "engine",
                        0.5 + c.score / 2 if c.article_id in chosen else c.score * 0.49,
                    )
                    for c in alignment.shortlist
                ]
            )
        return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[2] / "shared")
    parser.add_argument("--misses", action="store_true", help="list rows the rules got wrong")
    parser.add_argument("--fp-threshold", type=float, default=0.5)
    parser.add_argument("--only", help="one document id")
    parser.add_argument(
        "--engine", action="store_true", help="also run the engine (lexical + rules + context)"
    )
    args = parser.parse_args()
    gold_dir, corpus = args.shared / "gold", args.shared / "corpus"
    if not gold_dir.is_dir():
        print(f"no gold folder at {gold_dir}", file=sys.stderr)
        return 2
    categories = {aid: p.category for aid, p in profile_index().items()}
    methods: dict[str, Method] = {"lexical": LexicalMethod(), "rules": RuleMethod()}
    if args.engine:
        methods["engine"] = _EngineAsMethod()
    # stats[method][language][metric] = [hits, n]
    stats: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(lambda: [0, 0]))
    )
    timing: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    misses: list[str] = []
    for gold_file in sorted(gold_dir.glob("*.csv")):
        doc_id = gold_file.stem
        if args.only and doc_id != args.only:
            continue
        provisions = load_provisions(corpus, doc_id)
        by_label = {p.label: p for p in provisions}
        rows = list(csv.DictReader(gold_file.open(encoding="utf-8")))
        matched = [(r, by_label[r["provision"]]) for r in rows if r["provision"] in by_label]
        unmatched = [r["provision"] for r in rows if r["provision"] not in by_label]
        if unmatched:
            print(f"{doc_id}: gold labels without a provision: {unmatched}", file=sys.stderr)
        language = provisions[0].language if provisions else "?"
        for name, method in methods.items():
            started = time.perf_counter()
            out = method.signals([p for _, p in matched])
            timing[name][0] += time.perf_counter() - started
            timing[name][1] += len(matched)
            for (row, _provision), signals in zip(matched, out, strict=True):
                gold = {f"uncc/art-{n}" for n in row["uncc"].split(";") if n != "none"}
                ranking = uncc_ranking(signals)
                strong = [
                    s
                    for s in signals
                    if s.article_id.startswith("uncc/") and s.strength >= args.fp_threshold
                ]
                for lang in (language, "all"):
                    bucket = stats[name][lang]
                    if not gold:
                        bucket["none_fp"][0] += bool(strong)
                        bucket["none_fp"][1] += 1
                    elif {categories.get(a) for a in gold} & TARGET_CATEGORIES:
                        bucket["top1"][0] += bool(ranking[:1] and ranking[0] in gold)
                        bucket["top1"][1] += 1
                        bucket["recall3"][0] += bool(set(ranking[:3]) & gold)
                        bucket["recall3"][1] += 1
                    if name == "rules":
                        for s in strong:
                            bucket["rule_precision"][0] += s.article_id in gold
                            bucket["rule_precision"][1] += 1
                if name == "rules" and args.misses:
                    fired = set(ranking)
                    wrong = fired - gold
                    missed = gold - fired
                    if (
                        wrong
                        or (gold and not ranking[:1])
                        or (ranking[:1] and ranking[0] not in gold)
                    ):
                        misses.append(
                            f"{doc_id} {row['provision']:>8} {row['title'][:45]:45} "
                            f"gold={sorted(gold)} "
                            f"got={ranking[:4]} wrong={sorted(wrong)} missed={sorted(missed)}"
                        )
    for name in methods:
        print(f"== {name}  ({timing[name][1] / max(timing[name][0], 1e-9):.0f} provisions/s)")
        for lang, bucket in sorted(stats[name].items()):
            parts = [
                f"{metric}={hits / n:.2f} ({hits}/{n})"
                for metric, (hits, n) in sorted(bucket.items())
                if n
            ]
            print(f"  {lang:4} " + "  ".join(parts))
    if misses:
        print("\n== rule misses")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
