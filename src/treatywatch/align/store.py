"""Persist the engine's suggestions without ever undoing a human decision.

The alignments table holds machine suggestions and reviewed links side by
side, one row per provision × article pair. A re-run must refresh what the
machine said and nothing else:

- a pair the engine suggests again is updated in place (same row id, so
  links, bookmarks and audit entries that cite the id stay valid);
- a *suggested* pair the engine no longer suggests is deleted (a stale
  guess is worse than none, because coverage counts it);
- a pair a person accepted, rejected or overrode is never touched — and a
  pair a person rejected is not suggested again, since the unique
  (provision, article) row already holds the "no".

Only the instruments the run covered are refreshed: aligning to UNCC alone
leaves the Budapest suggestions of an earlier run in place.

The run itself is one :class:`AlignmentRunRow` plus one audit row, not one
audit row per suggestion: the run is the act, the suggestions its output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch import audit
from treatywatch.align.model import Candidate, EngineInfo, ProvisionAlignment
from treatywatch.store.models import AlignmentRow, AlignmentRunRow, DocumentVersionRow

SUGGESTED = "suggested"
REVIEWED = ("accepted", "rejected", "overridden")
SHORTLIST_KEPT = 5
"""How much of the ranked shortlist each stored suggestion keeps as evidence:
enough for a reviewer to see the runners-up, small enough to stay readable."""


@dataclass(frozen=True)
class SaveOutcome:
    """What one save did to the store (all counts are pairs, except ``provisions``)."""

    run_id: int
    provisions: int
    matched: int  # provisions with at least one suggestion this run
    no_match: int
    suggested: int  # suggestions the engine made this run
    created: int
    updated: int
    removed: int  # stale suggestions deleted
    kept_reviewed: int  # reviewed rows of these provisions left untouched
    blocked: int  # suggestions not stored because a person already decided that pair

    def record(self) -> dict[str, Any]:
        return asdict(self)


def instrument_of(article_id: str) -> str:
    """``uncc/art-7`` → ``uncc``."""
    return article_id.split("/", 1)[0]


def version_ref(version: DocumentVersionRow) -> str:
    """``DOC@YYYY-MM-DD``: how audit rows and reports name a version."""
    return f"{version.document_id}@{version.version_date.isoformat()}"


def _evidence(candidate: Candidate, shortlist: Sequence[Candidate], run_id: int) -> dict[str, Any]:
    same_instrument = [
        c for c in shortlist if instrument_of(c.article_id) == instrument_of(candidate.article_id)
    ]
    return {
        "signals": [s.record() for s in candidate.evidence],
        "shortlist": [
            {"article": c.article_id, "score": round(c.score, 4)}
            for c in same_instrument[:SHORTLIST_KEPT]
        ],
        "run": run_id,
    }


def _ranked(candidates: Iterable[Candidate]) -> list[tuple[int, Candidate]]:
    """Rank within each instrument: the best UNCC and the best Budapest article are both 1."""
    seen: dict[str, int] = {}
    out = []
    for candidate in sorted(candidates, key=lambda c: -c.score):
        instrument = instrument_of(candidate.article_id)
        seen[instrument] = seen.get(instrument, 0) + 1
        out.append((seen[instrument], candidate))
    return out


def save_alignments(
    session: Session,
    version: DocumentVersionRow,
    alignments: Sequence[ProvisionAlignment],
    info: EngineInfo,
    *,
    instruments: Sequence[str],
    seconds: float = 0.0,
    actor: str = "treatywatch-align",
) -> SaveOutcome:
    """Write one run's output for ``version`` inside the caller's transaction.

    ``instruments`` are the ones the engine aligned to; only their stale
    suggestions are removed. Every provision must come from the store
    (``provision_id`` set), since a row without one cannot be linked.
    """
    provision_ids = [a.provision.provision_id for a in alignments]
    if any(pid is None for pid in provision_ids):
        raise ValueError("save_alignments needs provisions read from the store (provision_id)")
    ids = [int(pid) for pid in provision_ids if pid is not None]
    existing: dict[tuple[int, str], AlignmentRow] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for row in session.scalars(
            select(AlignmentRow).where(AlignmentRow.provision_id.in_(chunk))
        ):
            existing[(row.provision_id, row.article_id)] = row
    suggested_before = sum(1 for row in existing.values() if row.status == SUGGESTED)

    run = AlignmentRunRow(
        version_id=version.id,
        engine_version=info.engine_version,
        methods=list(info.methods),
        warnings=list(info.warnings),
        provision_count=len(alignments),
    )
    session.add(run)
    session.flush()  # the run id goes into every suggestion's evidence

    created = updated = removed = blocked = suggested = matched = 0
    wanted: set[tuple[int, str]] = set()
    for alignment in alignments:
        pid = int(alignment.provision.provision_id or 0)
        if alignment.candidates:
            matched += 1
        for rank, candidate in _ranked(alignment.candidates):
            suggested += 1
            key = (pid, candidate.article_id)
            wanted.add(key)
            values = {
                "rank": rank,
                "score": round(candidate.score, 6),
                "methods": list(candidate.methods),
                "evidence": _evidence(candidate, alignment.shortlist, run.id),
                "engine_version": info.engine_version,
            }
            found = existing.get(key)
            if found is None:
                session.add(
                    AlignmentRow(
                        provision_id=pid,
                        article_id=candidate.article_id,
                        status=SUGGESTED,
                        **values,
                    )
                )
                created += 1
            elif found.status == SUGGESTED:
                for name, value in values.items():
                    setattr(found, name, value)
                updated += 1
            else:
                blocked += 1
    covered = set(instruments)
    for key, row in existing.items():
        if (
            row.status == SUGGESTED
            and key not in wanted
            and instrument_of(row.article_id) in covered
        ):
            session.delete(row)
            removed += 1
    kept_reviewed = sum(1 for row in existing.values() if row.status in REVIEWED)

    run.suggested = suggested
    run.kept_reviewed = kept_reviewed
    run.seconds = round(seconds, 3)
    outcome = SaveOutcome(
        run_id=run.id,
        provisions=len(alignments),
        matched=matched,
        no_match=len(alignments) - matched,
        suggested=suggested,
        created=created,
        updated=updated,
        removed=removed,
        kept_reviewed=kept_reviewed,
        blocked=blocked,
    )
    audit.record(
        session,
        actor=actor,
        action="align.run",
        entity_type="document_version",
        entity_id=version_ref(version),
        before={"suggested": suggested_before, "reviewed": kept_reviewed} if existing else None,
        after={**outcome.record(), "instruments": sorted(covered), **info.record()},
    )
    session.flush()
    return outcome


def status_by_pair(session: Session, provision_ids: Sequence[int]) -> dict[tuple[int, str], str]:
    """(provision id, article) → stored review status, for marking a report's candidates."""
    out: dict[tuple[int, str], str] = {}
    for chunk_start in range(0, len(provision_ids), 500):
        chunk = list(provision_ids[chunk_start : chunk_start + 500])
        rows = session.execute(
            select(AlignmentRow.provision_id, AlignmentRow.article_id, AlignmentRow.status).where(
                AlignmentRow.provision_id.in_(chunk)
            )
        )
        for pid, article_id, status in rows:
            out[(pid, article_id)] = status
    return out
