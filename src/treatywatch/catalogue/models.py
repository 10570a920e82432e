"""Typed models of the convention catalogue.

The catalogue is data (YAML under ``catalogue/data``); these models are its
schema. They are strict (unknown keys are errors) because a typo in a data
file must fail loudly at load time, not silently drop a safeguard link.
Cross-file rules (numbering, references) live in :mod:`.validate`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from treatywatch.catalogue.ids import ArticleId

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Prose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]

ROMAN_RE = re.compile(r"^M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Category(StrEnum):
    """What an article does; drives alignment rules and the coverage views."""

    GENERAL = "general"
    CRIMINALIZATION = "criminalization"
    JURISDICTION = "jurisdiction"
    PROCEDURAL = "procedural"
    COOPERATION = "cooperation"
    PREVENTION = "prevention"
    ASSISTANCE = "assistance"
    IMPLEMENTATION = "implementation"
    FINAL = "final"


class ObligationStrength(StrEnum):
    """How binding an article (or paragraph) is on a State Party.

    ``mixed`` means the article has both "shall" and "may" parts; ``none``
    is for articles that bind no State conduct (purpose, depositary...).
    """

    MANDATORY = "mandatory"
    OPTIONAL = "optional"
    MIXED = "mixed"
    NONE = "none"


class CrosswalkRelation(StrEnum):
    """How a UNCC article relates to a Budapest article."""

    EQUIVALENT = "equivalent"
    PARTIAL = "partial"
    NEW_IN_UNCC = "new-in-uncc"
    ABSENT_FROM_UNCC = "absent-from-uncc"


class Severity(StrEnum):
    """Ordered severity levels of a rights finding (low < ... < critical)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Obligation(_Strict):
    """One paragraph-level duty, so gap analysis can tell "shall" from "may"."""

    paragraph: Annotated[str, StringConstraints(pattern=r"^\d+(\s?\([a-z]+\))?$")]
    strength: ObligationStrength
    summary: Prose


class Chapter(_Strict):
    number: Annotated[str, StringConstraints(pattern=ROMAN_RE.pattern, min_length=1)]
    title: Prose
    sections: list[Prose] = Field(default_factory=list)


class Article(_Strict):
    """One convention article, described in the project's own words."""

    number: Annotated[int, Field(ge=1)]
    title: Prose
    chapter: str
    section: str | None = None
    category: Category
    obligation: ObligationStrength
    obligation_note: Prose
    summary: Prose
    obligations: list[Obligation] = Field(default_factory=list)
    keywords: dict[LanguageCode, list[Prose]]
    aliases: list[Prose] = Field(default_factory=list)
    safeguards: list[ArticleId] = Field(default_factory=list)
    criteria: list[Slug] = Field(default_factory=list)
    curation_note: Prose | None = None
    # Filled by the loader, never written in the YAML.
    instrument: str = ""

    @field_validator("keywords")
    @classmethod
    def _english_keywords_required(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if not value.get("en"):
            raise ValueError("every article needs English keywords (keywords.en)")
        return value

    @field_validator("summary")
    @classmethod
    def _summary_is_short(cls, value: str) -> str:
        sentences = [s for s in re.split(r"(?<=[.;!?])\s+", value) if s.strip()]
        if len(sentences) > 3:
            raise ValueError(f"summary must be 1-3 sentences, found {len(sentences)}")
        return value

    @field_validator("safeguards", mode="before")
    @classmethod
    def _parse_ids(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [ArticleId.parse(v) if isinstance(v, str) else v for v in value]
        return value

    @property
    def id(self) -> ArticleId:
        return ArticleId(self.instrument, self.number)

    @property
    def all_keywords(self) -> list[str]:
        """Keywords in every language plus aliases: what search and alignment match on."""
        words = [w for words in self.keywords.values() for w in words]
        return [*words, *self.aliases]


class InstrumentInfo(_Strict):
    id: Slug
    short_title: Prose
    title: Prose
    body: Prose
    adopted: dt.date
    adopted_by: Prose
    opened_for_signature: dt.date | None = None
    in_force: dt.date | None = None
    entry_into_force_rule: Prose
    depositary: Prose
    languages: list[LanguageCode]
    article_count: Annotated[int, Field(ge=1)]
    status_source: str | None = None
    notes: list[Prose] = Field(default_factory=list)


class InstrumentFile(_Strict):
    """Shape of ``<instrument>.yaml``."""

    instrument: InstrumentInfo
    chapters: list[Chapter]
    articles: list[Article]


class CrosswalkLink(_Strict):
    uncc: ArticleId | None = None
    budapest: ArticleId | None = None
    relation: CrosswalkRelation
    note: Prose

    @field_validator("uncc", "budapest", mode="before")
    @classmethod
    def _parse_id(cls, value: Any) -> Any:
        return ArticleId.parse(value) if isinstance(value, str) else value


class CrosswalkFile(_Strict):
    links: list[CrosswalkLink]


class SeverityLevel(_Strict):
    level: Severity
    meaning: Prose


class Criterion(_Strict):
    """A human-rights question asked of every national law."""

    id: Slug
    number: Annotated[int, Field(ge=1)]
    name: Prose
    question: Prose
    rationale: Prose
    evidence_satisfies: list[Prose]
    evidence_fails: list[Prose]
    applies_to: list[Slug]
    severity_scale: list[SeverityLevel]
    sources: list[Prose] = Field(default_factory=list)

    @field_validator("severity_scale")
    @classmethod
    def _full_scale(cls, value: list[SeverityLevel]) -> list[SeverityLevel]:
        levels = [lvl.level for lvl in value]
        if levels != list(Severity):
            expected = ", ".join(s.value for s in Severity)
            raise ValueError(f"severity_scale must list the levels in order: {expected}")
        return value


class CriteriaFile(_Strict):
    criteria: list[Criterion]
