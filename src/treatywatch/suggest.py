"""Close-match suggestions for mistyped ids, names and titles.

Used wherever a user names something that does not exist (article, criterion,
country), so every "unknown X" error can say "did you mean ...".
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

DEFAULT_CUTOFF = 70.0


def close_matches(
    text: str,
    choices: Iterable[tuple[str, str]],
    *,
    limit: int = 3,
    cutoff: float = DEFAULT_CUTOFF,
) -> list[str]:
    """Suggestions whose labels look like ``text``, best first, no repeats.

    ``choices`` pairs what a user might type (an id, a title, a name) with
    what to suggest (usually the canonical id), so "illegal acess" can
    suggest both ``uncc/art-7`` and ``budapest/art-2`` by their shared title.
    """
    pairs = list(choices)
    found = process.extract(
        text,
        [label for label, _value in pairs],
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit * 4,
        score_cutoff=cutoff,
    )
    out: list[str] = []
    for _label, _score, index in found:
        value = pairs[index][1]
        if value not in out:
            out.append(value)
    return out[:limit]
