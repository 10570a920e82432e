"""Text lines → a provision tree: containers, top-level provisions, subsections.

How a heading is told from a cross-reference: a provision heading starts a
line *and* continues the law's dominant numbering sequence. The segmenter
first finds every line that could be a heading in each numbering family
(articles, sections, §§, bare numbers), keeps the family whose candidates
form the longest plausible sequence, then accepts a candidate only if it
comes next in that sequence (46 → 46A → 47; 431-7 → 431-8; a new compound
series such as 677-34 only when printed as a proper heading). "section
5(2)" at the start of a wrapped line, or a numbered list inside a section,
therefore never opens a new provision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from treatywatch.ingest.model import Container, Line, PreUnit, ProvisionNode, Segmentation
from treatywatch.ingest.segment.headings import (
    clean_title,
    is_container_title,
    is_marginal_note,
    is_title_line,
    split_heading,
)
from treatywatch.ingest.segment.lines import Para, assemble, clean_lines, starts_block
from treatywatch.ingest.segment.numbering import (
    Key,
    fold,
    is_successor,
    label_key,
    slug,
    word_to_int,
)
from treatywatch.ingest.segment.outline import (
    build_outline,
    child_segment,
    name_units,
    read_marker,
    split_inline,
)
from treatywatch.ingest.segment.patterns import patterns
from treatywatch.ingest.segment.vocab import load_cues, words

FAMILY_PREFIX = {"article": "art", "section": "sec", "paragraph": "sec", "number": "sec"}
FAMILY_UNIT = {
    "article": "article",
    "section": "section",
    "paragraph": "section",
    "number": "section",
}
CONTAINER_PREFIX = {
    "book": "book",
    "part": "part",
    "subpart": "subpart",
    "title": "title",
    "chapter": "chap",
    "division": "div",
    "subdivision": "subdiv",
    "schedule": "sched",
    "group": "group",
}
# Preference when two families score the same: keywords are less ambiguous.
_FAMILY_ORDER = ("article", "paragraph", "section", "number")
# How far a number may jump, by how sure we are that the line is a heading.
_MAX_GAP = {2: 200, 1: 25, 0: 1}
_LOOKAHEAD = 40
_HEADING_HINT = re.compile(r"^(?:heading-\d|bold)$")
_REF_AFTER_LABEL = re.compile(r"^\(\s?[0-9a-zA-Z]{1,4}\s?\)\s+(?:of|de|du|des|del|der|to)\b")

Series = tuple[str, Key]


@dataclass
class Candidate:
    """A line that could be the heading of a top-level provision."""

    index: int
    family: str
    label: str
    key: Key
    rest: str
    strength: int  # 2: surely a heading, 1: plausible, 0: only if the very next number


@dataclass
class ContainerHit:
    unit: str
    label: str | None
    rest: str
    level: int | None


@dataclass
class _Open:
    """A top-level provision being collected."""

    node: ProvisionNode
    body: list[str] = field(default_factory=list)
    scope: str = ""  # path prefix of an enclosing schedule


@dataclass
class _ContainerEntry:
    container: Container
    level: int | None


def segment(lines: Sequence[Line], *, language: str | None = None) -> Segmentation:
    """Segment a law's lines into containers and top-level provisions with subsections."""
    paras = assemble(clean_lines(lines))
    if not paras:
        return Segmentation(provisions=[], warnings=["no text to segment"])
    by_family = _candidates(paras)
    if language in set(words(load_cues("structure").get("section_is_container_in"))):
        by_family.pop("section", None)  # "Section 1 - …" groups articles in French and Spanish
    family = _choose_family(by_family)
    candidates = {c.index: c for c in by_family.get(family, [])} if family else {}
    containers = _container_hits(paras, family)
    return _Builder(paras, family, candidates, containers).run()


def from_units(units: Sequence[PreUnit], *, language: str | None = None) -> Segmentation:
    """Provisions already split at top level (scraped JSON, AKN): nest each one's content."""
    del language  # the nesting rules are language-neutral
    provisions: list[ProvisionNode] = []
    containers: dict[str, Container] = {}
    for unit in units:
        chain = [part.strip() for part in (unit.container or "").split(" > ") if part.strip()]
        parent: Container | None = None
        for depth, name in enumerate(chain):
            key = " > ".join(chain[: depth + 1])
            if key not in containers:
                containers[key] = _container_from_heading(name, parent)
            parent = containers[key]
        label = unit.label.strip()
        paras = assemble(clean_lines([Line(text) for text in unit.content.splitlines()]))
        lines = [para.text for para in paras]
        kind = "article" if fold(unit.unit).startswith("art") else "section"
        title = clean_title(unit.title) if unit.title else None
        designator = _designator_family(title or "", label)
        if designator:
            kind, title = designator, None  # "Artículo 1°": the number again, not a heading
        if lines:
            own = _designator_family(lines[0], label, prefix_only=True)
            if own:
                kind = own
                found_title, rest = split_heading(_after_designator(lines[0]))
                title = title or found_title
                lines[0] = rest
        node = ProvisionNode(
            unit=FAMILY_UNIT[kind],
            label=label,
            heading=title,
            container=chain[-1] if chain else None,
        )
        if parent is not None:
            node.details["container_path"] = parent.path
        node.path = f"{FAMILY_PREFIX[kind]}-{slug(label) if label else 'x'}"
        body = [piece for line in lines if line for piece in split_inline(line)]
        build_outline(node, body)
        provisions.append(node)
    segmentation = Segmentation(provisions=provisions, containers=_unique_containers(containers))
    _finish(segmentation)
    return segmentation


def _designator_family(text: str, label: str, *, prefix_only: bool = False) -> str | None:
    """The family of "Artículo 1°" / "Section 5" when ``text`` repeats the unit's number."""
    for family, pattern in patterns().provision.items():
        match = pattern.match(text)
        if not match:
            continue
        printed = _normal_label(match.group("label"))
        same = fold(printed) == fold(label) or fold(label).startswith(fold(printed) + " ")
        if same and (prefix_only or not match.group("rest").strip(" .:-–—")):
            return "paragraph" if family == "paragraph" else family
    return None


def _after_designator(text: str) -> str:
    for pattern in patterns().provision.values():
        match = pattern.match(text)
        if match:
            return match.group("rest")
    return text


def _container_from_heading(name: str, parent: Container | None) -> Container:
    hit = _match_container(name, None, None)
    unit = hit.unit if hit else "group"
    label = hit.label if hit else None
    own = _container_segment(unit, label, name)
    path = f"{parent.path}/{own}" if parent else own
    return Container(unit, label, name, path, parent.path if parent else None)


def _unique_containers(containers: dict[str, Container]) -> list[Container]:
    seen: dict[str, int] = {}
    out: list[Container] = []
    renamed: dict[str, str] = {}
    for container in containers.values():
        parent = renamed.get(container.parent_path or "", container.parent_path)
        base = container.path.rsplit("/", 1)[-1]
        path = f"{parent}/{base}" if parent else base
        count = seen.get(path, 0) + 1
        seen[path] = count
        final = path if count == 1 else f"{path}-{count}"
        renamed[container.path] = final
        out.append(Container(container.unit, container.label, container.heading, final, parent))
    return out


# --- candidate headings ---------------------------------------------------------


def _candidates(paras: list[Para]) -> dict[str, list[Candidate]]:
    pats = patterns()
    out: dict[str, list[Candidate]] = {}
    for index, para in enumerate(paras):
        text = para.text
        if len(text) > 2000:
            text = text[:2000]
        hinted = bool(para.hint and _HEADING_HINT.match(para.hint))
        first = text[:1]
        if first.isdigit():
            match = pats.bare_number.match(text)
            if match:
                candidate = _bare_candidate(index, match, hinted)
                if candidate:
                    out.setdefault("number", []).append(candidate)
            continue
        if not pats.heading_keyword.match(text):
            continue  # starts with no keyword: none of the patterns below can match
        for family, pattern in pats.provision.items():
            match = pattern.match(text)
            if match:
                candidate = _keyword_candidate(index, family, match, hinted)
                if candidate:
                    out.setdefault(family, []).append(candidate)
                break
        else:
            match = pats.cjk_article.match(text)
            if match:
                key = label_key(str(word_to_int(match.group("label")) or ""))
                if key:
                    out.setdefault("article", []).append(
                        Candidate(index, "article", match.group("label"), key, match["rest"], 2)
                    )
    return out


def _normal_label(label: str) -> str:
    return " ".join(label.split())


def _keyword_candidate(
    index: int, family: str, match: re.Match[str], hinted: bool
) -> Candidate | None:
    label = _normal_label(match.group("label"))
    key = label_key(label)
    if key is None:
        return None
    rest = match.group("rest")
    stripped = rest.strip()
    if not stripped or hinted:
        return Candidate(index, family, label, key, rest, 2)
    if rest[:1] in ".:-–—)_" or rest.startswith((" -", " –", " —", " :")):
        if _strip_separators(rest)[:1].islower():
            return None
        return Candidate(index, family, label, key, rest, 2)
    if not rest[:1].isspace():
        return None  # "Section 5(2)", "Art.12x": glued to the number, a reference
    first = stripped[:1]
    if first == "(":
        if _REF_AFTER_LABEL.match(stripped) or not read_marker(stripped):
            return None
        return Candidate(index, family, label, key, rest, 2)
    if first.islower() or first.isdigit() or first in ",;[":
        return None
    if patterns().reference_continuation.match(stripped):
        return None
    return Candidate(index, family, label, key, rest, 2)


def _strip_separators(text: str) -> str:
    return text.lstrip(" .:-–—)_")


def _bare_candidate(index: int, match: re.Match[str], hinted: bool) -> Candidate | None:
    label = match.group("label")
    key = label_key(label)
    if key is None:
        return None
    rest = match.group("rest")
    after = _strip_separators(rest).strip()
    if hinted:
        return Candidate(index, "number", label, key, rest, 2)
    if not after:
        return Candidate(index, "number", label, key, rest, 1)
    if after[:1].islower() or patterns().reference_continuation.match(after):
        return None
    title, _body = split_heading(rest)
    if title is not None or read_marker(after) is not None:
        return Candidate(index, "number", label, key, rest, 1)
    return Candidate(index, "number", label, key, rest, 0)


class _Sequencer:
    """Follows a numbering sequence; several series run side by side (1, 2 and 431-7…)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        self.position = {c.index: i for i, c in enumerate(candidates)}
        self.last: dict[Series, Key] = {}
        self.count = 0

    def reset(self) -> None:
        """A schedule numbers its paragraphs afresh."""
        self.last.clear()
        self.count = 0

    def accepts(self, candidate: Candidate, qualifier: str = "") -> bool:
        series: Series = (qualifier, candidate.key[:-1])
        previous = self.last.get(series)
        if previous is None:
            if self.count == 0:
                return candidate.strength >= 1 or candidate.key[-1][0] <= 3
            return candidate.strength >= 2 or bool(qualifier and candidate.strength >= 1)
        if previous == candidate.key:
            return False
        if not is_successor(previous, candidate.key, max_gap=_MAX_GAP[candidate.strength]):
            return False
        return not self._better_ahead(candidate, previous)

    def _better_ahead(self, candidate: Candidate, previous: Key) -> bool:
        """A later line is a closer next number (or the same number, printed more surely)."""
        start = self.position.get(candidate.index)
        if start is None:
            return False
        jump = candidate.key[-1][0] - previous[-1][0]
        for other in self.candidates[start + 1 : start + 1 + _LOOKAHEAD]:
            if other.key[:-1] != candidate.key[:-1]:
                continue
            if other.key == candidate.key and other.strength > candidate.strength:
                return True
            if (
                jump > 1
                and other.strength >= candidate.strength
                and previous < other.key < candidate.key
                and is_successor(previous, other.key, max_gap=1)
            ):
                return True
        return False

    def accept(self, candidate: Candidate, qualifier: str = "") -> None:
        self.last[(qualifier, candidate.key[:-1])] = candidate.key
        self.count += 1


def _choose_family(by_family: dict[str, list[Candidate]]) -> str | None:
    best: tuple[int, int] | None = None
    chosen: str | None = None
    for family in _FAMILY_ORDER:
        candidates = by_family.get(family, [])
        if not candidates:
            continue
        sequencer = _Sequencer(candidates)
        score = 0
        for candidate in candidates:
            if sequencer.accepts(candidate):
                sequencer.accept(candidate)
                score += 1 + candidate.strength
        rank = (score, -_FAMILY_ORDER.index(family))
        if score > 0 and (best is None or rank > best):
            best, chosen = rank, family
    return chosen


# --- containers -----------------------------------------------------------------


def _container_hits(paras: list[Para], family: str | None) -> dict[int, ContainerHit]:
    """Container headings; "Section N" is one only when sections are not the provisions."""
    section_is_container = family != "section"
    hits: dict[int, ContainerHit] = {}
    for index, para in enumerate(paras):
        if len(para.text) > 250:
            continue
        hit = _match_container(para.text, para.hint, family)
        if hit is None:
            continue
        is_section = hit.unit == "division" and fold(para.text[:8]).startswith("section")
        if is_section and not section_is_container:
            continue
        hits[index] = hit
    return hits


def _heading_level(hint: str | None) -> int | None:
    if hint and hint.startswith("heading-"):
        return int(hint.rsplit("-", 1)[1])
    return None


def _match_container(text: str, hint: str | None, family: str | None) -> ContainerHit | None:
    pats = patterns()
    level = _heading_level(hint)
    phrase_unit = (
        pats.container_phrases.get(fold(text.strip(" .:-–—"))) if len(text) <= 60 else None
    )
    if phrase_unit is not None:
        return ContainerHit(phrase_unit, None, "", level)
    match = pats.container_prefix.match(text) or pats.container_suffix.match(text)
    cjk = None if match else pats.cjk_container.match(text)
    if cjk:
        cjk_unit = {"编": "part", "章": "chapter", "节": "division"}[cjk.group("kw")]
        return ContainerHit(cjk_unit, cjk.group("label"), cjk.group("rest"), level)
    if not match:
        return None
    keyword = fold(match.group("kw").rstrip("."))
    unit = pats.container_units.get(keyword)
    if unit is None:
        return None
    label = match.group("label")
    rest = match.group("rest")
    if label:
        label = label.rstrip(".")
    if not label and unit != "schedule":
        return None
    after = rest.lstrip()
    if after:
        if after[:1].islower() or after[:1].isdigit() or after[:1] in ",;(":
            return None
        if rest[:1].isalnum():
            return None  # "PARTIES", "Chapters": the keyword is only a prefix of a word
        if pats.reference_continuation.match(after) and not after[:1].isupper():
            return None
        if after.rstrip()[-1:] in ";," or len(after) > 200:
            return None
    if family == "section" and keyword == "section":
        return None
    return ContainerHit(unit, label, rest, level)


def _container_segment(unit: str, label: str | None, heading: str) -> str:
    prefix = CONTAINER_PREFIX.get(unit, unit)
    if label:
        return f"{prefix}-{slug(label)}"
    if unit == "group":
        words = re.findall(r"\w+", fold(heading))[:4]
        return "group-" + "-".join(words) if words else "group"
    return prefix


# --- the main pass --------------------------------------------------------------


class _Builder:
    def __init__(
        self,
        paras: list[Para],
        family: str | None,
        candidates: dict[int, Candidate],
        containers: dict[int, ContainerHit],
    ) -> None:
        self.paras = paras
        self.family = family
        self.candidates = candidates
        self.container_hits = containers
        self.sequencer = _Sequencer(sorted(candidates.values(), key=lambda c: c.index))
        self.provisions: list[_Open] = []
        self.containers: list[Container] = []
        self.stack: list[_ContainerEntry] = []
        self.preamble: list[str] = []
        self.warnings: list[str] = []
        self.current: _Open | None = None
        self.scope = ""
        self.container_paths = _Unique()
        self.suffixes = _label_suffixes()
        self._qualifier_cache: str | None = None

    def run(self) -> Segmentation:
        index = 0
        started = False
        while index < len(self.paras):
            para = self.paras[index]
            hit = self.container_hits.get(index)
            if hit is not None and not self._is_accepted_heading(index):
                index = self._open_container(index, hit)
                started = True
                continue
            candidate = self.candidates.get(index)
            qualifier = self._qualifier()
            if candidate is not None and self.sequencer.accepts(candidate, qualifier):
                self.sequencer.accept(candidate, qualifier)
                index = self._open_provision(index, candidate, qualifier)
                started = True
                continue
            if started and self._is_group_heading(index):
                level = _heading_level(para.hint)
                index = self._open_container(index, ContainerHit("group", None, "", level))
                continue
            if self.current is not None:
                self.current.body.append(para.text)
            else:
                self.preamble.append(para.text)
            index += 1
        return self._finish()

    def _is_accepted_heading(self, index: int) -> bool:
        candidate = self.candidates.get(index)
        return bool(
            candidate is not None
            and candidate.family != "number"
            and self.sequencer.accepts(candidate, self._qualifier())
            and not fold(self.paras[index].text[:8]).startswith("section")
        )

    def _is_group_heading(self, index: int) -> bool:
        """An unnumbered heading (Markdown "##### Geldstrafe") right before a heading."""
        para = self.paras[index]
        if not para.hint or not para.hint.startswith("heading-") or len(para.text) > 150:
            return False
        if any(c.isdigit() for c in para.text) or "§" in para.text:
            return False  # "§§ 341 und 342 (weggefallen)": a note, not a heading
        following = index + 1
        if following >= len(self.paras):
            return False
        return following in self.container_hits or following in self.candidates

    def _qualifier(self) -> str:
        if self._qualifier_cache is not None:
            return self._qualifier_cache
        self._qualifier_cache = self._find_qualifier()
        return self._qualifier_cache

    def _find_qualifier(self) -> str:
        for entry in reversed(self.stack):
            heading = fold(entry.container.heading or "")
            for cue, suffix in self.suffixes.items():
                if cue in heading:
                    return suffix
        return ""

    def _open_container(self, index: int, hit: ContainerHit) -> int:
        self._close()
        para = self.paras[index]
        heading = " ".join(para.text.split())
        consumed = index + 1
        title_rest = hit.rest.strip(" .:-–—")
        if not title_rest and consumed < len(self.paras):
            following = self.paras[consumed]
            phrase = self.container_hits.get(consumed)
            if (
                (phrase is None or (phrase.unit == "group" and phrase.label is None))
                and consumed not in self.candidates
                and not starts_block(following.text)
                and is_container_title(following.text, following.hint)
            ):
                heading = f"{heading} - {' '.join(following.text.split())}"
                consumed += 1
        level = hit.level
        if hit.unit in ("schedule",) or (hit.unit == "group" and level is None):
            self.stack.clear()
        else:
            if level is not None:
                while (
                    self.stack and self.stack[-1].level is not None and self.stack[-1].level > level
                ):
                    self.stack.pop()
            units = [entry.container.unit for entry in self.stack]
            if hit.unit in units:
                del self.stack[units.index(hit.unit) :]
        parent = self.stack[-1].container if self.stack else None
        own = _container_segment(hit.unit, hit.label, heading)
        path = f"{parent.path}/{own}" if parent else own
        path = self.container_paths.claim(path)
        container = Container(hit.unit, hit.label, heading, path, parent.path if parent else None)
        self.containers.append(container)
        self.stack.append(_ContainerEntry(container, level))
        self._qualifier_cache = None
        if hit.unit == "schedule":
            self.sequencer.reset()
            self.scope = path
        return consumed

    def _open_provision(self, index: int, candidate: Candidate, qualifier: str) -> int:
        note = self._marginal_note(index, candidate)
        if note is not None:
            (self.preamble if self.current is None else self.current.body).pop()
        self._close()
        para = self.paras[index]
        family = candidate.family
        label = candidate.label if not qualifier else f"{candidate.label} {qualifier}"
        title, body = split_heading(candidate.rest)
        consumed = index + 1
        if title is None and not body and consumed < len(self.paras):
            following = self.paras[consumed]
            if (
                consumed not in self.container_hits
                and consumed not in self.candidates
                and is_title_line(following.text, following.hint)
            ):
                title = clean_title(following.text)
                consumed += 1
        if title is None and note is not None:
            title = note
        innermost = self.stack[-1].container if self.stack else None
        node = ProvisionNode(
            unit=FAMILY_UNIT[family],
            label=label,
            heading=title,
            container=innermost.heading if innermost else None,
        )
        if innermost is not None:
            node.details["container_path"] = innermost.path
        if para.hint:
            node.details["hint"] = para.hint
        self.current = _Open(node, [body] if body else [], self.scope)
        return consumed

    def _marginal_note(self, index: int, candidate: Candidate) -> str | None:
        """A short heading printed just before the number line ("Short title." / "1. This Act…").

        Only a line that cannot be the end of the text before it qualifies:
        it follows a finished sentence, is short and has no verb.
        """
        title, body = split_heading(candidate.rest)
        following = self.paras[index + 1].text if index + 1 < len(self.paras) else ""
        if title is not None or (not body and is_title_line(following, None)):
            return None
        in_preamble = self.current is None
        lines = self.preamble if in_preamble else self.current.body  # type: ignore[union-attr]
        if not lines or self.paras[index - 1].text != lines[-1]:
            return None
        note = lines[-1]
        before = lines[-2] if len(lines) >= 2 else ""
        finished = before.rstrip()[-1:] in ".;:" or before.isupper() or (in_preamble and not before)
        if not finished or starts_block(note):
            return None
        if not is_marginal_note(note):
            return None
        return clean_title(note)

    def _close(self) -> None:
        if self.current is not None:
            self.provisions.append(self.current)
            self.current = None

    def _finish(self) -> Segmentation:
        self._close()
        family = self.family or "section"
        provisions: list[ProvisionNode] = []
        top_paths = _Unique()
        for entry in self.provisions:
            node = entry.node
            base = f"{FAMILY_PREFIX[family]}-{slug(node.label or 'x')}"
            if entry.scope:
                base = f"{entry.scope}/{base}"
            node.path = top_paths.claim(base)
            if node.path != base:
                self.warnings.append(f"{node.label}: number printed twice, stored as {node.path}")
            body = [piece for text in entry.body for piece in split_inline(text)]
            build_outline(node, body)
            provisions.append(node)
        warnings = list(self.warnings)
        if not provisions:
            warnings.append("no provision headings recognised; the whole text is the preamble")
        segmentation = Segmentation(
            provisions=provisions,
            containers=self.containers,
            preamble="\n".join(self.preamble),
            warnings=warnings,
        )
        _finish(segmentation, assign_top=False)
        return segmentation


class _Unique:
    """Hands out names, adding "-2", "-3" … to repeats, in constant time per name."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def claim(self, name: str) -> str:
        if name not in self.taken:
            self.taken.add(name)
            return name
        count = self.next_suffix.get(name, 1)
        while True:
            count += 1
            candidate = f"{name}-{count}"
            if candidate not in self.taken:
                break
        self.next_suffix[name] = count
        self.taken.add(candidate)
        return candidate


def _label_suffixes() -> dict[str, str]:
    raw = load_cues("structure").get("label_suffix_from_container") or {}
    return {fold(str(k)): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def _finish(segmentation: Segmentation, *, assign_top: bool = True) -> None:
    """Unit names and unique paths for every node."""
    seen = _Unique()
    for node in segmentation.provisions:
        if assign_top or not node.path:
            node.path = seen.claim(node.path or "x")
        else:
            seen.taken.add(node.path)
        name_units(node)
        _assign_child_paths(node)


def _assign_child_paths(node: ProvisionNode) -> None:
    used = _Unique()
    unlabeled = 0
    for child in node.children:
        if not child.label and not child.details.get("term"):
            unlabeled += 1
        child.path = f"{node.path}/{used.claim(child_segment(child, unlabeled))}"
        _assign_child_paths(child)
