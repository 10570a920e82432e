"""Alternations of literal words shaped as tries, for patterns scanned over whole texts.

Python's ``re`` tries the branches of ``one|two|three`` one after another at
every position of the text, so a pattern of a hundred cue words costs about
a hundred comparisons per character: the cue patterns that run over every
provision were the slowest part of enrichment. The same words factored into
a trie (``t(?:hree|wo)|one``) cost one or two comparisons per character.

The matches do not change. Literals that match at the same position are
prefixes of one another, and the trie tries the longer first, as a
longest-first alternation does; branches that start with different
characters cannot both match. That reasoning needs case-sensitive matching:
use these alternations in patterns compiled without ``re.IGNORECASE``
(the callers match lower-cased text with lower-cased cues).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    end: str | None = None  # a word ends here; the pattern that must follow it


def literal_alternation(items: Iterable[str], suffix: Callable[[str], str] | None = None) -> str:
    """A regex matching exactly what the longest-first alternation of ``items`` matches.

    That alternation is ``"|".join(re.escape(i) + suffix(i) for i in sorted(set(items),
    key=len, reverse=True))``: ``suffix`` gives what must follow a word (a
    boundary such as ``(?!\\w)``), empty by default.
    """
    root = _Node()
    for item in set(items):
        node = root
        for char in item:
            node = node.children.setdefault(char, _Node())
        node.end = suffix(item) if suffix is not None else ""
    return _emit(root)


def _emit(node: _Node) -> str:
    parts = []
    for char in sorted(node.children):
        child = node.children[char]
        chunk = re.escape(char)
        while len(child.children) == 1 and child.end is None:  # a chain: one literal
            ((char, child),) = child.children.items()
            chunk += re.escape(char)
        parts.append(chunk + _emit(child))
    if node.end is None:
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if not parts:
        return node.end
    if not node.end:
        return "(?:" + "|".join(parts) + ")?"  # greedy: the longer words first
    return "(?:" + "|".join([*parts, node.end]) + ")"
