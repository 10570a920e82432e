"""What a provision is compared with: one profile per convention article.

Lexical and embedding methods both need "the article as text". Building it
once here keeps them comparing against the same thing, and keeps the
choice of fields (title, summary, obligations, keywords in the provision's
language) in one place a curator can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from treatywatch.catalogue import Catalogue

TARGET_INSTRUMENTS = ("uncc", "budapest")
"""Instruments a national provision is aligned to. Aligning to Budapest as
well lets a user see both treaties' view of the same law."""


@dataclass(frozen=True)
class ArticleProfile:
    """One article as the alignment methods see it."""

    article_id: str  # "uncc/art-7"
    instrument: str
    number: int
    title: str
    category: str  # criminalization, procedural, cooperation, ...
    chapter: str
    summary: str
    obligations: tuple[str, ...]
    keywords: dict[str, tuple[str, ...]]  # language → keywords
    aliases: tuple[str, ...]

    def keywords_for(self, language: str) -> tuple[str, ...]:
        """Keywords in ``language``; English ones are always added because
        laws in other languages borrow English terms of art."""
        own = self.keywords.get(language, ())
        english = self.keywords.get("en", ()) if language != "en" else ()
        return (*own, *english)

    def description(self) -> str:
        """English prose for embedding: title, summary, paragraph duties."""
        parts = [self.title + ".", self.summary, *self.obligations]
        return " ".join(parts)


@cache
def article_profiles(instrument: str | None = None) -> tuple[ArticleProfile, ...]:
    """Profiles of the packaged catalogue's articles (one instrument or all targets)."""
    catalogue = Catalogue.load()
    wanted = (instrument,) if instrument else TARGET_INSTRUMENTS
    out: list[ArticleProfile] = []
    for article in catalogue:
        if article.instrument not in wanted:
            continue
        out.append(
            ArticleProfile(
                article_id=str(article.id),
                instrument=article.instrument,
                number=article.number,
                title=article.title,
                category=str(article.category),
                chapter=article.chapter,
                summary=article.summary,
                obligations=tuple(o.summary for o in article.obligations),
                keywords={lang: tuple(words) for lang, words in article.keywords.items()},
                aliases=tuple(article.aliases),
            )
        )
    return tuple(out)


def profile_index(instrument: str | None = None) -> dict[str, ArticleProfile]:
    return {p.article_id: p for p in article_profiles(instrument)}
