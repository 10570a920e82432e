"""A small store for report tests: one fictional law, findings and alignments.

The law below is invented for these tests (the Republic of Testaland does not
exist); it is stored under the fictional sample code XNL. Its second section
carries a ``<script>`` element so tests can check that law text is escaped in
every output. Findings and alignments are written straight into their tables,
as the assessment and alignment stages would, so report code is tested
against the store it really reads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select

from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.store import session_scope
from treatywatch.store.models import (
    AlignmentRow,
    AlignmentRunRow,
    DocumentVersionRow,
    FindingRow,
    ProvisionRow,
)

COUNTRY = "XNL"
DOC = "xnl/act/2024/testaland-online-order"
SCRIPT = "<script>alert('x')</script>"
LAW = "\n".join(
    [
        "FICTIONAL TEST LAW. The Republic of Testaland does not exist; this text was written "
        "for treatywatch tests and is not the law of any State.",
        "",
        "TESTALAND ONLINE ORDER ACT, 2024",
        "",
        "PART I - OFFENCES",
        "",
        "1. Illegal access",
        "A person who intentionally and without right accesses a computer system commits an "
        "offence and is liable to imprisonment for a term not exceeding two years.",
        "",
        "2. False statements online",
        f"A person who publishes false news {SCRIPT} by means of a computer system commits an "
        "offence and is liable to imprisonment for a term not exceeding five years.",
        "",
        "PART II - POWERS",
        "",
        "3. Search of computer systems",
        "An authorised officer may search any computer system and seize computer data without "
        "a warrant.",
        "",
    ]
)
AMENDED = LAW.replace("without a warrant", "with a warrant issued by a Judge")


def ingest_law(
    url: str, tmp_path: Path, text: str = LAW, date: dt.date = dt.date(2024, 5, 1)
) -> int:
    path = tmp_path / f"testaland-{date.isoformat()}.txt"
    path.write_text(text, encoding="utf-8")
    ingest(
        IngestRequest(
            path=path,
            country=COUNTRY,
            doc_id=DOC,
            date=date,
            title="Testaland Online Order Act, 2024 (fictional)",
        ),
        url=url,
    )
    with session_scope(url) as s:
        version = s.scalar(
            select(DocumentVersionRow).where(
                DocumentVersionRow.document_id == DOC, DocumentVersionRow.version_date == date
            )
        )
        assert version is not None
        return version.id


def provision(url: str, version_id: int, label: str) -> tuple[int, str, str]:
    """(id, path, full text) of the top-level provision labelled ``label``."""
    with session_scope(url) as s:
        row = s.scalar(
            select(ProvisionRow).where(
                ProvisionRow.version_id == version_id, ProvisionRow.label == label
            )
        )
        assert row is not None, label
        return row.id, row.path, f"{row.heading}\n{row.text}"


def evidence(
    path: str, full: str, needle: str, cue: str, label: str, heading: str
) -> dict[str, Any]:
    start = full.index(needle)
    return {
        "provision": path,
        "label": label,
        "heading": heading,
        "start": start,
        "end": start + len(needle),
        "quote": full[start : start + len(needle)],
        "cue": cue,
    }


def add_findings(url: str, version_id: int, *, judicial: str = "fails") -> None:
    """Three criteria with findings (one reviewed), the other ten left unassessed."""
    p1, path1, full1 = provision(url, version_id, "1")
    p2, path2, full2 = provision(url, version_id, "2")
    p3, path3, full3 = provision(url, version_id, "3")
    with session_scope(url) as s:
        s.add_all(
            [
                FindingRow(
                    version_id=version_id,
                    criterion_id="scope",
                    provision_id=p2,
                    status="fails",
                    severity="critical",
                    explanation="Section 2 punishes publishing false news with up to five years.",
                    evidence=[
                        evidence(
                            path2,
                            full2,
                            f"publishes false news {SCRIPT}",
                            "content offence: 'false news'",
                            "2",
                            "False statements online",
                        )
                    ],
                    detector="scope.content-offences",
                ),
                FindingRow(
                    version_id=version_id,
                    criterion_id="offence-quality",
                    provision_id=p1,
                    status="meets",
                    severity="low",
                    explanation="Section 1 requires intent and acting without right.",
                    evidence=[
                        evidence(
                            path1,
                            full1,
                            "intentionally and without right",
                            "intent: 'intentionally and without right'",
                            "1",
                            "Illegal access",
                        )
                    ],
                    detector="quality.intent",
                    review_status="accepted",
                    reviewer="analyst-a",
                    review_comment="Checked against the text.",
                ),
                FindingRow(
                    version_id=version_id,
                    criterion_id="judicial-authorization",
                    provision_id=p3,
                    status=judicial,
                    severity="high" if judicial == "fails" else "low",
                    explanation="Section 3 search power: judicial authorization "
                    + ("absent." if judicial == "fails" else "required."),
                    evidence=[
                        evidence(
                            path3,
                            full3,
                            "without a warrant"
                            if judicial == "fails"
                            else "with a warrant issued by a Judge",
                            "authorization cue",
                            "3",
                            "Search of computer systems",
                        )
                    ],
                    detector="procedure.judicial",
                ),
            ]
        )


def add_alignments(url: str, version_id: int) -> None:
    p1, _, _ = provision(url, version_id, "1")
    p3, _, _ = provision(url, version_id, "3")
    with session_scope(url) as s:
        s.add(AlignmentRunRow(version_id=version_id, engine_version="test", methods=["test"]))
        s.add(
            AlignmentRow(
                provision_id=p1,
                article_id="uncc/art-7",
                score=0.95,
                status="accepted",
                reviewer="analyst-a",
            )
        )
        s.add(
            AlignmentRow(provision_id=p3, article_id="uncc/art-28", score=0.9, status="suggested")
        )


def build_store(url: str, tmp_path: Path) -> int:
    version_id = ingest_law(url, tmp_path)
    add_findings(url, version_id)
    add_alignments(url, version_id)
    return version_id
