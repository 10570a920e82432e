"""Development loop for the rights detectors: corpus laws in, gold accuracies out.

Ingests every national law of the real corpus (``../shared/corpus`` or
``TREATYWATCH_CORPUS``) into a throw-away SQLite store, runs the
assessment on each, and prints content-offence, penalty and
judicial-authorization accuracy against ``../shared/gold``. With
``--errors`` it lists every disagreement, which is what to read before
changing a cue: fix the general wording, never one law's phrasing.

    .venv/bin/python scripts/assess_dev.py [--errors] [--findings DOC]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from treatywatch.assess.engine import assess_law
from treatywatch.assess.gold_metrics import assessment_metrics, read_gold_labels
from treatywatch.assess.lawview import law_view
from treatywatch.ingest.corpus import corpus_dir, corpus_documents
from treatywatch.ingest.documents import find_version
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.store import init_store, session_scope

METRICS = ("content_offence_accuracy", "penalty_accuracy", "judicial_authorization_accuracy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    parser.add_argument("--findings", metavar="DOC", help="print the findings of one corpus law")
    args = parser.parse_args()
    corpus = corpus_dir()
    if corpus is None:
        raise SystemExit("no corpus: set TREATYWATCH_CORPUS or check out ../shared")
    gold_dir = corpus.parent / "gold"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'dev.db'}"
        init_store(url)
        totals = {m: [0, 0] for m in METRICS}
        print(f"{'law':22} " + " ".join(f"{m.split('_accuracy')[0]:>24}" for m in METRICS))
        for document in corpus_documents(corpus):
            if document.country is None or document.preferred is None:
                continue
            gold_file = gold_dir / f"{document.id}.csv"
            if not gold_file.is_file():
                continue
            result = ingest(
                IngestRequest(
                    path=document.preferred,
                    country=document.country,
                    title=document.title,
                    doc_id=document.work_id or document.id,
                ),
                url=url,
            )
            with session_scope(url) as session:
                law = law_view(session, find_version(session, result.ref))
            metrics = assessment_metrics(read_gold_labels(gold_file), law)
            cells = []
            for name in METRICS:
                m = metrics[name]
                totals[name][0] += m["correct"]
                totals[name][1] += m["total"]
                shown = "—" if m["accuracy"] is None else f"{m['accuracy']:.2f}"
                cells.append(f"{shown:>6} ({m['correct']:>3}/{m['total']:<3})".rjust(24))
            print(f"{document.id:22} " + " ".join(cells))
            if args.errors:
                for name in METRICS:
                    for error in metrics[name]["errors"]:
                        print(f"    {name.split('_accuracy')[0]}: {error}")
            if args.findings and args.findings in document.id:
                for finding in assess_law(law).findings:
                    print(
                        f"    [{finding.status}/{finding.severity}] {finding.detector} "
                        f"{finding.provision_key or '(law)'}: {finding.explanation}"
                    )
        cells = []
        for name in METRICS:
            correct, total = totals[name]
            shown = f"{correct / total:.2f}" if total else "—"
            cells.append(f"{shown:>6} ({correct:>3}/{total:<3})".rjust(24))
        print(f"{'ALL':22} " + " ".join(cells))


if __name__ == "__main__":
    main()
