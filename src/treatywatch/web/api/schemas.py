"""Response and request models of the API: what /openapi.json promises.

Records are built by :mod:`.records` (shared with the UI's JSON twins) and
validated against these models before they are sent, so the published
schema and the bytes on the wire cannot drift apart. Free-form parts that
the domain owns (alignment evidence, criterion severity scales) stay
``dict``/``list`` of JSON values rather than being re-specified here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

FindingStatus = Literal["meets", "partly", "fails", "not-addressed", "needs-review"]
Severity = Literal["low", "medium", "high", "critical"]
ReviewState = Literal["suggested", "accepted", "rejected", "overridden"]
Sensitivity = Literal["public", "restricted", "confidential"]

Comment = Field(default=None, max_length=2000, description="Why (kept in the audit log).")


class Page(BaseModel, Generic[T]):
    """One page of a list; follow ``next`` (a cursor) for the rest."""

    items: list[T]
    next: str | None = Field(description="Cursor of the next page, or null on the last page.")
    count: int = Field(description="Items matching the filters, across all pages.")


# --- catalogue -------------------------------------------------------------------


class ChapterOut(BaseModel):
    number: str
    title: str


class InstrumentOut(BaseModel):
    id: str
    short_title: str
    title: str
    body: str
    adopted: dt.date
    opened_for_signature: dt.date | None
    in_force: dt.date | None
    article_count: int
    languages: list[str]
    chapters: list[ChapterOut]


class CounterpartOut(BaseModel):
    id: str
    relation: str
    note: str
    title: str | None = None


class ArticleOut(BaseModel):
    id: str = Field(examples=["uncc/art-28"])
    instrument: str
    number: int
    title: str
    chapter: str
    chapter_title: str
    section: str | None
    category: str
    obligation: str
    obligation_note: str
    summary: str
    obligations: list[dict[str, Any]]
    keywords: dict[str, list[str]]
    aliases: list[str]
    safeguards: list[str]
    criteria: list[str]
    counterparts: list[CounterpartOut] = Field(
        description="Crosswalk links to the other convention (Budapest ↔ UNCC)."
    )


class CrosswalkOut(BaseModel):
    uncc: str | None
    uncc_title: str | None
    budapest: str | None
    budapest_title: str | None
    relation: str
    note: str


class CriterionOut(BaseModel):
    id: str
    number: int
    name: str
    question: str
    rationale: str
    evidence_satisfies: list[str]
    evidence_fails: list[str]
    applies_to: list[str]
    severity_scale: list[dict[str, Any]]
    sources: list[str]


# --- jurisdictions, documents, provisions --------------------------------------------


class JurisdictionOut(BaseModel):
    code: str = Field(examples=["KEN"])
    alpha2: str | None
    numeric: str | None
    name: str
    official_name: str | None
    kind: str
    documents: int = Field(description="Stored laws of this jurisdiction.")


class JurisdictionDetail(JurisdictionOut):
    names: dict[str, Any]
    aliases: list[Any]
    laws: list[DocumentOut]


class DocumentOut(BaseModel):
    id: str = Field(examples=["ken/act/2018/5"])
    country: str
    title: str
    doc_type: str
    language: str | None
    versions: list[dt.date]
    latest: dt.date | None


class VersionOut(BaseModel):
    id: int
    document: str
    date: dt.date
    ref: str = Field(description="DOC@DATE, usable wherever a version is named.")
    language: str | None
    sha256: str
    source_format: str
    provisions: int = Field(description="Provision nodes (all depths) of this version.")


class DocumentDetail(DocumentOut):
    version_details: list[VersionOut]


class VersionDetail(VersionOut):
    title: str
    country: str
    source_url: str | None
    source_file: str | None
    retrieved: str | None
    produced_by: str | None
    kinds: dict[str, int]
    warnings: list[Any]


class ProvisionOut(BaseModel):
    id: int
    ref: str = Field(description="DOC@DATE#path: a deep link to this provision.")
    version_id: int
    parent_id: int | None
    path: str
    ordinal: int
    depth: int
    unit: str
    label: str | None
    heading: str | None
    kind: str
    text: str


class AlignmentOut(BaseModel):
    id: int
    provision: str | None
    path: str | None
    label: str | None
    heading: str | None
    article: str
    title: str | None
    rank: int
    score: float
    methods: list[str]
    status: ReviewState
    reviewer: str | None
    comment: str | None
    reviewed_at: str | None
    paragraphs: list[str] | None
    override_of: str | None
    engine_version: str | None


class AlignmentDetail(AlignmentOut):
    evidence: dict[str, Any] = Field(description="Why the engine (or a person) made the link.")


class ProvisionDetail(ProvisionOut):
    document: str
    version_date: dt.date
    children: list[str] = Field(description="Refs of the direct sub-provisions.")
    last_run: dict[str, Any] | None
    alignments: list[AlignmentDetail]
    cases: list[CaseOut]


# --- review ------------------------------------------------------------------------


class AcceptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str | None = Comment
    paragraphs: list[str] | None = Field(
        default=None, max_length=50, description="Article paragraphs implemented, e.g. '1 (a)'."
    )


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str | None = Comment


class OverrideBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article: str = Field(max_length=60, examples=["uncc/art-9"])
    comment: str | None = Comment
    paragraphs: list[str] | None = Field(default=None, max_length=50)


class AddBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provision: str = Field(max_length=600, examples=["ken/act/2018/5@2018-05-16#sec-14"])
    article: str = Field(max_length=60, examples=["uncc/art-7"])
    comment: str | None = Comment
    paragraphs: list[str] | None = Field(default=None, max_length=50)


class ReviewResultOut(BaseModel):
    action: str
    alignments: list[AlignmentOut] = Field(description="The rows changed; the first is the target.")


class FindingOut(BaseModel):
    id: int
    version: str
    criterion: str
    detector: str
    provision: str | None
    status: FindingStatus
    severity: Severity
    review_status: ReviewState
    reviewer: str | None
    review_comment: str | None
    explanation: str
    evidence: list[Any]


class ConfirmBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str | None = Comment


class FindingOverrideBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str = Field(min_length=1, max_length=2000, description="Why the verdict is wrong.")
    status: FindingStatus | None = None
    severity: Severity | None = None


class FindingReviewOut(BaseModel):
    id: int
    criterion: str
    detector: str
    status: FindingStatus
    severity: Severity
    review_status: ReviewState
    reviewer: str | None
    review_comment: str | None


# --- scorecards, status, cases ---------------------------------------------------------


class ScorecardSummary(BaseModel):
    code: str
    name: str
    score: float | None
    findings: int
    reviewed_share: float | None
    status_counts: dict[str, int]
    implemented: int = Field(description="Mandatory UNCC articles judged implemented.")


class ScorecardOut(BaseModel):
    key: str
    name: str
    versions: list[dict[str, Any]]
    score: float | None
    findings: int
    reviewed_share: float | None
    status_counts: dict[str, int]
    criteria: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    coverage: dict[str, str] = Field(description="UNCC article → implemented/partial/not-found.")
    warnings: list[str]


class ComparisonOut(BaseModel):
    by: Literal["criteria", "articles"]
    columns: list[str]
    rows: list[dict[str, Any]]
    warnings: list[str]


class StatusEventOut(BaseModel):
    id: int
    country: str
    instrument: str
    event: str
    date: dt.date | None
    date_precision: str
    marker: str | None
    vote: str | None
    resolution: str | None
    note: str | None
    source_key: str


class LedgerStatusOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    instrument: str
    title: str
    as_of: dt.date
    signatories: int
    parties: int
    entry_into_force: dt.date | None
    status_counts: dict[str, int]
    states: list[dict[str, Any]]


class TimelineOut(BaseModel):
    code: str
    name: str
    kind: str
    counts: dict[str, int]
    items: list[dict[str, Any]]


class CaseOut(BaseModel):
    key: str
    country: str
    date: dt.date | None
    title: str
    law: str | None
    law_in_store: bool
    provision: str | None
    outcome: str | None
    summary: str
    tags: list[Any]
    sources: list[Any]
    sensitivity: Sensitivity
    restricted: dict[str, Any] = Field(
        description="Restricted fields; values are 'REDACTED' unless your role may see them."
    )
    redacted: bool
    fictional: bool


# --- search, upload ------------------------------------------------------------------


class SearchHitOut(BaseModel):
    type: Literal["article", "provision"]
    id: str
    scope: str
    title: str
    snippet: str
    score: float
    facets: dict[str, list[str]] = Field(
        description="This hit's values for each facet (instrument, chapter, country, ...)."
    )


class SearchPage(Page[SearchHitOut]):
    facets: dict[str, dict[str, int]] = Field(
        description="Facet → value → number of matching hits (before paging)."
    )


class UploadOut(BaseModel):
    ref: str = Field(description="DOC@DATE of the stored version.")
    status: Literal["stored", "unchanged"]
    document: DocumentOut
    filename: str = Field(description="The upload's file name as stored (sanitised).")
    provisions: int
    ingest_warnings: list[str]
    alignment: dict[str, Any] = Field(description="Counts and engine of the alignment run.")
    assessment: dict[str, Any] = Field(description="Scorecard and warnings of the assessment.")


JurisdictionDetail.model_rebuild()
DocumentDetail.model_rebuild()
ProvisionDetail.model_rebuild()
