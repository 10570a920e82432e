"""Print the alignment engine's misses on the development gold (a dev aid).

    TREATYWATCH_DATA_DIR=/tmp/evalstore .venv/bin/python scripts/align_misses.py \
        --gold ../shared/gold --corpus ../shared/corpus [--all]

Lists target rows (criminalization/procedural gold) whose top suggestion is
wrong, and gold-none rows that got a suggestion, with the shortlist and the
votes behind the first candidates, so a rule or weight change can be judged
on the rows it moves rather than on one number.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from treatywatch.align.engine import AlignmentEngine, EngineOptions
from treatywatch.align.evaluation.harness import align_documents, prepare, score_case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--all", action="store_true", help="also list none-row false positives")
    parser.add_argument("--methods", default="lexical,embedding,rules,context")
    args = parser.parse_args()
    prepared = prepare(args.gold, args.corpus)
    engine = AlignmentEngine(EngineOptions(methods=tuple(args.methods.split(","))))
    answers, _, _ = align_documents(engine, prepared.documents)
    for case in prepared.cases:
        if case.provision is None:
            print("UNMATCHED", case.row.document, case.row.provision)
            continue
        answer = answers.get((case.document.id, case.provision.key))
        row = score_case(case, answer)
        target = row.category in ("criminalization", "procedural")
        wrong_top = not row.predicted or row.predicted[0] not in row.gold
        fp = row.is_none and bool(row.predicted)
        if not ((target and wrong_top) or (args.all and fp)):
            continue
        gold = ";".join(a.split("-")[-1] for a in row.gold) or "none"
        print(
            f"\n{row.document} {row.provision} [{case.provision.kind}/{row.kind}] "
            f"{(row.heading or '')[:60]!r} gold={gold}"
        )
        for article, score in row.ranked[:4]:
            print(f"   {article:16} {score:.3f}")
        if answer is not None:
            for cand in answer.shortlist[:2]:
                votes = ", ".join(f"{s.method}:{s.strength:.2f}" for s in cand.evidence[:5])
                print(f"     {cand.article_id}: {votes}")


if __name__ == "__main__":
    main()
