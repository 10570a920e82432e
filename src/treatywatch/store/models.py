"""SQLAlchemy models for the whole treatywatch domain.

One schema serves SQLite (default, a portable file) and PostgreSQL (shared
deployments). Tables exist for every pipeline stage from day one so later
stages add behaviour, not migrations that reshape the core. Conventions:

- natural string keys where the domain has them (``uncc/art-28``, ``KEN``,
  ``ken/act/2018/5``) so rows are readable in any SQL client and exports;
- JSON columns for lists that are always read whole (keywords, evidence);
- every imported fact points to a :class:`Provenance` row;
- review state lives next to the machine output it reviews, so a re-run can
  see what a human already decided and leave it alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JSONType = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REVIEW_STATES = ("suggested", "accepted", "rejected", "overridden")
FINDING_STATES = ("meets", "partly", "fails", "not-addressed", "needs-review")
SEVERITIES = ("low", "medium", "high", "critical")
SENSITIVITY = ("public", "restricted", "confidential")
ROLES = ("viewer", "analyst", "admin")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSONType, list[Any]: JSONType}


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )


# --- catalogue ---------------------------------------------------------------


class InstrumentRow(Base):
    __tablename__ = "instruments"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    short_title: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(String(200))
    adopted: Mapped[dt.date] = mapped_column(Date)
    opened_for_signature: Mapped[dt.date | None] = mapped_column(Date)
    in_force: Mapped[dt.date | None] = mapped_column(Date)
    article_count: Mapped[int] = mapped_column(Integer)
    info: Mapped[dict[str, Any]] = mapped_column(default=dict)

    articles: Mapped[list[ArticleRow]] = relationship(
        back_populates="instrument", order_by="ArticleRow.number"
    )


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("instrument_id", "number", name="uq_articles_number"),)

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    instrument_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    chapter: Mapped[str] = mapped_column(String(10))
    chapter_title: Mapped[str] = mapped_column(String(300))
    section: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(30), index=True)
    obligation: Mapped[str] = mapped_column(String(20))
    obligation_note: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    obligations: Mapped[list[Any]] = mapped_column(default=list)
    keywords: Mapped[dict[str, Any]] = mapped_column(default=dict)
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    safeguards: Mapped[list[Any]] = mapped_column(default=list)
    criteria: Mapped[list[Any]] = mapped_column(default=list)

    instrument: Mapped[InstrumentRow] = relationship(back_populates="articles")


class CrosswalkLinkRow(Base):
    __tablename__ = "crosswalk_links"
    __table_args__ = (
        UniqueConstraint("uncc_article_id", "budapest_article_id", name="uq_crosswalk_links_pair"),
        CheckConstraint(
            _in("relation", ("equivalent", "partial", "new-in-uncc", "absent-from-uncc")),
            name="relation",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uncc_article_id: Mapped[str | None] = mapped_column(ForeignKey("articles.id"), index=True)
    budapest_article_id: Mapped[str | None] = mapped_column(ForeignKey("articles.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)


class CriterionRow(Base):
    __tablename__ = "criteria"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(300))
    question: Mapped[str] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MetaRow(Base):
    """Key/value facts about the store itself (e.g. catalogue fingerprint)."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StoreChangeRow(Base):
    """One write to data a page shows, named by the scope it touches.

    Rows are written by database triggers (migration 0005), never by the
    application, so every writer — the web app, the CLI, a script with raw
    SQL — is seen. :mod:`treatywatch.store.changes` reads them to tell
    whether a cached page is still current; see its docstring for why a
    count, not a maximum id, is the test.
    """

    __tablename__ = "store_changes"
    __table_args__ = (Index("ix_store_changes_scope", "scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(160))


# --- provenance, jurisdictions --------------------------------------------------


class ProvenanceRow(Timestamped, Base):
    """Where a fact came from: every imported row points here."""

    __tablename__ = "provenance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_url: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    retrieved: Mapped[str | None] = mapped_column(String(100))
    produced_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class JurisdictionRow(Base):
    __tablename__ = "jurisdictions"
    __table_args__ = (
        CheckConstraint(_in("kind", ("member", "observer", "reio", "other")), name="kind"),
    )

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    alpha2: Mapped[str | None] = mapped_column(String(2), unique=True)
    numeric: Mapped[str | None] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(200))
    official_name: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10), default="member")
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    aliases: Mapped[list[Any]] = mapped_column(default=list)


# --- documents -----------------------------------------------------------------


class DocumentRow(Timestamped, Base):
    """A law as a work (all its versions), identified like an AKN FRBR work."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    title: Mapped[str] = mapped_column(Text)
    doc_type: Mapped[str] = mapped_column(String(40), default="act")
    language: Mapped[str | None] = mapped_column(String(8))

    versions: Mapped[list[DocumentVersionRow]] = relationship(
        back_populates="document", order_by="DocumentVersionRow.version_date"
    )


class DocumentVersionRow(Timestamped, Base):
    """One text of a law at a date (an AKN expression); provisions hang off it."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "version_date", name="uq_document_versions_date"),
        UniqueConstraint("document_id", "sha256", name="uq_document_versions_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    version_date: Mapped[dt.date] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    source_format: Mapped[str] = mapped_column(String(20))
    provenance_id: Mapped[int | None] = mapped_column(ForeignKey("provenance.id"))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    document: Mapped[DocumentRow] = relationship(back_populates="versions")
    provisions: Mapped[list[ProvisionRow]] = relationship(
        back_populates="version", order_by="ProvisionRow.ordinal", cascade="all, delete-orphan"
    )


class ProvisionRow(Base):
    """A node of the provision tree (part, section, subsection, item)."""

    __tablename__ = "provisions"
    __table_args__ = (UniqueConstraint("version_id", "path", name="uq_provisions_path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("provisions.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(300))
    ordinal: Mapped[int] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(30))
    label: Mapped[str | None] = mapped_column(String(60))
    heading: Mapped[str | None] = mapped_column(Text)
    container: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30), default="other")
    text: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    version: Mapped[DocumentVersionRow] = relationship(back_populates="provisions")


# --- alignment and assessment -------------------------------------------------


class AlignmentRow(Timestamped, Base):
    """A provision → article link, machine-suggested and possibly human-reviewed."""

    __tablename__ = "alignments"
    __table_args__ = (
        UniqueConstraint("provision_id", "article_id", name="uq_alignments_pair"),
        CheckConstraint(_in("status", REVIEW_STATES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(
        ForeignKey("provisions.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    rank: Mapped[int] = mapped_column(Integer, default=1)
    score: Mapped[float] = mapped_column(Float)
    methods: Mapped[list[Any]] = mapped_column(default=list)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="suggested", index=True)
    reviewer: Mapped[str | None] = mapped_column(String(100))
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    engine_version: Mapped[str | None] = mapped_column(String(40))


class AlignmentRunRow(Timestamped, Base):
    """One run of the alignment engine over one law version.

    Kept so every suggestion can say which engine, which methods and which
    fallbacks produced it: "embeddings unavailable, lexical + rules only"
    must stay visible long after the terminal output is gone.
    """

    __tablename__ = "alignment_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), index=True
    )
    engine_version: Mapped[str] = mapped_column(String(40))
    methods: Mapped[list[Any]] = mapped_column(default=list)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    provision_count: Mapped[int] = mapped_column(Integer, default=0)
    suggested: Mapped[int] = mapped_column(Integer, default=0)
    kept_reviewed: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class EmbeddingCacheRow(Base):
    """A sentence vector, keyed by model and text hash.

    Embedding is the slowest step of alignment; catalogue entries never
    change between runs and most provisions do not change between versions,
    so their vectors are computed once per model and reused.
    """

    __tablename__ = "embedding_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(100), index=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class FindingRow(Timestamped, Base):
    """A verdict on one rights criterion for one law version, with its evidence."""

    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint(_in("status", FINDING_STATES), name="status"),
        CheckConstraint(_in("severity", SEVERITIES), name="severity"),
        CheckConstraint(_in("review_status", REVIEW_STATES), name="review_status"),
        Index("ix_findings_version_criterion", "version_id", "criterion_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[str] = mapped_column(ForeignKey("criteria.id"))
    provision_id: Mapped[int | None] = mapped_column(
        ForeignKey("provisions.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    explanation: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    detector: Mapped[str] = mapped_column(String(100))
    review_status: Mapped[str] = mapped_column(String(20), default="suggested")
    reviewer: Mapped[str | None] = mapped_column(String(100))
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# --- ledger and cases -----------------------------------------------------------


class StatusEventRow(Timestamped, Base):
    """One dated fact about a State and an instrument (vote, signature, ...)."""

    __tablename__ = "status_events"
    __table_args__ = (
        UniqueConstraint(
            "jurisdiction_code",
            "instrument_id",
            "event",
            "event_date",
            "source_key",
            name="uq_status_events_fact",
        ),
        CheckConstraint(_in("date_precision", ("day", "month", "year", "unknown")), name="prec"),
        Index("ix_status_events_instrument_date", "instrument_id", "event_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(String(20))
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(10), default="day")
    marker: Mapped[str | None] = mapped_column(String(10))
    resolution: Mapped[str | None] = mapped_column(String(60))
    vote: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    source_key: Mapped[str] = mapped_column(String(300), default="")
    provenance_id: Mapped[int | None] = mapped_column(ForeignKey("provenance.id"))


class InstrumentEventRow(Timestamped, Base):
    """A dated fact about an instrument as a whole (adoption, vote tally, entry into force).

    Per-State facts live in ``status_events``; this holds what belongs to no
    single State, such as "adopted without a vote" or "recorded vote 79-60-33".
    """

    __tablename__ = "instrument_events"
    __table_args__ = (
        UniqueConstraint(
            "instrument_id", "event", "event_date", "source_key", name="uq_instrument_events_fact"
        ),
        CheckConstraint(_in("date_precision", ("day", "month", "year", "unknown")), name="prec"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(40), index=True)
    event: Mapped[str] = mapped_column(String(30))
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(10), default="day")
    resolution: Mapped[str | None] = mapped_column(String(60))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    source_key: Mapped[str] = mapped_column(String(300), default="")
    provenance_id: Mapped[int | None] = mapped_column(ForeignKey("provenance.id"))


class CaseRow(Timestamped, Base):
    """A documented use of a cyber law against a person or group.

    ``document_ref`` keeps the law id as the record cites it, so a case can
    be entered before its law is ingested; ``document_id`` is set (and the
    foreign key checked) once that law is in the store.
    """

    __tablename__ = "cases"
    __table_args__ = (CheckConstraint(_in("sensitivity", SENSITIVITY), name="sensitivity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    title: Mapped[str] = mapped_column(Text)
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    document_ref: Mapped[str | None] = mapped_column(String(200), index=True)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    provision_path: Mapped[str | None] = mapped_column(String(300))
    outcome: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    sources: Mapped[list[Any]] = mapped_column(default=list)
    sensitivity: Mapped[str] = mapped_column(String(20), default="public")
    restricted: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provenance_id: Mapped[int | None] = mapped_column(ForeignKey("provenance.id"))


# --- people and accountability ------------------------------------------------------


class UserRow(Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    password_hash: Mapped[str | None] = mapped_column(String(300))
    api_token_hash: Mapped[str | None] = mapped_column(String(300), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditLogRow(Base):
    """Append-only record of every write: who, when, what, before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now(), index=True
    )
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(200))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
