"""Ingest one file: read → segment → classify/enrich → store, in one transaction.

The work is split in two so the store is touched only when everything
that can fail on bad input has already run:

1. :func:`analyse` reads and segments the file and detects its language,
   with no store access (the benchmark and the corpus tests use it alone);
2. :func:`ingest` then stores a document (a work), a dated version with its
   provenance, the provision rows and the search-index entries, and logs
   the write in the audit log, all inside one ``session_scope()``.

Versions are keyed by content: the same bytes ingested again are
"unchanged" (a no-op); different bytes need a different version date, so a
new text of a law is stored beside the old one, never over it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from treatywatch import __version__, audit
from treatywatch.errors import TreatywatchError
from treatywatch.ingest import rows
from treatywatch.ingest.enrich import detect_language, enrich
from treatywatch.ingest.indexing import index_document, index_stored_rows
from treatywatch.ingest.model import IngestError, ReadResult, Segmentation
from treatywatch.ingest.persist import (
    container_records,
    insert_provisions,
    make_paths_unique,
    provision_records,
    read_segmentation,
)
from treatywatch.ingest.readers import read_file
from treatywatch.ingest.readers.files import check_file, resolve_max_bytes
from treatywatch.ingest.segment import from_units, segment
from treatywatch.ingest.workid import WorkId, derive_work_id
from treatywatch.ledger.jurisdictions import ensure_jurisdiction, lookup
from treatywatch.store import session_scope
from treatywatch.store.models import Base, DocumentRow, DocumentVersionRow, ProvenanceRow

DOCUMENTS = Base.metadata.tables["documents"]
PROVENANCE = Base.metadata.tables["provenance"]
VERSIONS = Base.metadata.tables["document_versions"]

PRODUCED_BY = f"treatywatch ingest {__version__}"
_CHUNK = 1 << 20
_DATE_KEYS = ("version_date", "date", "issued_date", "in_force_date")
MAX_TITLE_LINE = 160
_SENTENCE_BREAK_RE = re.compile(r"[.;:]\s+[^\W\d_]{3,}")
_LAW_WORD_RE = re.compile(
    r"\b(?:act|law|code|decree|ordinance|proclamation|loi|ordonnance|ley|decreto|código"
    r"|gesetz|закон|кодекс)\b|قانون|مرسوم",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IngestRequest:
    """What a user asks for: a file and what they know about it."""

    path: Path
    country: str
    title: str | None = None
    date: dt.date | None = None
    doc_id: str | None = None
    source_url: str | None = None
    format: str | None = None
    max_bytes: int | None = None
    retrieved: str | None = None
    actor: str = "treatywatch ingest"
    note: str | None = None


@dataclass
class Analysis:
    """A file read and segmented, not yet stored."""

    path: Path
    sha256: str
    size: int
    read: ReadResult
    segmentation: Segmentation
    language: str | None
    warnings: list[str] = field(default_factory=list)

    @property
    def top_level(self) -> int:
        return len(self.segmentation.provisions)


@dataclass
class IngestResult:
    """The stored document version (or the one that was already there)."""

    status: str  # "stored" or "unchanged"
    document_id: str
    title: str
    country: str
    version_date: dt.date
    language: str | None
    sha256: str
    segmentation: Segmentation
    warnings: list[str]
    path: str

    @property
    def ref(self) -> str:
        return f"{self.document_id}@{self.version_date.isoformat()}"

    def record(self) -> dict[str, Any]:
        """The ``treatywatch ingest --json`` document other tools rely on."""
        return {
            "id": self.document_id,
            "language": self.language,
            "version": self.version_date.isoformat(),
            "sha256": self.sha256,
            "status": self.status,
            "provisions": provision_records(self.segmentation),
            "containers": container_records(self.segmentation),
            "warnings": self.warnings,
        }


def file_sha256(path: Path, max_bytes: int) -> tuple[str, int]:
    """The sha256 and size of a file, refusing it first if it is over the limit."""
    check_file(path, max_bytes)
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise IngestError(str(path), "file grew past the size limit while being read")
                digest.update(chunk)
    except OSError as exc:
        raise IngestError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
    return digest.hexdigest(), size


def analyse(
    path: Path,
    *,
    format: str | None = None,
    max_bytes: int | None = None,
    language: str | None = None,
) -> Analysis:
    """Read, segment, classify and enrich one file; no store access."""
    limit = resolve_max_bytes(max_bytes)
    sha256, size = file_sha256(path, limit)
    read = read_file(path, max_bytes=limit, format=format)
    detected = language
    if detected is None:
        text = read.text
        if text.strip():
            detected = detect_language(text)
    if read.units:
        segmentation = from_units(read.units, language=detected)
    else:
        segmentation = segment(read.lines, language=detected)
    if not segmentation.provisions:
        raise IngestError(
            str(path),
            "no sections or articles were found in the text",
            hint="check that the file is the law itself; numbered headings such as "
            "'1. Short title', 'Section 3' or 'Article 5' mark provisions",
        )
    enrich(segmentation, detected)
    warnings = [*read.warnings, *segmentation.warnings]
    return Analysis(path, sha256, size, read, segmentation, detected, warnings)


def _metadata_date(read: ReadResult) -> dt.date | None:
    for key in _DATE_KEYS:
        value = read.metadata.get(key)
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def title_from_text(preamble: str) -> str | None:
    """The law's title as printed before its first provision, if one is there.

    The first short line naming a kind of law ("... ACT, 2024", "LOI N°
    2025-17 ...", "قانون رقم ...") is taken; long lines are sentences
    (enacting formulas, disclaimers), not titles.
    """
    for line in preamble.splitlines():
        line = " ".join(line.split())
        if (
            8 <= len(line) <= MAX_TITLE_LINE
            and _LAW_WORD_RE.search(line)
            and not _SENTENCE_BREAK_RE.search(line)
        ):
            return line
    return None


def _title(
    request: IngestRequest, read: ReadResult | None, segmentation: Segmentation | None = None
) -> str | None:
    if request.title:
        return request.title.strip()
    if read is None:
        return None
    for candidate in (read.title, read.metadata.get("title")):
        if isinstance(candidate, str) and candidate.strip():
            return " ".join(candidate.split())
    if segmentation is not None:
        printed = title_from_text(segmentation.preamble)
        if printed:
            return printed
    return request.path.stem.replace("_", " ").replace("-", " ")


def ingest(request: IngestRequest, *, url: str | None = None) -> IngestResult:
    """Store one file as a document version; see the module docstring for the rules."""
    jurisdiction = lookup(request.country)  # bad --country fails before any work
    country = jurisdiction.code
    limit = resolve_max_bytes(request.max_bytes)
    sha256, _size = file_sha256(request.path, limit)
    if request.doc_id:
        work = derive_work_id(country, given=request.doc_id, title=request.title, date=request.date)
        found = _already_stored(url, str(work), sha256)
    else:
        found = _stored_by_hash(url, country, sha256)
    if found is not None:
        return found
    analysis = analyse(request.path, format=request.format, max_bytes=limit)
    if analysis.sha256 != sha256:
        raise IngestError(str(request.path), "the file changed while it was being ingested")
    title = _title(request, analysis.read, analysis.segmentation) or request.path.stem
    date = request.date or _metadata_date(analysis.read) or dt.date.today()
    work = derive_work_id(country, given=request.doc_id, title=title, date=date)
    try:
        with session_scope(url) as session:
            return _store(session, request, analysis, work, title, date)
    except IntegrityError:
        # Another process stored the same document version between our check
        # and our write; the transaction rolled back, so nothing is half-done.
        found = _already_stored(url, str(work), sha256)
        if found is not None:
            return found
        raise IngestError(
            str(request.path),
            f"{work}@{date.isoformat()} was stored by another process at the same time",
            hint="run the command again",
        ) from None


def _already_stored(url: str | None, document_id: str, sha256: str) -> IngestResult | None:
    with session_scope(url) as session:
        found = session.execute(
            rows.VERSION_WITH_HASH, {"document": document_id, "sha256": sha256}
        ).scalar()
        return _unchanged_version(session, found)


def _stored_by_hash(url: str | None, country: str, sha256: str) -> IngestResult | None:
    """Without an explicit id, the same bytes under the same country are the same law."""
    with session_scope(url) as session:
        found = session.execute(
            rows.VERSION_IN_COUNTRY_WITH_HASH, {"country": country, "sha256": sha256}
        ).scalar()
        return _unchanged_version(session, found)


def _unchanged_version(session: Session, version_id: int | None) -> IngestResult | None:
    if version_id is None:
        return None
    version = session.get(DocumentVersionRow, version_id)
    return _unchanged(session, version) if version is not None else None


def _unchanged(session: Session, version: DocumentVersionRow) -> IngestResult:
    provenance = (
        session.get(ProvenanceRow, version.provenance_id) if version.provenance_id else None
    )
    return IngestResult(
        status="unchanged",
        document_id=version.document_id,
        title=version.document.title,
        country=version.document.jurisdiction_code,
        version_date=version.version_date,
        language=version.language,
        sha256=version.sha256,
        segmentation=read_segmentation(session, version.id),
        warnings=list((version.details or {}).get("warnings", [])),
        path=(provenance.source_file if provenance else None) or "",
    )


def _store(
    session: Session,
    request: IngestRequest,
    analysis: Analysis,
    work: WorkId,
    title: str,
    date: dt.date,
) -> IngestResult:
    """Write the version. A new document, its provenance and version rows are plain
    SQL inserts (see ``ingest.rows``); a document already stored is loaded with the
    ORM, as its versions must be checked."""
    document_id = str(work)
    country = work.country.upper()
    if session.execute(rows.JURISDICTION_EXISTS, {"code": country}).first() is None:
        ensure_jurisdiction(session, work.country)
    exists = session.execute(rows.DOCUMENT_EXISTS, {"document": document_id}).first()
    document = session.get(DocumentRow, document_id) if exists is not None else None
    warnings = list(analysis.warnings)
    if document is None:
        rows.insert_row(
            session,
            DOCUMENTS,
            {
                "id": document_id,
                "jurisdiction_code": country,
                "title": title,
                "doc_type": work.doctype,
                "language": analysis.language,
                "created_at": rows.now(),
            },
        )
        audit.record(
            session,
            actor=request.actor,
            action="create",
            entity_type="document",
            entity_id=document_id,
            after={"title": title, "country": country},
        )
        stored_title = title
    else:
        stored_title, country = document.title, document.jurisdiction_code
        if request.title and request.title.strip() != document.title:
            warnings.append(
                f"document {document_id} keeps its stored title {document.title!r}; "
                f"the new --title was not applied"
            )
    is_latest = True
    for existing in document.versions if document is not None else ():
        if existing.version_date > date:
            is_latest = False
        if existing.sha256 == analysis.sha256:
            return _unchanged(session, existing)
        if existing.version_date == date:
            raise IngestError(
                str(request.path),
                f"{document_id} already has a different text dated {date.isoformat()} "
                f"(sha256 {existing.sha256[:12]}…)",
                hint="a new text of a law is a new version: give its date with --date "
                "(e.g. --date 2025-01-31), or a different --id if it is another law",
            )
    provenance_id = rows.insert_row(
        session,
        PROVENANCE,
        {
            "source_url": request.source_url,
            "source_file": str(request.path),
            "sha256": analysis.sha256,
            "retrieved": request.retrieved or dt.date.today().isoformat(),
            "produced_by": PRODUCED_BY,
            "note": request.note,
            "created_at": rows.now(),
        },
    )
    # Paths are made unique before the version row is written, so its details
    # hold every warning from the start (no UPDATE of the row afterwards).
    analysis.segmentation.warnings.extend(make_paths_unique(analysis.segmentation))
    warnings.extend(w for w in analysis.segmentation.warnings if w not in warnings)
    version_id = rows.insert_row(
        session,
        VERSIONS,
        {
            "document_id": document_id,
            "version_date": date,
            "language": analysis.language,
            "sha256": analysis.sha256,
            "source_format": analysis.read.source_format,
            "provenance_id": provenance_id,
            "details": {
                "warnings": warnings,
                "size": analysis.size,
                "source_title": analysis.read.title,
                "reader": _json_safe_metadata(analysis.read.metadata),
            },
            "created_at": rows.now(),
        },
    )
    count, stored_rows = insert_provisions(session, version_id, analysis.segmentation, unique=True)
    if document is not None:
        if document.language is None:
            document.language = analysis.language
        session.expire(document, ["versions"])
    if is_latest and stored_rows is not None:
        # the rows just written, as written: no need to read them back
        index_stored_rows(session, document_id, stored_title, date, stored_rows)
    else:
        index_document(session, document_id)
    audit.record(
        session,
        actor=request.actor,
        action="ingest",
        entity_type="document_version",
        entity_id=f"{document_id}@{date.isoformat()}",
        after={
            "sha256": analysis.sha256,
            "source_file": str(request.path),
            "source_url": request.source_url,
            "source_format": analysis.read.source_format,
            "language": analysis.language,
            "rows": count,
            "top_level": analysis.top_level,
        },
    )
    return IngestResult(
        status="stored",
        document_id=document_id,
        title=stored_title,
        country=country,
        version_date=date,
        language=analysis.language,
        sha256=analysis.sha256,
        segmentation=analysis.segmentation,
        warnings=warnings,
        path=str(request.path),
    )


def _json_safe_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """Reader metadata small enough to keep: scalars only, long strings cut."""
    safe: dict[str, Any] = {}
    for key, value in metadata.items():
        if isinstance(value, bool | int | float) or value is None:
            safe[str(key)] = value
        elif isinstance(value, str):
            safe[str(key)] = value[:500]
    return safe


def explain(error: Exception) -> TreatywatchError:
    """Any failure of one file in a batch, as a user-facing error."""
    if isinstance(error, TreatywatchError):
        return error
    return TreatywatchError(f"unexpected error: {type(error).__name__}: {error}")
