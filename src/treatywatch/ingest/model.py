"""Records passed between the ingest stages: reader → segmenter → enrichment → store.

These are the contracts between modules; each stage only reads the fields
documented here, so readers, the segmenter and the store can change
independently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from treatywatch.errors import TreatywatchError

# Provision kinds (same vocabulary as the gold labels' `kind` column).
KINDS = (
    "definition",
    "offence",
    "penalty",
    "procedural",
    "cooperation",
    "jurisdiction",
    "institutional",
    "preventive",
    "general",
    "other",
)


class IngestError(TreatywatchError):
    """A source file cannot be ingested; the message names the file and the problem."""

    def __init__(self, path: str, problem: str, *, hint: str | None = None) -> None:
        super().__init__(f"{path}: {problem}", hint=hint)
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class Line:
    """One line of text as a reader saw it.

    ``hint`` carries layout a reader knows and plain text loses:
    ``"heading-1"``..``"heading-6"`` (DOCX heading styles, HTML h1-h6),
    ``"bold"`` (a bold-only paragraph, typical of section headings), or None.
    """

    text: str
    hint: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class PreUnit:
    """A provision from a pre-segmented source (scraped JSON, Akoma Ntoso)."""

    label: str
    title: str | None
    container: str | None
    content: str
    unit: str = "section"


@dataclass
class ReadResult:
    """What a reader extracted from one file.

    Exactly one of ``lines`` (free text to segment) or ``units``
    (pre-segmented provisions) is non-empty.
    """

    path: str
    source_format: str  # pdf, docx, html, txt, akn, json
    lines: list[Line] = field(default_factory=list)
    units: list[PreUnit] = field(default_factory=list)
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.lines:
            return "\n".join(line.text for line in self.lines)
        return "\n\n".join(u.content for u in self.units)


@dataclass
class ProvisionNode:
    """A node of the provision tree.

    ``unit`` is the structural type (part, chapter, title, division,
    section, article, subsection, paragraph, item, subitem, schedule).
    Containers (part, chapter, title, division, book) group provisions and
    are not provisions themselves; sections/articles are the top-level
    provisions (depth 1). ``label`` is the number as printed ("15", "46A",
    "431-7", "1er", "202a", "2", "a", "iv"). ``path`` is stable and unique
    within a version, e.g. ``sec-37/2/a`` or ``art-12bis/1``.
    """

    unit: str
    label: str | None
    heading: str | None = None
    text: str = ""
    children: list[ProvisionNode] = field(default_factory=list)
    path: str = ""
    kind: str = "other"
    container: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def walk(self, depth: int = 1) -> Iterator[tuple[ProvisionNode, int]]:
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)

    @property
    def full_text(self) -> str:
        """Own text followed by all descendants' text, as printed."""
        parts = [self.text] if self.text else []
        parts.extend(child.full_text for child in self.children)
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Container:
    """A part/chapter/title heading and the top-level provisions under it."""

    unit: str
    label: str | None
    heading: str | None
    path: str
    parent_path: str | None = None


@dataclass
class Segmentation:
    """The segmenter's output: top-level provisions in order, plus containers."""

    provisions: list[ProvisionNode]
    containers: list[Container] = field(default_factory=list)
    preamble: str = ""
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[ProvisionNode, int]]:
        for provision in self.provisions:
            yield from provision.walk(1)
