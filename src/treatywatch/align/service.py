"""Align a stored law: read its provisions, run the engine, store the suggestions.

This is the one use case the CLI and (later) the web UI call. The engine
runs *outside* any write transaction — on SQLite a long write transaction
would block every other writer — and the results are then saved in one
short transaction, so a failure at any point leaves the store unchanged.

Loading the embedding model is the slow part of starting the engine, so
callers that align many laws pass one :class:`AlignmentEngine` in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from treatywatch.align.engine import AlignmentEngine, EngineOptions
from treatywatch.align.model import METHODS, EngineInfo, ProvisionAlignment, ProvisionText
from treatywatch.align.profiles import TARGET_INSTRUMENTS
from treatywatch.align.provisions import provisions_for_version
from treatywatch.align.store import SaveOutcome, save_alignments, status_by_pair, version_ref
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.documents import UnknownDocumentError, find_version
from treatywatch.ledger.jurisdictions import lookup
from treatywatch.store import ensure_current, session_scope
from treatywatch.store.changes import compact_if_large
from treatywatch.store.models import DocumentRow, DocumentVersionRow

Progress = Callable[[int, int, str], None]
"""``progress(done, total, label)``: provisions aligned so far in the current law."""
BATCH = 128
"""Provisions per engine call: large enough for embeddings to batch well,
small enough for a progress bar to move on a long law."""
DEFAULT_ACTOR = "treatywatch-align"


class NoProvisionsError(TreatywatchError):
    """The stored version has no provisions to align."""


class AlignmentOptionsError(TreatywatchError):
    """Methods or instruments a user asked for that do not exist or cannot run."""


def engine_options(
    methods: Sequence[str] | None = None, instruments: Sequence[str] | None = None
) -> EngineOptions:
    """Check user-given method and instrument names and build engine options."""
    chosen = tuple(m.strip().lower() for m in methods if m.strip()) if methods else METHODS
    unknown = [m for m in chosen if m not in METHODS]
    if unknown or not chosen:
        raise AlignmentOptionsError(
            f"unknown alignment method(s): {', '.join(unknown) or '(none given)'}",
            hint=f"choose from: {', '.join(METHODS)}",
        )
    targets = tuple(i.strip().lower() for i in instruments) if instruments else TARGET_INSTRUMENTS
    bad = [i for i in targets if i not in TARGET_INSTRUMENTS]
    if bad or not targets:
        raise AlignmentOptionsError(
            f"cannot align to {', '.join(bad) or '(no instrument)'}",
            hint=f"choose from: {', '.join(TARGET_INSTRUMENTS)} (or both)",
        )
    return EngineOptions(methods=tuple(dict.fromkeys(chosen)), instruments=targets)


def _cache_in(options: EngineOptions | None, url: str | None) -> EngineOptions:
    """Options whose embedding cache lives in the store being aligned."""
    chosen = options or EngineOptions()
    if chosen.store_url is None and url is not None:
        return replace(chosen, store_url=url)
    return chosen


def build_engine(options: EngineOptions | None = None) -> AlignmentEngine:
    """An engine that can actually vote, or a clear error saying why not."""
    engine = AlignmentEngine(options)
    if not engine.methods:
        raise AlignmentOptionsError(
            "none of the requested alignment methods could run: "
            + ("; ".join(engine.info.warnings) or "no method loaded"),
            hint="add lexical or rules to --methods (they need no model)",
        )
    return engine


@dataclass
class AlignmentReport:
    """One law aligned: what ran, what each provision got, what changed in the store."""

    document: str
    version: str  # YYYY-MM-DD
    title: str
    country: str
    language: str | None
    engine: EngineInfo
    instruments: list[str]
    provisions: list[dict[str, Any]]
    saved: SaveOutcome
    seconds: float

    @property
    def ref(self) -> str:
        return f"{self.document}@{self.version}"

    def counts(self) -> dict[str, int]:
        return {
            "provisions": self.saved.provisions,
            "matched": self.saved.matched,
            "no_match": self.saved.no_match,
            "suggested": self.saved.suggested,
            "created": self.saved.created,
            "updated": self.saved.updated,
            "removed": self.saved.removed,
            "kept_reviewed": self.saved.kept_reviewed,
            "blocked_by_review": self.saved.blocked,
        }

    def record(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "version": self.version,
            "ref": self.ref,
            "title": self.title,
            "country": self.country,
            "language": self.language,
            "engine": self.engine.record(),
            "instruments": self.instruments,
            "run_id": self.saved.run_id,
            "seconds": round(self.seconds, 3),
            "provisions_per_second": round(self.saved.provisions / self.seconds, 1)
            if self.seconds > 0
            else None,
            "counts": self.counts(),
            "provisions": self.provisions,
        }


@dataclass
class BatchAlignmentReport:
    """Several laws aligned (a country's, or every stored one); a failure does not stop the rest.

    ``scope`` is the country code, or ``all``.
    """

    scope: str
    reports: list[AlignmentReport]
    failures: list[dict[str, str | None]] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "documents": [r.record() for r in self.reports],
            "failures": self.failures,
        }


def _run(
    engine: AlignmentEngine,
    provisions: list[ProvisionText],
    label: str,
    progress: Progress | None,
) -> list[ProvisionAlignment]:
    out: list[ProvisionAlignment] = []
    total = len(provisions)
    if progress:
        progress(0, total, label)
    for start in range(0, total, BATCH):
        out.extend(engine.align(provisions[start : start + BATCH]))
        if progress:
            progress(len(out), total, label)
    return out


def _provision_records(
    alignments: list[ProvisionAlignment], stored: dict[tuple[int, str], str]
) -> list[dict[str, Any]]:
    """The engine's answer per provision, each candidate marked with its stored status.

    A candidate whose pair a person already rejected stays listed (the engine
    still thinks so) but shows ``status: rejected``, and reviewed links the
    engine did not suggest are listed under ``reviewed``.
    """
    records = []
    for alignment in alignments:
        pid = int(alignment.provision.provision_id or 0)
        record = alignment.record()
        suggested = set()
        for candidate in record["candidates"]:
            candidate["status"] = stored.get((pid, candidate["article"]), "suggested")
            suggested.add(candidate["article"])
        record["reviewed"] = [
            {"article": article, "status": status}
            for (p, article), status in sorted(stored.items())
            if p == pid and status != "suggested" and article not in suggested
        ]
        records.append(record)
    return records


def _align_version(
    version_id: int,
    engine: AlignmentEngine,
    *,
    url: str | None,
    actor: str,
    progress: Progress | None,
) -> AlignmentReport:
    with session_scope(url) as session:
        version = session.get(DocumentVersionRow, version_id)
        if version is None:
            raise UnknownDocumentError(
                f"document version {version_id} vanished before it could be aligned",
                hint="list stored laws with `treatywatch documents list`",
            )
        ref = version_ref(version)
        provisions = provisions_for_version(session, version)
        document = version.document
        facts = (
            document.id,
            document.title,
            document.jurisdiction_code,
            version.language or document.language,
        )
    if not provisions:
        raise NoProvisionsError(
            f"{ref} has no provisions to align",
            hint="the file may be a scan or empty: check `treatywatch documents show "
            f"{ref}` and re-ingest a text version",
        )
    started = time.perf_counter()
    alignments = _run(engine, provisions, ref, progress)
    seconds = time.perf_counter() - started
    with session_scope(url) as session:
        version = session.get(DocumentVersionRow, version_id)
        if version is None:
            raise TreatywatchError(
                f"{ref} was deleted while it was being aligned", hint="ingest it again"
            )
        saved = save_alignments(
            session,
            version,
            alignments,
            engine.info,
            instruments=engine.options.instruments,
            seconds=seconds,
            actor=actor,
        )
        ids = [int(p.provision_id or 0) for p in provisions]
        records = _provision_records(alignments, status_by_pair(session, ids))
        compact_if_large(session)  # a run writes a change-log row per link; keep it bounded
    return AlignmentReport(
        document=facts[0],
        version=ref.split("@", 1)[1],
        title=facts[1],
        country=facts[2],
        language=facts[3],
        engine=engine.info,
        instruments=list(engine.options.instruments),
        provisions=records,
        saved=saved,
        seconds=seconds,
    )


def align_document(
    ref: str,
    *,
    url: str | None = None,
    options: EngineOptions | None = None,
    engine: AlignmentEngine | None = None,
    actor: str = DEFAULT_ACTOR,
    progress: Progress | None = None,
) -> AlignmentReport:
    """Align ``DOC`` (latest version) or ``DOC@DATE`` and store the suggestions."""
    ensure_current(url)
    with session_scope(url) as session:
        version_id = find_version(session, ref).id
    engine = engine or build_engine(_cache_in(options, url))
    return _align_version(version_id, engine, url=url, actor=actor, progress=progress)


def align_country(
    code: str,
    *,
    url: str | None = None,
    options: EngineOptions | None = None,
    engine: AlignmentEngine | None = None,
    actor: str = DEFAULT_ACTOR,
    progress: Progress | None = None,
) -> BatchAlignmentReport:
    """Align the latest version of every stored law of a country."""
    country = lookup(code).code
    return _align_many(
        country, url=url, options=options, engine=engine, actor=actor, progress=progress
    )


def align_all(
    *,
    url: str | None = None,
    options: EngineOptions | None = None,
    engine: AlignmentEngine | None = None,
    actor: str = DEFAULT_ACTOR,
    progress: Progress | None = None,
) -> BatchAlignmentReport:
    """Align the latest version of every stored law."""
    return _align_many(
        None, url=url, options=options, engine=engine, actor=actor, progress=progress
    )


def _align_many(
    country: str | None,
    *,
    url: str | None,
    options: EngineOptions | None,
    engine: AlignmentEngine | None,
    actor: str,
    progress: Progress | None,
) -> BatchAlignmentReport:
    """A law that cannot be aligned (no provisions) is listed in ``failures`` and the
    others go on: one bad scan should not block a country's report."""
    ensure_current(url)
    with session_scope(url) as session:
        query = select(DocumentRow).order_by(DocumentRow.jurisdiction_code, DocumentRow.id)
        if country:
            query = query.where(DocumentRow.jurisdiction_code == country)
        documents = session.scalars(query).all()
        targets = [(d.id, d.versions[-1].id) for d in documents if d.versions]
    if not targets:
        raise NoProvisionsError(
            f"no stored laws{' for ' + country if country else ''}",
            hint=f"ingest one with `treatywatch ingest FILE --country {country or 'ISO3'}`",
        )
    engine = engine or build_engine(_cache_in(options, url))
    result = BatchAlignmentReport(country or "all", [])
    for document_id, version_id in targets:
        try:
            result.reports.append(
                _align_version(version_id, engine, url=url, actor=actor, progress=progress)
            )
        except NoProvisionsError as exc:
            result.failures.append({"document": document_id, **exc.to_dict()})
    return result
