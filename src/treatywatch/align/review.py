"""The review workflow: a person confirms, rejects or corrects a suggested link.

Review state lives on the alignment row itself (status, reviewer, comment,
time), so a re-run of the engine can see what a person decided and leave
it alone (see :mod:`treatywatch.align.store`). Every change is audit-logged
with the row's state before and after, in the same transaction.

Override model: when a reviewer says "not Art. 7 but Art. 9", the
suggested row keeps its engine evidence and becomes ``overridden`` (so the
engine's mistake stays visible for evaluation and is never re-suggested),
and the corrected link is an ``accepted`` row for the new article whose
evidence records ``override_of`` and the reviewer's note. If the engine
had already suggested (or a person had rejected) the new article for that
provision, that row is reused rather than duplicated.

Reviewers may say which paragraphs of the article a provision implements
(``paragraphs=["1 (a)", "1 (b)"]``); the coverage view uses them to tell an
article implemented in full from one implemented in part.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from treatywatch import audit
from treatywatch.align.fusion import default_calibration
from treatywatch.catalogue import Catalogue
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.documents import find_version
from treatywatch.ingest.workid import ProvisionRef
from treatywatch.reviewer import clean_reviewer
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.models import (
    REVIEW_STATES,
    AlignmentRow,
    AlignmentRunRow,
    DocumentRow,
    DocumentVersionRow,
    ProvisionRow,
)
from treatywatch.suggest import close_matches

HUMAN_SCORE = 1.0
"""Score of a link a person made (add, override): it is a decision, not a guess."""
QUEUE_ORDERS = ("uncertain", "document", "score")
ACTIONS = {"accepted": "accept", "rejected": "reject"}

Order = Literal["uncertain", "document", "score"]


class ReviewError(TreatywatchError):
    """A review request that cannot be carried out (bad reviewer, bad target...)."""


class UnknownAlignmentError(TreatywatchError):
    """No stored alignment has this id."""


class UnknownProvisionError(TreatywatchError):
    """The version exists but has no provision at this path."""


# --- naming things ---------------------------------------------------------------


def find_provision(session: Session, ref: str) -> tuple[DocumentVersionRow, ProvisionRow]:
    """The provision ``DOC@DATE#sec-3`` (or ``DOC#sec-3``: in the latest version) names."""
    parsed = ProvisionRef.parse(ref.strip())
    version = find_version(session, parsed.version)
    path = str(parsed.path)
    row = session.scalar(
        select(ProvisionRow).where(ProvisionRow.version_id == version.id, ProvisionRow.path == path)
    )
    if row is None:
        paths = session.scalars(
            select(ProvisionRow.path).where(ProvisionRow.version_id == version.id)
        ).all()
        suggestions = close_matches(path, [(p, p) for p in paths])
        where = f"{version.document_id}@{version.version_date.isoformat()}"
        raise UnknownProvisionError(
            f"{where} has no provision {path!r}",
            hint=f"did you mean: {', '.join(suggestions)}?"
            if suggestions
            else f"list its provisions with `treatywatch documents show {where}`",
        )
    return version, row


def provision_ref(version: DocumentVersionRow, provision: ProvisionRow) -> str:
    return f"{version.document_id}@{version.version_date.isoformat()}#{provision.path}"


def _reviewer(name: str | None) -> str:
    return clean_reviewer(name, ReviewError)


def _comment(text: str | None) -> str | None:
    cleaned = (text or "").strip()
    return cleaned or None


def _article_id(article: str) -> str:
    """Canonical id of a catalogue article; unknown ids raise with suggestions."""
    return str(Catalogue.load().article(article.strip()).id)


_PARA_RE = re.compile(r"^\s*(\d+)\s*(?:\(?\s*([a-z]+)\s*\)?)?\s*$", re.IGNORECASE)


def _paragraphs(article_id: str, given: Sequence[str] | None) -> list[str] | None:
    """Normalise "1(a)", "1 (a)", "1a" to the catalogue's "1 (a)" and check they exist."""
    if not given:
        return None
    article = Catalogue.load().article(article_id)
    known = [o.paragraph for o in article.obligations]
    out: list[str] = []
    for text in given:
        match = _PARA_RE.match(text)
        norm = (
            f"{match.group(1)} ({match.group(2).lower()})"
            if match and match.group(2)
            else (match.group(1) if match else text.strip())
        )
        # "1" also names every "1 (x)" sub-paragraph the catalogue lists.
        covered = [p for p in known if p == norm or p.startswith(f"{norm} (")]
        if not covered:
            raise ReviewError(
                f"{article_id} has no paragraph {text!r} in the catalogue",
                hint=f"paragraphs listed for it: {', '.join(known) or 'none'}",
            )
        out.extend(p for p in covered if p not in out)
    return out


# --- row snapshots ---------------------------------------------------------------


def _state(row: AlignmentRow) -> dict[str, Any]:
    """The reviewable part of a row, as the audit log's before/after."""
    return {
        "provision_id": row.provision_id,
        "article": row.article_id,
        "status": row.status,
        "score": row.score,
        "reviewer": row.reviewer,
        "comment": row.review_comment,
        "reviewed_at": row.reviewed_at.isoformat() if row.reviewed_at else None,
        "paragraphs": (row.evidence or {}).get("paragraphs"),
    }


def run_record(run: AlignmentRunRow | None) -> dict[str, Any] | None:
    """The engine run behind a provision's suggestions, as CLI and API show it."""
    if run is None:
        return None
    return {
        "id": run.id,
        "at": run.created_at.isoformat() if run.created_at else None,
        "engine_version": run.engine_version,
        "methods": list(run.methods or []),
        "warnings": list(run.warnings or []),
    }


def alignment_with_evidence(session: Session, row: AlignmentRow) -> dict[str, Any]:
    """:func:`alignment_record` plus the stored evidence (votes, spans, shortlist)."""
    return {**alignment_record(session, row), "evidence": dict(row.evidence or {})}


def alignment_record(session: Session, row: AlignmentRow) -> dict[str, Any]:
    """One stored link as people and programs see it (with its provision ref)."""
    provision = session.get(ProvisionRow, row.provision_id)
    version = provision.version if provision is not None else None
    evidence = dict(row.evidence or {})
    return {
        "id": row.id,
        "provision": provision_ref(version, provision) if provision and version else None,
        "path": provision.path if provision else None,
        "label": provision.label if provision else None,
        "heading": provision.heading if provision else None,
        "article": row.article_id,
        "title": _title(row.article_id),
        "rank": row.rank,
        "score": round(row.score, 4),
        "methods": list(row.methods or []),
        "status": row.status,
        "reviewer": row.reviewer,
        "comment": row.review_comment,
        "reviewed_at": row.reviewed_at.isoformat() if row.reviewed_at else None,
        "paragraphs": evidence.get("paragraphs"),
        "override_of": evidence.get("override_of"),
        "engine_version": row.engine_version,
    }


def _title(article_id: str) -> str | None:
    catalogue = Catalogue.load()
    return catalogue.article(article_id).title if article_id in catalogue else None


@dataclass(frozen=True)
class ReviewResult:
    """The rows one review action changed, as records (the first is the target)."""

    action: str
    alignments: list[dict[str, Any]]

    def record(self) -> dict[str, Any]:
        return {"action": self.action, "alignments": self.alignments}


# --- actions ---------------------------------------------------------------------


def _get(session: Session, alignment_id: int) -> AlignmentRow:
    row = session.get(AlignmentRow, alignment_id)
    if row is None:
        raise UnknownAlignmentError(
            f"no stored alignment with id {alignment_id}",
            hint="list ids with `treatywatch review list` or `treatywatch alignments DOC`",
        )
    return row


def _decide(
    session: Session,
    row: AlignmentRow,
    status: str,
    reviewer: str,
    comment: str | None,
    action: str,
    *,
    evidence_extra: dict[str, Any] | None = None,
) -> None:
    before = _state(row)
    row.status = status
    row.reviewer = reviewer
    row.review_comment = comment
    row.reviewed_at = dt.datetime.now(dt.UTC)
    if evidence_extra:
        row.evidence = {**(row.evidence or {}), **evidence_extra}
    session.flush()
    after = _state(row)
    if before["status"] != "suggested":
        after["re_review"] = True  # a second opinion: allowed, and visible in the log
    audit.record(
        session,
        actor=reviewer,
        action=action,
        entity_type="alignment",
        entity_id=str(row.id),
        before=before,
        after=after,
    )


def _review(
    alignment_id: int,
    status: str,
    reviewer: str,
    comment: str | None,
    paragraphs: Sequence[str] | None,
    url: str | None,
) -> ReviewResult:
    name = _reviewer(reviewer)
    ensure_current(url)
    with session_scope(url) as session:
        row = _get(session, alignment_id)
        extra = None
        if status == "accepted":
            chosen = _paragraphs(row.article_id, paragraphs)
            extra = {"paragraphs": chosen} if chosen else None
        elif paragraphs:
            raise ReviewError(
                "paragraphs can only be given when accepting a link",
                hint="drop --paragraph, or use accept",
            )
        verb = ACTIONS[status]
        _decide(
            session, row, status, name, _comment(comment), f"align.{verb}", evidence_extra=extra
        )
        return ReviewResult(verb, [alignment_record(session, row)])


def accept(
    alignment_id: int,
    reviewer: str,
    comment: str | None = None,
    *,
    paragraphs: Sequence[str] | None = None,
    url: str | None = None,
) -> ReviewResult:
    """Confirm a suggested link (optionally naming the article paragraphs it implements)."""
    return _review(alignment_id, "accepted", reviewer, comment, paragraphs, url)


def reject(
    alignment_id: int, reviewer: str, comment: str | None = None, *, url: str | None = None
) -> ReviewResult:
    """Say a suggested link is wrong; the engine will not suggest the pair again."""
    return _review(alignment_id, "rejected", reviewer, comment, None, url)


def _link(
    session: Session,
    provision_id: int,
    article_id: str,
    reviewer: str,
    comment: str | None,
    action: str,
    evidence: dict[str, Any],
) -> AlignmentRow:
    """Make (or reuse) the accepted row for provision × article."""
    row = session.scalar(
        select(AlignmentRow).where(
            AlignmentRow.provision_id == provision_id, AlignmentRow.article_id == article_id
        )
    )
    if row is not None:
        _decide(session, row, "accepted", reviewer, comment, action, evidence_extra=evidence)
        return row
    row = AlignmentRow(
        provision_id=provision_id,
        article_id=article_id,
        rank=1,
        score=HUMAN_SCORE,
        methods=["review"],
        evidence=evidence,
        status="accepted",
        reviewer=reviewer,
        review_comment=comment,
        reviewed_at=dt.datetime.now(dt.UTC),
        engine_version=None,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=reviewer,
        action=action,
        entity_type="alignment",
        entity_id=str(row.id),
        before=None,
        after=_state(row),
    )
    return row


def override(
    target: int | tuple[str, str],
    new_article_id: str,
    reviewer: str,
    comment: str | None = None,
    *,
    paragraphs: Sequence[str] | None = None,
    url: str | None = None,
) -> ReviewResult:
    """Replace a link's article: the old row becomes ``overridden``, the new one ``accepted``.

    ``target`` is an alignment id or ``(provision ref, old article id)``.
    """
    name = _reviewer(reviewer)
    note = _comment(comment)
    new_id = _article_id(new_article_id)
    ensure_current(url)
    with session_scope(url) as session:
        if isinstance(target, tuple):
            ref, old_article = target
            _version, provision = find_provision(session, ref)
            old_id = _article_id(old_article)
            found = session.scalar(
                select(AlignmentRow).where(
                    AlignmentRow.provision_id == provision.id, AlignmentRow.article_id == old_id
                )
            )
            if found is None:
                raise UnknownAlignmentError(
                    f"{ref} has no stored link to {old_id}",
                    hint=f"see its links with `treatywatch alignments {ref}`, or use "
                    "`treatywatch review add` for a link the engine missed",
                )
            row = found
        else:
            row = _get(session, target)
        if row.article_id == new_id:
            raise ReviewError(
                f"alignment {row.id} already links to {new_id}",
                hint="use `treatywatch review accept` to confirm it",
            )
        if new_id.split("/")[0] != row.article_id.split("/")[0]:
            raise ReviewError(
                f"cannot override {row.article_id} with {new_id}: different instruments",
                hint="override with an article of the same convention; use `review add` "
                "to link the other convention too",
            )
        chosen = _paragraphs(new_id, paragraphs)
        _decide(
            session,
            row,
            "overridden",
            name,
            note,
            "align.override",
            evidence_extra={"overridden_by": new_id},
        )
        evidence: dict[str, Any] = {"override_of": row.article_id, "reviewer_note": note}
        if chosen:
            evidence["paragraphs"] = chosen
        new_row = _link(session, row.provision_id, new_id, name, note, "align.override", evidence)
        return ReviewResult(
            "override", [alignment_record(session, row), alignment_record(session, new_row)]
        )


def add(
    ref: str,
    article_id: str,
    reviewer: str,
    comment: str | None = None,
    *,
    paragraphs: Sequence[str] | None = None,
    url: str | None = None,
) -> ReviewResult:
    """Link a provision to an article the engine did not suggest (status ``accepted``)."""
    name = _reviewer(reviewer)
    note = _comment(comment)
    new_id = _article_id(article_id)
    chosen = _paragraphs(new_id, paragraphs)
    ensure_current(url)
    with session_scope(url) as session:
        _version, provision = find_provision(session, ref)
        evidence: dict[str, Any] = {"added_by_reviewer": True, "reviewer_note": note}
        if chosen:
            evidence["paragraphs"] = chosen
        row = _link(session, provision.id, new_id, name, note, "align.add", evidence)
        return ReviewResult("add", [alignment_record(session, row)])


# --- the queue ---------------------------------------------------------------------


def queue(
    url: str | None = None,
    *,
    document: str | None = None,
    country: str | None = None,
    status: str | None = "suggested",
    min_score: float | None = None,
    max_score: float | None = None,
    order: Order = "uncertain",
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Links waiting for (or past) review.

    ``order="uncertain"`` (default) puts the scores nearest the suggestion
    threshold first: those are where a reviewer's minute changes the most;
    ``document`` walks each law in provision order; ``score`` lowest first.
    ``document`` is ``DOC`` (latest version) or ``DOC@DATE``; ``status``
    ``None`` or ``"all"`` lists every state.
    """
    if status not in (None, "all", *REVIEW_STATES):
        raise ReviewError(
            f"unknown review status {status!r}",
            hint=f"choose one of: all, {', '.join(REVIEW_STATES)}",
        )
    if order not in QUEUE_ORDERS:
        raise ReviewError(
            f"unknown order {order!r}", hint=f"choose one of: {', '.join(QUEUE_ORDERS)}"
        )
    ensure_current(url)
    with session_scope(url) as session:
        query = (
            select(AlignmentRow)
            .join(ProvisionRow, ProvisionRow.id == AlignmentRow.provision_id)
            .join(DocumentVersionRow, DocumentVersionRow.id == ProvisionRow.version_id)
            .join(DocumentRow, DocumentRow.id == DocumentVersionRow.document_id)
        )
        if document:
            version = find_version(session, document)
            query = query.where(ProvisionRow.version_id == version.id)
        if country:
            query = query.where(DocumentRow.jurisdiction_code == country.strip().upper())
        if status not in (None, "all"):
            query = query.where(AlignmentRow.status == status)
        if min_score is not None:
            query = query.where(AlignmentRow.score >= min_score)
        if max_score is not None:
            query = query.where(AlignmentRow.score <= max_score)
        if order == "document":
            query = query.order_by(
                DocumentRow.id,
                DocumentVersionRow.version_date,
                ProvisionRow.ordinal,
                AlignmentRow.rank,
                AlignmentRow.id,
            ).limit(limit)
            rows = list(session.scalars(query))
        elif order == "score":
            rows = list(
                session.scalars(query.order_by(AlignmentRow.score, AlignmentRow.id).limit(limit))
            )
        else:
            threshold = default_calibration().threshold
            distance = func.abs(AlignmentRow.score - threshold)
            rows = list(session.scalars(query.order_by(distance, AlignmentRow.id).limit(limit)))
        return [alignment_record(session, row) for row in rows]


def provision_links(ref: str, *, url: str | None = None) -> dict[str, Any]:
    """One provision with every stored link and its full evidence (spans, terms, notes)."""
    ensure_current(url)
    with session_scope(url) as session:
        version, provision = find_provision(session, ref)
        rows = session.scalars(
            select(AlignmentRow)
            .where(AlignmentRow.provision_id == provision.id)
            .order_by(
                AlignmentRow.article_id.like("uncc/%").desc(), AlignmentRow.rank, AlignmentRow.id
            )
        ).all()
        run = session.scalars(
            select(AlignmentRunRow)
            .where(AlignmentRunRow.version_id == version.id)
            .order_by(AlignmentRunRow.id.desc())
            .limit(1)
        ).first()
        return {
            "provision": provision_ref(version, provision),
            "label": provision.label,
            "heading": provision.heading,
            "kind": provision.kind,
            "last_run": run_record(run),
            "alignments": [alignment_with_evidence(session, row) for row in rows],
        }
