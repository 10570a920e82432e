"""The real-law test corpus in ../shared/corpus (never copied into the repo).

Each document folder holds the scraped original (``source.json``,
``source.md``, ``source.html``), derived renderings (``law.pdf``,
``law.docx``, ``law.txt``) and ``expected.json``, the true list of
top-level provisions. Tests, the benchmark and the demo find the corpus
through :func:`corpus_dir`: ``TREATYWATCH_CORPUS`` if set, else
``../shared/corpus`` beside the repository.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from treatywatch.errors import TreatywatchError
from treatywatch.ingest.workid import year_in
from treatywatch.ledger.jurisdictions import lookup

CORPUS_ENV = "TREATYWATCH_CORPUS"
# The renderings are listed first: a PDF exercises the most of the pipeline.
PREFERRED_FILES = ("law.pdf", "law.docx", "law.txt", "source.json", "source.md")


@dataclass(frozen=True)
class CorpusDocument:
    id: str
    folder: Path
    country: str | None  # ISO3, or None for a treaty
    language: str | None
    title: str | None
    year: int | None = None  # year the law was made (source.json issued_date), if known
    expected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def work_id(self) -> str | None:
        """``ken/act/2018/ken-cmca-2018``: the corpus id as the number of a work id."""
        if self.country is None:
            return None
        year = self.year or year_in(self.title) or year_in(self.id)
        return f"{self.country.lower()}/act/{year}/{self.id}" if year else None

    @property
    def files(self) -> dict[str, Path]:
        """The ingestible files present, in order of preference."""
        return {
            name: self.folder / name for name in PREFERRED_FILES if (self.folder / name).is_file()
        }

    @property
    def preferred(self) -> Path | None:
        return next(iter(self.files.values()), None)


def corpus_dir() -> Path | None:
    """Where the corpus is, or None when this checkout has no ../shared."""
    configured = os.environ.get(CORPUS_ENV)
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_dir() else None
    repo_root = Path(__file__).resolve().parents[3]
    for candidate in (
        repo_root.parent / "shared" / "corpus",
        Path.cwd().parent / "shared" / "corpus",
    ):
        if candidate.is_dir():
            return candidate
    return None


def _country(document_id: str) -> str | None:
    prefix = document_id.split("-", 1)[0]
    if len(prefix) != 3:
        return None
    try:
        return lookup(prefix).code
    except TreatywatchError:
        return None


def _source_facts(folder: Path) -> tuple[str | None, int | None]:
    """Title and year from the scraped ``source.json``, where there is one."""
    source = folder / "source.json"
    if not source.is_file():
        return None, None
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    title = str(data["title"]) if data.get("title") else None
    issued = str(data.get("issued_date") or "")
    return title, int(issued[:4]) if issued[:4].isdigit() else None


def corpus_documents(directory: Path | None = None) -> list[CorpusDocument]:
    """Every document folder (one with ``expected.json``), sorted by id."""
    root = directory or corpus_dir()
    if root is None:
        return []
    documents = []
    for folder in sorted(p for p in root.iterdir() if (p / "expected.json").is_file()):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        title, year = _source_facts(folder)
        documents.append(
            CorpusDocument(
                id=folder.name,
                folder=folder,
                country=_country(folder.name),
                language=expected.get("language"),
                title=title,
                year=year,
                expected=list(expected.get("units", [])),
            )
        )
    return documents
