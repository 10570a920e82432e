"""Cross-file rules of the catalogue.

Pydantic checks each record's shape; these checks need the whole catalogue:
numbering, chapters, and every reference between articles, crosswalk links
and criteria. All problems are collected before raising so a curator fixes
a data file in one pass instead of one error per run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from treatywatch.catalogue.ids import ArticleId
from treatywatch.catalogue.models import (
    Article,
    CriteriaFile,
    CrosswalkFile,
    CrosswalkRelation,
    InstrumentFile,
)


@dataclass
class Problems:
    """Problems found, each prefixed with the file it comes from."""

    items: list[str] = field(default_factory=list)

    def add(self, source: str, message: str) -> None:
        self.items.append(f"{source}: {message}")

    def __bool__(self) -> bool:
        return bool(self.items)


def check_instrument(
    source: str, data: InstrumentFile, criteria_ids: set[str], p: Problems
) -> None:
    info = data.instrument
    numbers = [a.number for a in data.articles]
    for number, count in Counter(numbers).items():
        if count > 1:
            p.add(source, f"article {number} is defined {count} times (duplicate id)")
    expected = list(range(1, info.article_count + 1))
    if sorted(set(numbers)) != expected:
        missing = sorted(set(expected) - set(numbers))
        extra = sorted(set(numbers) - set(expected))
        p.add(
            source,
            f"articles must be numbered 1..{info.article_count} without gaps"
            + (f"; missing {missing}" if missing else "")
            + (f"; unexpected {extra}" if extra else ""),
        )
    elif numbers != sorted(numbers):
        p.add(source, "articles are not listed in numerical order")

    chapter_numbers = [c.number for c in data.chapters]
    for chapter_number, count in Counter(chapter_numbers).items():
        if count > 1:
            p.add(source, f"chapter {chapter_number} is defined {count} times")
    by_chapter: dict[str, list[Article]] = {c: [] for c in chapter_numbers}
    for article in data.articles:
        if article.chapter not in by_chapter:
            p.add(source, f"article {article.number} names unknown chapter {article.chapter!r}")
            continue
        by_chapter[article.chapter].append(article)
    order = 0
    for chapter in data.chapters:
        members = by_chapter[chapter.number]
        if not members:
            p.add(source, f"chapter {chapter.number} ({chapter.title}) has no articles")
            continue
        nums = [a.number for a in members]
        if nums != list(range(nums[0], nums[0] + len(nums))) or nums[0] <= order:
            p.add(source, f"chapter {chapter.number} articles are not one contiguous run: {nums}")
        order = nums[-1]
        for article in members:
            if article.section is not None and article.section not in chapter.sections:
                p.add(
                    source,
                    f"article {article.number} names section {article.section!r}, "
                    f"not listed under chapter {chapter.number}",
                )
    for article in data.articles:
        for criterion in article.criteria:
            if criterion not in criteria_ids:
                p.add(source, f"article {article.number} raises unknown criterion {criterion!r}")


def check_references(
    source: str,
    articles: Iterable[Article],
    known: Mapping[ArticleId, Article],
    p: Problems,
) -> None:
    for article in articles:
        for ref in article.safeguards:
            if ref.article not in known:
                p.add(source, f"article {article.number} safeguard {ref} does not resolve")
            elif ref.article == article.id:
                p.add(source, f"article {article.number} lists itself as its own safeguard")


def check_crosswalk(
    source: str,
    data: CrosswalkFile,
    known: Mapping[ArticleId, Article],
    p: Problems,
    loaded: set[str],
) -> None:
    """Every link resolves, its shape fits its type, and every article is classified.

    ``loaded`` names the instruments whose files were valid; references into
    a broken instrument file are not checked, so one bad file does not bury
    its real problem under a hundred unresolved-link messages.
    """
    seen_pairs: Counter[tuple[str, str]] = Counter()
    covered: set[ArticleId] = set()
    for index, link in enumerate(data.links, start=1):
        where = f"link {index} ({link.uncc or '-'} ↔ {link.budapest or '-'})"
        for ref, instrument in ((link.uncc, "uncc"), (link.budapest, "budapest")):
            if ref is None:
                continue
            if ref.instrument != instrument:
                p.add(source, f"{where}: {ref} is not a {instrument} article")
            elif ref.instrument not in loaded:
                pass
            elif ref.article not in known:
                p.add(source, f"{where}: {ref} does not resolve")
            covered.add(ref.article)
        relation = link.relation
        if relation is CrosswalkRelation.NEW_IN_UNCC and (link.uncc is None or link.budapest):
            p.add(source, f"{where}: new-in-uncc needs a uncc article and no budapest article")
        if relation is CrosswalkRelation.ABSENT_FROM_UNCC and (link.budapest is None or link.uncc):
            p.add(source, f"{where}: absent-from-uncc needs a budapest article and no uncc article")
        if relation in (CrosswalkRelation.EQUIVALENT, CrosswalkRelation.PARTIAL) and not (
            link.uncc and link.budapest
        ):
            p.add(source, f"{where}: {relation.value} needs both a uncc and a budapest article")
        seen_pairs[(str(link.uncc), str(link.budapest))] += 1
    for pair, count in seen_pairs.items():
        if count > 1:
            p.add(source, f"link {pair[0]} ↔ {pair[1]} is listed {count} times")
    for article_id in known:
        if article_id.instrument in ("uncc", "budapest") and article_id not in covered:
            p.add(
                source,
                f"{article_id} is not classified in the crosswalk "
                "(add a link, or a new-in-uncc / absent-from-uncc entry)",
            )


def check_criteria(source: str, data: CriteriaFile, p: Problems) -> None:
    ids = Counter(c.id for c in data.criteria)
    for cid, count in ids.items():
        if count > 1:
            p.add(source, f"criterion {cid!r} is defined {count} times")
    numbers = sorted(c.number for c in data.criteria)
    if numbers != list(range(1, len(numbers) + 1)):
        p.add(source, f"criteria must be numbered 1..{len(numbers)} without gaps: {numbers}")
