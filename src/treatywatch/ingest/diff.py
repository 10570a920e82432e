"""A provision-level redline between two versions of a law.

Top-level provisions (sections/articles) are matched first by path, then —
for those left over, usually because the law was renumbered — by heading
similarity (and, where headings are missing or generic, by text
similarity). Each pair whose heading or text differs is reported as
*changed*, with a word diff (difflib over whitespace-separated words, so a
changed penalty reads "[-two-]{+five+} years"); unpaired provisions are
*added* or *removed*. Sub-provisions of a changed provision are compared by
relative path so the redline says which subsection moved.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from treatywatch.ingest.model import ProvisionNode, Segmentation

HEADING_MATCH = 85.0  # rapidfuzz ratio (0-100) for two headings to name the same provision
TEXT_MATCH = 80.0  # text similarity when headings cannot decide
SAME_PATH_FLOOR = 60.0  # below this (heading and text), a same-numbered pair is not the same rule
_WORD_RE = re.compile(r"\S+")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class WordOp:
    """One run of the word diff: ``equal``, ``delete`` (old only) or ``insert`` (new only)."""

    op: str
    text: str


@dataclass
class ProvisionChange:
    status: str  # added, removed, changed
    old_path: str | None
    new_path: str | None
    label: str | None
    heading: str | None
    old_label: str | None = None
    old_heading: str | None = None
    renumbered: bool = False
    similarity: float = 0.0
    words: list[WordOp] = field(default_factory=list)
    parts: list[dict[str, str]] = field(default_factory=list)

    @property
    def redline(self) -> str:
        """The word diff as text: ``[-removed-]{+added+}``, unchanged words plain."""
        out = []
        for op in self.words:
            if op.op == "equal":
                out.append(op.text)
            elif op.op == "delete":
                out.append(f"[-{op.text}-]")
            else:
                out.append(f"{{+{op.text}+}}")
        return " ".join(out)

    def record(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "old_path": self.old_path,
            "new_path": self.new_path,
            "label": self.label,
            "heading": self.heading,
            "old_label": self.old_label,
            "old_heading": self.old_heading,
            "renumbered": self.renumbered,
            "similarity": round(self.similarity, 3),
            "redline": self.redline,
            "words": [{"op": w.op, "text": w.text} for w in self.words],
            "parts": self.parts,
        }


@dataclass
class VersionDiff:
    old: str
    new: str
    changes: list[ProvisionChange]
    unchanged: int

    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": self.unchanged}
        for change in self.changes:
            counts[change.status] += 1
        return counts

    def record(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "summary": self.counts(),
            "changes": [c.record() for c in self.changes],
        }


def _norm(text: str | None) -> str:
    return _SPACE_RE.sub(" ", text or "").strip()


def word_diff(old: str, new: str) -> list[WordOp]:
    """Word-level diff; runs of the same operation are merged."""
    a, b = _WORD_RE.findall(old), _WORD_RE.findall(new)
    ops: list[WordOp] = []

    def add(op: str, words: list[str]) -> None:
        if not words:
            return
        if ops and ops[-1].op == op:
            ops[-1] = WordOp(op, ops[-1].text + " " + " ".join(words))
        else:
            ops.append(WordOp(op, " ".join(words)))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return ops


def _full(node: ProvisionNode) -> str:
    return _norm(node.full_text)


def _similar_heading(old: ProvisionNode, new: ProvisionNode) -> float:
    if not old.heading or not new.heading:
        return 0.0
    return float(fuzz.ratio(_norm(old.heading).lower(), _norm(new.heading).lower()))


def _similar_text(old: ProvisionNode, new: ProvisionNode) -> float:
    return float(fuzz.ratio(_full(old), _full(new)))


def _same_rule(old: ProvisionNode, new: ProvisionNode) -> bool:
    """Whether a same-numbered pair is one rule (not a new section that took the number).

    After an insertion, "30. Jurisdiction" may become 31 and a new "30.
    Oversight" take its number; pairing by number alone would report one
    wholesale rewrite instead of an insertion and a renumbering.
    """
    if _full(old) == _full(new):
        return True
    if old.heading and new.heading and _similar_heading(old, new) >= SAME_PATH_FLOOR:
        return True
    return _similar_text(old, new) >= SAME_PATH_FLOOR


def _pair_renumbered(
    old: list[ProvisionNode], new: list[ProvisionNode]
) -> list[tuple[ProvisionNode, ProvisionNode, float]]:
    """Greedy best-first pairing of unmatched provisions by heading, then text."""
    candidates: list[tuple[float, int, int]] = []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            heading = _similar_heading(o, n)
            if heading >= HEADING_MATCH:
                # Same heading: near-certain; text similarity breaks ties.
                candidates.append((200.0 + heading + _similar_text(o, n) / 100, i, j))
                continue
            text = _similar_text(o, n)
            if text >= TEXT_MATCH:
                candidates.append((text, i, j))
    candidates.sort(reverse=True)
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for score, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((old[i], new[j], score))
    return pairs


def _descendants(node: ProvisionNode) -> dict[str, ProvisionNode]:
    """Sub-provisions keyed by their path below ``node`` ("2/a")."""
    out: dict[str, ProvisionNode] = {}
    prefix = node.path + "/"
    for sub, depth in node.walk():
        if depth > 1:
            key = sub.path[len(prefix) :] if sub.path.startswith(prefix) else sub.path
            out[key] = sub
    return out


def _parts(old: ProvisionNode, new: ProvisionNode) -> list[dict[str, str]]:
    before, after = _descendants(old), _descendants(new)
    parts = []
    for key in after:
        if key not in before:
            parts.append({"path": key, "status": "added"})
        elif _norm(before[key].text) != _norm(after[key].text):
            parts.append({"path": key, "status": "changed"})
    parts.extend({"path": key, "status": "removed"} for key in before if key not in after)
    return parts


def _compare(old: ProvisionNode, new: ProvisionNode) -> ProvisionChange | None:
    same_text = _full(old) == _full(new)
    same_heading = _norm(old.heading) == _norm(new.heading)
    if same_text and same_heading and old.path == new.path and old.label == new.label:
        return None
    old_text = " ".join(p for p in (_norm(old.heading), _full(old)) if p)
    new_text = " ".join(p for p in (_norm(new.heading), _full(new)) if p)
    return ProvisionChange(
        status="changed",
        old_path=old.path,
        new_path=new.path,
        label=new.label,
        heading=new.heading,
        old_label=old.label,
        old_heading=old.heading,
        renumbered=old.path != new.path or old.label != new.label,
        similarity=difflib.SequenceMatcher(None, old_text, new_text, autojunk=False).ratio(),
        words=word_diff(old_text, new_text),
        parts=_parts(old, new),
    )


def _whole(node: ProvisionNode, status: str) -> ProvisionChange:
    text = " ".join(p for p in (_norm(node.heading), _full(node)) if p)
    return ProvisionChange(
        status=status,
        old_path=node.path if status == "removed" else None,
        new_path=node.path if status == "added" else None,
        label=node.label,
        heading=node.heading,
        words=[WordOp("delete" if status == "removed" else "insert", text)] if text else [],
    )


def diff_segmentations(
    old: Segmentation, new: Segmentation, *, old_name: str = "old", new_name: str = "new"
) -> VersionDiff:
    """Changes from ``old`` to ``new``, in the new version's order.

    Removed provisions are listed where they stood: just after the new
    position of the provision that preceded them in the old version.
    """
    old_by_path = {p.path: p for p in old.provisions}
    new_by_path = {p.path: p for p in new.provisions}
    pairs: dict[str, tuple[ProvisionNode, float]] = {}  # new path → (old node, score)
    for path, node in new_by_path.items():
        if path in old_by_path and _same_rule(old_by_path[path], node):
            pairs[path] = (old_by_path[path], 100.0)
    paired_old = {o.path for o, _s in pairs.values()}
    rest_old = [p for p in old.provisions if p.path not in paired_old]
    rest_new = [p for p in new.provisions if p.path not in pairs]
    for o, n, score in _pair_renumbered(rest_old, rest_new):
        pairs[n.path] = (o, score)
    matched_old = {o.path: n_path for n_path, (o, _s) in pairs.items()}
    position = {p.path: float(i) for i, p in enumerate(new.provisions)}

    ranked: list[tuple[float, int, ProvisionChange]] = []
    unchanged = 0
    for i, node in enumerate(new.provisions):
        if node.path in pairs:
            change = _compare(pairs[node.path][0], node)
            if change is None:
                unchanged += 1
                continue
            ranked.append((float(i), 0, change))
        else:
            ranked.append((float(i), 0, _whole(node, "added")))
    anchor = -1.0
    for k, node in enumerate(old.provisions):
        if node.path in matched_old:
            anchor = position[matched_old[node.path]]
            continue
        ranked.append((anchor + 0.5, k, _whole(node, "removed")))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return VersionDiff(old_name, new_name, [c for _p, _k, c in ranked], unchanged)
