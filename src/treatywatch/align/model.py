"""Records passed between the alignment stages.

provisions (from the store) → methods (lexical, embedding, rules, context)
each emit :class:`Signal` votes → fusion turns the votes for one
provision × article pair into a calibrated :class:`Candidate` → the
engine returns one :class:`ProvisionAlignment` per provision.

Every vote carries its evidence (matched terms, spans, catalogue terms)
so a reviewer can see *why* a link was suggested, not only that it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

METHODS = ("lexical", "embedding", "rules", "context")
"""The methods that can vote. ``context`` is a vote inherited from the
provision's heading, container or parent rather than from its own text."""


@dataclass(frozen=True)
class Span:
    """Character offsets into :attr:`ProvisionText.full` plus the quoted text."""

    start: int
    end: int
    text: str

    def record(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class ProvisionText:
    """What alignment needs to know about one provision.

    ``text`` is the provision's whole text including its sub-provisions;
    ``full`` (heading, newline, text) is what spans point into, so a span
    found in the heading and one found in the body share one coordinate
    system.
    """

    key: str  # the provision path, e.g. "sec-3"
    label: str | None
    heading: str | None
    text: str
    kind: str = "other"  # ingest's classification: definition, offence, ...
    language: str = "en"  # ISO 639-1 of the document
    container: str | None = None  # heading of the part/chapter it sits in
    provision_id: int | None = None  # store row id, when it came from the store
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def full(self) -> str:
        return f"{self.heading}\n{self.text}" if self.heading else self.text

    @property
    def body_offset(self) -> int:
        """Where :attr:`text` starts inside :attr:`full`."""
        return len(self.heading) + 1 if self.heading else 0


@dataclass(frozen=True)
class Signal:
    """One method's vote that a provision implements one article.

    ``strength`` is the method's own confidence on a 0–1 scale; fusion
    weighs and calibrates it. ``catalogue_terms`` are the catalogue
    keywords, aliases or defined terms that matched; ``terms`` are the
    provision's words that matched them; ``note`` names the rule or says in
    a few words why the method voted.
    """

    article_id: str  # "uncc/art-7", "budapest/art-2"
    method: str  # one of METHODS
    strength: float
    terms: tuple[str, ...] = ()
    catalogue_terms: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    note: str = ""

    def record(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "strength": round(self.strength, 4),
            "terms": list(self.terms),
            "catalogue_terms": list(self.catalogue_terms),
            "spans": [s.record() for s in self.spans],
            "note": self.note,
        }


class Method(Protocol):
    """A source of votes. Batch-shaped so embeddings can batch."""

    name: str

    def signals(self, provisions: list[ProvisionText]) -> list[list[Signal]]:
        """One list of votes per provision, in the same order."""
        ...


@dataclass
class Candidate:
    """A ranked suggestion: provision → article, with a calibrated score."""

    article_id: str
    score: float  # calibrated probability that the link is right, 0–1
    methods: list[str]
    evidence: list[Signal]

    def record(self) -> dict[str, Any]:
        return {
            "article": self.article_id,
            "score": round(self.score, 4),
            "methods": self.methods,
            "evidence": [s.record() for s in self.evidence],
        }


@dataclass
class ProvisionAlignment:
    """The engine's answer for one provision.

    ``candidates`` are the links it suggests (score ≥ threshold), best
    first; ``shortlist`` is the ranked list before the threshold, kept for
    ranking metrics and for a reviewer looking for the right article when
    the engine said "no match".
    """

    provision: ProvisionText
    candidates: list[Candidate]
    shortlist: list[Candidate]

    @property
    def no_match(self) -> bool:
        return not self.candidates

    def record(self) -> dict[str, Any]:
        return {
            "provision": self.provision.key,
            "label": self.provision.label,
            "heading": self.provision.heading,
            "kind": self.provision.kind,
            "no_match": self.no_match,
            "candidates": [c.record() for c in self.candidates],
            "shortlist": [
                {"article": c.article_id, "score": round(c.score, 4)} for c in self.shortlist[:5]
            ],
        }


@dataclass
class EngineInfo:
    """Which methods ran, and why any did not (said in every output)."""

    engine_version: str
    methods: list[str]
    embedding_model: str | None
    warnings: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version,
            "methods": self.methods,
            "embedding_model": self.embedding_model,
            "warnings": self.warnings,
        }
