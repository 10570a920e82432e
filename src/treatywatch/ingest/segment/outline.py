"""Nesting a provision's body into subsections, paragraphs and items.

A marker such as "(i)" can mean several things (the ninth letter after
"(h)", or the first roman numeral of a new list), so each marker is read as
every style it could be and the reading that continues a list already open
wins. A new list opens under the current item; a list that was open
before continues where it left off. Markers that fit nowhere ("(2) of
section 5" at the start of a wrapped line) stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from treatywatch.ingest.model import ProvisionNode
from treatywatch.ingest.segment.numbering import fold, roman_to_int, translate_digits
from treatywatch.ingest.segment.vocab import all_languages, load_cues

Key = tuple[int, int]

_MARKER = re.compile(
    r"^(?P<lead>\[?\s?)(?:"
    r"\(\s?(?P<paren>[0-9]{1,3}[A-Za-z]{0,2}|[a-z]{1,5}|[A-Z]{1,4})\s?\)"
    r"|(?P<num>[0-9]{1,3}[A-Za-z]?)(?P<numsep>\.(?![0-9])|\)|\s?[-–](?=\s)|\s?[°º])"
    r"|(?P<let>[a-z]{1,4}|[A-Z]{1,4})(?P<letsep>\)|\.(?=\s))"
    r"|(?P<cyr>[\u0430-\u044f])\)"
    r"|(?P<arab>[\u0621-\u064a])\s?[)\-–]"
    r")(?P<space>\s+|$)"
)
_LOWER_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_WITH_INSERT = re.compile(r"^([ivx]{1,6})([a-z])$")
_ARABIC_ABJAD = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
_CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"
_INTRODUCER = re.compile(
    r"(?:[:—–\-]|:-|namely|following|either|as follows|suivants?|suivantes|siguientes?|"
    r"folgende[n]?|следующ\w*)\W{0,3}$",
    re.IGNORECASE,
)
# Words that continue a citation, not start an item: "(2) of section 5".
_REFERENCE_CONTINUATIONS = frozenset(
    ("of", "to", "and", "or", "de", "du", "des", "et", "ou", "y", "del", "und", "oder", "bis")
)
_TERMINAL = ".;:!?…—–,"
_NUMBER_TOKEN = re.compile(r"^(\d+)([A-Za-z]?)$")
_NOT_LABEL = re.compile(r"[^\w\-]")
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Reading:
    """One way to read a marker: its list style, its place in that list, its label."""

    style: str
    key: Key
    label: str

    @property
    def is_first(self) -> bool:
        return self.key == (1, 0)


@dataclass
class _Level:
    style: str
    key: Key
    node: ProvisionNode


@dataclass
class _State:
    root: ProvisionNode
    stack: list[_Level] = field(default_factory=list)
    texts: dict[int, list[str]] = field(default_factory=dict)
    nodes: dict[int, ProvisionNode] = field(default_factory=dict)
    tail: ProvisionNode | None = None


def read_marker(text: str) -> tuple[list[Reading], str] | None:
    """The readings of a line's leading marker and the text after it, or None."""
    match = _MARKER.match(text)
    if not match:
        return None
    body = text[match.end() :]
    readings: list[Reading] = []
    if match.group("paren"):
        readings = _readings("(", match.group("paren"))
    elif match.group("num"):
        sep = match.group("numsep").strip()
        style = {".": "1.", ")": "1)", "-": "1-", "–": "1-", "°": "1°", "º": "1°"}[sep]
        readings = _number_readings(style, match.group("num"))
    elif match.group("let"):
        readings = _readings(match.group("letsep"), match.group("let"))
    elif match.group("cyr"):
        letter = match.group("cyr")
        readings = [Reading("а)", (_CYRILLIC.find(letter) + 1, 0), letter)]
    elif match.group("arab"):
        letter = match.group("arab")
        position = _ARABIC_ABJAD.find(letter)
        if position >= 0:
            readings = [Reading("أ)", (position + 1, 0), letter)]
    return (readings, body) if readings else None


def _number_readings(style: str, token: str) -> list[Reading]:
    digits = translate_digits(token)
    match = _NUMBER_TOKEN.match(digits)
    if not match:
        return []
    rank = ord(match.group(2).lower()) - ord("a") + 1 if match.group(2) else 0
    return [Reading(style, (int(match.group(1)), rank), token)]


def _readings(wrapper: str, token: str) -> list[Reading]:
    """Readings of a parenthesised or ")"/"."-terminated token."""
    if token[0].isdigit():
        return _number_readings(wrapper if wrapper != "(" else "(1)", token)
    out: list[Reading] = []
    lower = token.lower()
    roman_style = {"(": "(i)", ")": "i)", ".": "i."}[wrapper]
    letter_style = {"(": "(a)", ")": "a)", ".": "a."}[wrapper]
    if not token.islower():
        roman_style, letter_style = roman_style.upper(), letter_style.upper()
    if _LOWER_ROMAN.match(lower):
        value = roman_to_int(lower)
        if value:
            out.append(Reading(roman_style, (value, 0), token))
    else:
        insert = _ROMAN_WITH_INSERT.match(lower)
        if insert and _LOWER_ROMAN.match(insert.group(1)):
            value = roman_to_int(insert.group(1))
            if value:
                out.append(Reading(roman_style, (value, ord(insert.group(2)) - 96), token))
    if len(lower) == 1 or (len(set(lower)) == 1 and len(lower) <= 3):
        # (a) … (z), then (aa) (bb) or (aa) (ab) after (z)
        out.append(Reading(letter_style, ((len(lower) - 1) * 26 + ord(lower[0]) - 96, 0), token))
    if len(lower) == 2 and lower[0] != lower[1]:
        out.append(Reading(letter_style, (ord(lower[0]) - 96, ord(lower[1]) - 96), token))
        out.append(Reading(letter_style, (26 + ord(lower[1]) - 96, 0), token))
    elif len(lower) == 2:
        out.append(Reading(letter_style, (ord(lower[0]) - 96, ord(lower[1]) - 96), token))
    return out


def _successor(previous: Key, candidate: Key, style: str) -> bool:
    gap = 4 if style[:2] in ("(1", "1.", "1)", "1-", "1°") else 2
    (prev_number, prev_rank), (number, rank) = previous, candidate
    if number == prev_number:
        return rank > prev_rank
    return prev_number < number <= prev_number + gap and rank == 0


@cache
def _definition_line() -> re.Pattern[str]:
    verbs = all_languages(load_cues("definitions").get("verbs"))
    alternation = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(
        r"^\[?\s?[\"“«„'‘`]{1,2}\s?(?P<term>[^\"”»“'’`]{1,100}?)\s?[\"”»'’]{1,2}"
        rf"[^\n]{{0,60}}?\b(?:{alternation})\b",
        re.IGNORECASE,
    )


def definition_term(text: str) -> str | None:
    """The term a quoted-definition line defines ("“computer” means …" → "computer")."""
    match = _definition_line().match(text)
    return match.group("term").strip() if match else None


def build_outline(root: ProvisionNode, paragraphs: list[str]) -> None:
    """Fill ``root.text`` and ``root.children`` from the provision's body paragraphs."""
    state = _State(root)
    for paragraph in paragraphs:
        _add(state, paragraph)
    for node_id, lines in state.texts.items():
        state.nodes[node_id].text = "\n".join(lines)


def _append_text(state: _State, node: ProvisionNode, text: str) -> None:
    key = id(node)
    if key not in state.texts:
        state.texts[key] = [node.text] if node.text else []
        state.nodes[key] = node
    state.texts[key].append(text)


def _last_text(state: _State, node: ProvisionNode) -> str:
    lines = state.texts.get(id(node))
    return lines[-1] if lines else node.text


def _current(state: _State) -> ProvisionNode:
    if state.tail is not None:
        return state.tail
    return state.stack[-1].node if state.stack else state.root


def _add(state: _State, paragraph: str) -> None:
    marker = read_marker(paragraph)
    if marker is not None and _place_marker(state, marker[0], marker[1], paragraph):
        return
    term = definition_term(paragraph)
    if term is not None:
        _place_definition(state, term, paragraph)
        return
    current = _current(state)
    if not state.stack and state.tail is None:
        _append_text(state, state.root, paragraph)
        return
    previous = _last_text(state, current)
    if paragraph[:1].islower() and previous[-1:] not in _TERMINAL:
        _append_text(state, current, paragraph)  # a wrapped line of the same item
        return
    # A paragraph after a list belongs to the list's owner ("…, is liable to …").
    owner_depth = len(state.stack) - 1
    owner = state.stack[owner_depth - 1].node if owner_depth >= 1 else state.root
    if state.stack and state.stack[-1].style == "def":
        owner = state.stack[-2].node if len(state.stack) >= 2 else state.root
    tail = ProvisionNode(unit="paragraph", label=None)
    owner.children.append(tail)
    _append_text(state, tail, paragraph)
    state.tail = tail


def _place_marker(state: _State, readings: list[Reading], body: str, text: str) -> bool:
    first_word = body.split(" ", 1)[0].strip(",;")
    if first_word in _REFERENCE_CONTINUATIONS and readings[0].style in ("(1)", "1.", "1)"):
        return False  # "(2) of section 5": a reference continued on a new line
    styles = [level.style for level in state.stack]
    siblings: list[tuple[int, Reading]] = []
    children: list[Reading] = []
    restarts: list[tuple[int, Reading]] = []
    introduces = bool(_INTRODUCER.search(_last_text(state, _current(state)).rstrip()[-40:]))
    for reading in readings:
        # "(aa)" after a lead-in opens a list of doubled letters (Philippine style)
        opens = reading.is_first or (introduces and reading.key == (27, 0))
        depth = _deepest(styles, reading.style)
        if depth is not None:
            if _successor(state.stack[depth].key, reading.key, reading.style):
                siblings.append((depth, reading))
            elif opens and reading.key != (27, 0):
                restarts.append((depth, reading))
            elif opens and depth < len(styles) - 1:
                children.append(reading)
        elif opens:
            children.append(reading)
    if state.tail is not None and children and introduces:
        _open_child(state, children[0], text, under_tail=True)
        return True
    if children and (introduces or not siblings):
        _open_child(state, children[0], text, under_tail=False)
        return True
    if siblings:
        depth, reading = max(siblings, key=lambda item: item[0])
        _open_sibling(state, depth, reading, text)
        return True
    if restarts:
        depth, reading = max(restarts, key=lambda item: item[0])
        _open_sibling(state, depth, reading, text)
        return True
    if not state.stack and state.tail is None and readings[0].style == "(1)":
        _open_child(state, readings[0], text, under_tail=False)  # list starting at (2)
        return True
    return False


def _deepest(styles: list[str], style: str) -> int | None:
    for depth in range(len(styles) - 1, -1, -1):
        if styles[depth] == style:
            return depth
    return None


def _open_child(state: _State, reading: Reading, text: str, *, under_tail: bool) -> None:
    if under_tail and state.tail is not None:
        parent = state.tail
        state.stack.append(_Level("tail", (0, 0), parent))
    else:
        parent = _current(state) if state.tail is None else state.tail
        if state.tail is not None:
            state.stack.append(_Level("tail", (0, 0), state.tail))
    state.tail = None
    node = ProvisionNode(unit="subsection", label=reading.label)
    parent.children.append(node)
    _append_text(state, node, text)
    state.stack.append(_Level(reading.style, reading.key, node))


def _open_sibling(state: _State, depth: int, reading: Reading, text: str) -> None:
    del state.stack[depth:]
    state.tail = None
    parent = state.stack[-1].node if state.stack else state.root
    node = ProvisionNode(unit="subsection", label=reading.label)
    parent.children.append(node)
    _append_text(state, node, text)
    state.stack.append(_Level(reading.style, reading.key, node))


def _place_definition(state: _State, term: str, text: str) -> None:
    """A quoted definition is a paragraph of the list of definitions it belongs to."""
    styles = [level.style for level in state.stack]
    if "def" in styles:
        del state.stack[styles.index("def") :]
    state.tail = None
    parent = state.stack[-1].node if state.stack else state.root
    node = ProvisionNode(unit="paragraph", label=None, details={"term": term})
    parent.children.append(node)
    _append_text(state, node, text)
    state.stack.append(_Level("def", (0, 0), node))


UNIT_BY_DEPTH = {2: "subsection", 3: "paragraph", 4: "item"}


def name_units(node: ProvisionNode, depth: int = 1) -> None:
    """Structural unit names by depth: subsection, paragraph, item, subitem."""
    for child in node.children:
        if child.label is not None:
            child.unit = UNIT_BY_DEPTH.get(depth + 1, "subitem")
        name_units(child, depth + 1)


def child_segment(node: ProvisionNode, unlabeled_index: int) -> str:
    """The path segment of a child: its label, its defined term, or "p<n>"."""
    if node.label:
        cleaned = _NOT_LABEL.sub("", node.label)
        if cleaned:
            return cleaned
    term = node.details.get("term")
    if isinstance(term, str) and term:
        slugged = _NOT_WORD.sub("-", fold(term)).strip("-")[:40]
        if slugged:
            return f"def-{slugged}"
    return f"p{unlabeled_index}"


# A space before an item marker, or before a quoted term (a definition, if
# ``definition_term`` agrees). One pattern for both: the engine tries every
# space of a paragraph once, not once per pattern.
_INLINE_BREAK = re.compile(
    r"\s(?=(?P<marker>(?:\(\s?(?:[0-9]{1,3}[A-Za-z]{0,2}|[a-z]{1,5}|[A-Z]{1,3})\s?\)"
    r"|[0-9]{1,3}[.)](?![0-9])|[a-z]\))\s+\S)"
    r"|[\"“«„]\w[^\"”»“]{0,80}[\"”»]\s)"
)
_BOUNDARY_END = re.compile(
    r"(?:[.;:—–]|\s-|[;,]\s(?:or|and|ou|et|y|o|oder|und|или|и))\s*$", re.IGNORECASE
)


_ABBREVIATION_END = re.compile(
    r"(?:^|[\s(])(?:abs|nr|no|art|arts|sec|s|ss|para|paras|cap|ch|vol|pp|p|st|cf|ff|etc|al|"
    r"subs|ins|ibid|n°|núm|num|inc|lit|ziff|buchst|ст|п)\.\s*$",
    re.IGNORECASE,
)


def split_inline(text: str) -> list[str]:
    """Split a paragraph that runs its items inline ("…: (a) x; (b) y") into lines.

    Only a marker after a clause boundary (";", ":", "—", "; or") splits, so
    "under subsection (2) of section 9" stays whole.
    """
    if len(text) < 60 or (
        "(" not in text
        and ")" not in text
        and '"' not in text
        and "“" not in text
        and "«" not in text
        and ". " not in text
    ):
        return [text]
    cuts: list[int] = []
    counted = opened = closed = 0  # parentheses in text[:counted]
    for match in _INLINE_BREAK.finditer(text):
        position = match.start()
        if position < 2:
            continue
        window = text[max(0, position - 12) : position]
        if not _BOUNDARY_END.search(window) or _ABBREVIATION_END.search(window):
            continue
        opened += text.count("(", counted, position)
        closed += text.count(")", counted, position)
        counted = position
        if opened > closed:
            continue  # inside parentheses: "(§ 202a Abs. 2) ermöglichen"
        if match.group("marker") is None and definition_term(text[position + 1 :]) is None:
            continue
        cuts.append(position)
    if not cuts:
        return [text]
    pieces: list[str] = []
    start = 0
    for cut in cuts:
        piece = text[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = cut + 1
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces
