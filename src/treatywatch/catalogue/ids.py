"""Article identifiers: ``uncc/art-28`` and ``uncc/art-28/para-2``.

One tiny class owns the grammar so the CLI, the store, the API and the data
files agree on it. Parse and format are symmetric::

    >>> aid = ArticleId.parse("UNCC/Art-28/para-2")
    >>> aid
    ArticleId(instrument='uncc', number=28, paragraph=2)
    >>> str(aid)
    'uncc/art-28/para-2'
    >>> str(ArticleId.parse(str(aid))) == str(aid)
    True

Users type ids loosely ("uncc 28", "budapest/20", "uncc/art.28"), so
:meth:`ArticleId.parse` accepts those shapes too and always formats back to
the canonical one.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

_ID_RE = re.compile(
    r"""
    ^\s*
    (?P<instrument>[a-z][a-z0-9-]*?)      # instrument slug: uncc, budapest, budapest-p2
    \s*[/ :]\s*                            # separator: slash, space or colon
    (?:art(?:icle)?[-. ]?\s*)?             # optional 'art-', 'art.', 'article '
    (?P<number>\d{1,3})                    # article number
    (?:\s*/\s*(?:para(?:graph)?[-. ]?)?    # optional paragraph: '/para-2' or '/2'
       (?P<paragraph>\d{1,2}))?
    \s*$
    """,
    re.VERBOSE | re.IGNORECASE,
)


class InvalidArticleIdError(ValueError):
    """Raised when a string cannot be read as an article id."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"not an article id: {text!r} (expected e.g. 'uncc/art-28' or 'budapest/art-20')"
        )
        self.text = text


class ArticleId(NamedTuple):
    """Canonical reference to an article (or one paragraph of it)."""

    instrument: str
    number: int
    paragraph: int | None = None

    @classmethod
    def parse(cls, text: str) -> ArticleId:
        match = _ID_RE.match(text)
        if not match:
            raise InvalidArticleIdError(text)
        paragraph = match.group("paragraph")
        return cls(
            instrument=match.group("instrument").lower(),
            number=int(match.group("number")),
            paragraph=int(paragraph) if paragraph else None,
        )

    @property
    def article(self) -> ArticleId:
        """The whole-article id (drops the paragraph)."""
        return ArticleId(self.instrument, self.number)

    def __str__(self) -> str:
        base = f"{self.instrument}/art-{self.number}"
        return base if self.paragraph is None else f"{base}/para-{self.paragraph}"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: Any) -> ArticleId:
            if isinstance(value, ArticleId):
                return value
            if isinstance(value, str):
                return cls.parse(value)
            raise InvalidArticleIdError(repr(value))

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )
