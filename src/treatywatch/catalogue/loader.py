"""Load and validate the catalogue from YAML into a :class:`Catalogue`.

The loader is the only code that knows file names; everything else asks the
:class:`Catalogue` object. Errors name the file, the record and the problem,
and list every problem found, because curators edit these files by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from treatywatch.catalogue.ids import ArticleId, InvalidArticleIdError
from treatywatch.catalogue.models import (
    Article,
    Category,
    Chapter,
    CriteriaFile,
    Criterion,
    CrosswalkFile,
    CrosswalkLink,
    CrosswalkRelation,
    InstrumentFile,
    InstrumentInfo,
)
from treatywatch.catalogue.validate import (
    Problems,
    check_criteria,
    check_crosswalk,
    check_instrument,
    check_references,
)
from treatywatch.errors import TreatywatchError, UnknownNameError
from treatywatch.suggest import close_matches

DEFAULT_DATA_DIR = Path(__file__).parent / "data"
INSTRUMENT_FILES = ("uncc.yaml", "budapest.yaml")
CROSSWALK_FILE = "crosswalk.yaml"
CRITERIA_FILE = "criteria.yaml"
MAX_FILE_BYTES = 5 * 1024 * 1024
# libyaml's safe loader parses the catalogue ~10x faster than the pure-Python one.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

M = TypeVar("M", bound=BaseModel)


class CatalogueError(TreatywatchError):
    """The catalogue data is invalid; ``problems`` lists every issue found."""

    def __init__(self, problems: list[str]) -> None:
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(
            f"the catalogue is invalid ({len(problems)} problem(s)):\n{shown}{more}",
            hint="fix the listed data files; `treatywatch catalogue check DIR` re-runs the checks",
        )
        self.problems = problems


class UnknownArticleError(UnknownNameError):
    """An article id that is not in the catalogue, with close matches to try."""

    kind = "article"
    fallback_hint = "list ids with `treatywatch articles list`"


class UnknownCriterionError(UnknownNameError):
    """A rights-criterion id that is not in the catalogue."""

    kind = "criterion"
    fallback_hint = "see `treatywatch criteria`"


@dataclass(frozen=True)
class Instrument:
    """An instrument with its chapters and articles in order."""

    info: InstrumentInfo
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]

    @property
    def id(self) -> str:
        return self.info.id

    def chapter(self, number: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.number == number.upper():
                return chapter
        raise KeyError(number)


@dataclass(frozen=True)
class Catalogue:
    """The instruments, their crosswalk and the rights criteria, validated.

    >>> cat = Catalogue.load()
    >>> cat.article("uncc/art-28").title
    'Search and seizure of stored electronic data'
    """

    instruments: dict[str, Instrument]
    crosswalk: tuple[CrosswalkLink, ...]
    criteria: tuple[Criterion, ...]
    source_dir: Path
    _articles: dict[ArticleId, Article] = field(repr=False, default_factory=dict)

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Catalogue:
        """Load from ``data_dir`` (the packaged catalogue by default); cached when default."""
        if data_dir is None:
            return _load_default()
        return _load(Path(data_dir))

    # --- lookups -------------------------------------------------------------

    def articles(
        self,
        instrument: str | None = None,
        chapter: str | None = None,
        category: Category | str | None = None,
    ) -> list[Article]:
        """Articles in catalogue order, optionally filtered."""
        found = []
        for inst in self.instruments.values():
            if instrument and inst.id != instrument:
                continue
            for article in inst.articles:
                if chapter and article.chapter != chapter.upper():
                    continue
                if category and article.category != Category(category):
                    continue
                found.append(article)
        return found

    def article(self, ref: str | ArticleId) -> Article:
        """One article by id; raises :class:`UnknownArticleError` with suggestions."""
        text = str(ref)
        try:
            aid = ref if isinstance(ref, ArticleId) else ArticleId.parse(ref)
        except InvalidArticleIdError:
            raise UnknownArticleError(text, self.suggest(text)) from None
        article = self._articles.get(aid.article)
        if article is None:
            raise UnknownArticleError(text, self.suggest(text))
        return article

    def __contains__(self, ref: object) -> bool:
        try:
            self.article(str(ref))
        except UnknownArticleError:
            return False
        return True

    def __iter__(self) -> Iterator[Article]:
        return iter(self._articles.values())

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Close ids or titles for a mistyped reference."""
        choices = [(str(aid), str(aid)) for aid in self._articles]
        choices += [(a.title, str(a.id)) for a in self._articles.values()]
        return close_matches(text, choices, limit=limit)

    def counterparts(self, ref: str | ArticleId) -> list[CrosswalkLink]:
        """Crosswalk links that involve an article, from either side."""
        aid = self.article(ref).id
        return [link for link in self.crosswalk if aid in (link.uncc, link.budapest)]

    def safeguarded_by(self, ref: str | ArticleId) -> list[Article]:
        """Articles whose safeguards list ``ref`` (e.g. 24 governs 25-30)."""
        aid = self.article(ref).id
        return [a for a in self._articles.values() if aid in a.safeguards]

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        choices = [(c.id, c.id) for c in self.criteria] + [(c.name, c.id) for c in self.criteria]
        raise UnknownCriterionError(criterion_id, close_matches(criterion_id, choices))

    # --- pandas-friendly records ------------------------------------------

    def article_records(self, **filters: Any) -> list[dict[str, Any]]:
        """Flat dicts, one per article: ``pandas.DataFrame(cat.article_records())``."""
        return [article_record(a, self) for a in self.articles(**filters)]

    def crosswalk_records(self) -> list[dict[str, Any]]:
        return [
            {
                "uncc": str(link.uncc) if link.uncc else None,
                "uncc_title": self.article(link.uncc).title if link.uncc else None,
                "budapest": str(link.budapest) if link.budapest else None,
                "budapest_title": self.article(link.budapest).title if link.budapest else None,
                "relation": link.relation.value,
                "note": link.note,
            }
            for link in self.crosswalk
        ]

    def criteria_records(self) -> list[dict[str, Any]]:
        return [c.model_dump(mode="json") for c in self.criteria]

    def crosswalk_coverage(self) -> dict[str, dict[str, int]]:
        """Per instrument: how many articles have a counterpart on the other side."""
        linked = {
            (link.uncc if side == "uncc" else link.budapest)
            for link in self.crosswalk
            for side in ("uncc", "budapest")
            if link.relation in (CrosswalkRelation.EQUIVALENT, CrosswalkRelation.PARTIAL)
        }
        out = {}
        for inst in self.instruments.values():
            total = len(inst.articles)
            with_counterpart = sum(1 for a in inst.articles if a.id in linked)
            out[inst.id] = {"articles": total, "with_counterpart": with_counterpart}
        return out


def article_record(article: Article, catalogue: Catalogue) -> dict[str, Any]:
    chapter = catalogue.instruments[article.instrument].chapter(article.chapter)
    return {
        "id": str(article.id),
        "instrument": article.instrument,
        "number": article.number,
        "title": article.title,
        "chapter": article.chapter,
        "chapter_title": chapter.title,
        "section": article.section,
        "category": article.category.value,
        "obligation": article.obligation.value,
        "obligation_note": article.obligation_note,
        "summary": article.summary,
        "obligations": [o.model_dump(mode="json") for o in article.obligations],
        "keywords": article.keywords,
        "aliases": article.aliases,
        "safeguards": [str(s) for s in article.safeguards],
        "criteria": article.criteria,
        "counterparts": [
            {
                "id": str(link.budapest if link.uncc == article.id else link.uncc),
                "relation": link.relation.value,
                "note": link.note,
            }
            for link in catalogue.counterparts(article.id)
            if (link.budapest if link.uncc == article.id else link.uncc) is not None
        ],
    }


def _read_yaml(path: Path, model: type[M], p: Problems) -> M | None:
    if not path.is_file():
        p.add(str(path), "file is missing")
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        p.add(str(path), f"file is larger than {MAX_FILE_BYTES} bytes")
        return None
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506
    except UnicodeDecodeError as exc:
        p.add(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    except yaml.YAMLError as exc:
        p.add(str(path), f"not valid YAML: {exc}")
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = _describe_location(raw, err["loc"])
            p.add(str(path), f"{loc}: {err['msg']}")
        return None


def _describe_location(raw: Any, loc: tuple[int | str, ...]) -> str:
    """Turn ``('articles', 6, 'title')`` into ``articles[6] (number 7) .title``."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                item = node[key]
                ident = item.get("number", item.get("id"))
                if ident is not None:
                    label += f" (#{ident})"
            parts.append(label)
        else:
            parts.append(f".{key}" if parts else str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts) or "(top level)"


def _load(data_dir: Path) -> Catalogue:
    p = Problems()
    criteria_file = _read_yaml(data_dir / CRITERIA_FILE, CriteriaFile, p)
    criteria_ids = {c.id for c in criteria_file.criteria} if criteria_file else set()
    if criteria_file:
        check_criteria(str(data_dir / CRITERIA_FILE), criteria_file, p)

    instruments: dict[str, Instrument] = {}
    articles: dict[ArticleId, Article] = {}
    for name in INSTRUMENT_FILES:
        path = data_dir / name
        data = _read_yaml(path, InstrumentFile, p)
        if data is None:
            continue
        check_instrument(str(path), data, criteria_ids, p)
        inst_id = data.instrument.id
        if inst_id in instruments:
            p.add(str(path), f"instrument id {inst_id!r} is used by another file")
            continue
        bound = tuple(a.model_copy(update={"instrument": inst_id}) for a in data.articles)
        instruments[inst_id] = Instrument(data.instrument, tuple(data.chapters), bound)
        articles.update({a.id: a for a in bound})

    for name in INSTRUMENT_FILES:
        inst_id = name.removesuffix(".yaml")
        if inst_id in instruments:
            check_references(str(data_dir / name), instruments[inst_id].articles, articles, p)

    crosswalk = _read_yaml(data_dir / CROSSWALK_FILE, CrosswalkFile, p)
    if crosswalk and articles:
        check_crosswalk(str(data_dir / CROSSWALK_FILE), crosswalk, articles, p, set(instruments))

    if p or crosswalk is None or criteria_file is None:
        raise CatalogueError(p.items)
    return Catalogue(
        instruments=instruments,
        crosswalk=tuple(crosswalk.links),
        criteria=tuple(sorted(criteria_file.criteria, key=lambda c: c.number)),
        source_dir=data_dir,
        _articles=articles,
    )


@cache
def _load_default() -> Catalogue:
    return _load(DEFAULT_DATA_DIR)
