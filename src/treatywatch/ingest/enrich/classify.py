"""A provision's kind (definition, offence, procedural power, ...) by explainable rules.

Every decision records the rule and the cue that fired in
``node.details["kind_reason"]`` so a reviewer can see why, and correct the
cue list (``cues/kinds.yaml``) rather than the code. The rules, in order:

1. text that only says "Repealed" → other;
2. a heading qualifier of wrongdoing ("Unauthorised …", "… ilícita") with an
   offence in the text → offence; a licensing/blocking heading → other;
3. a definitions heading ("Interpretation", "Définitions") → definition;
4. a procedural or preventive heading (or none) inside an
   international-co-operation part, or a text that opens with and repeats
   "requesting State"/"mutual assistance" → cooperation;
5. a heading cue of another kind (first in ``heading_priority``) → that
   kind, unless the heading is institutional, preventive or procedural and
   the text opens by creating an offence ("commits an offence", "sera
   puni") → offence;
6. otherwise the body cues, weighted (offence wording counts most);
7. otherwise the container's cue ("PART III – OFFENCES");
8. otherwise other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from treatywatch.ingest.enrich.cuelist import CueList, tokenize
from treatywatch.ingest.model import KINDS, ProvisionNode
from treatywatch.ingest.segment.patterns import patterns
from treatywatch.ingest.segment.vocab import all_languages, load_cues, words

_OVERRIDABLE_BY_OFFENCE = frozenset({"institutional", "preventive", "procedural", "other"})
_OVERRIDABLE_BY_COOPERATION = frozenset({"procedural", "preventive"})
_MAX_HITS_PER_CUE = 3
# The opening of a provision says what it is; a long code section's tail
# (lists of cross-references, transitional detail) only adds noise and time.
_BODY_CHARS = 2500


@dataclass(frozen=True)
class _CueSet:
    kind: str
    heading: CueList | None
    body: CueList | None
    container: CueList | None


def _pattern(cues: list[str]) -> CueList | None:
    return CueList(cues) if cues else None


@cache
def _cue_sets() -> tuple[_CueSet, ...]:
    raw = load_cues("kinds").get("kinds") or {}
    sets = []
    if isinstance(raw, dict):
        for kind, spec in raw.items():
            if str(kind) not in KINDS or not isinstance(spec, dict):
                continue
            sets.append(
                _CueSet(
                    str(kind),
                    _pattern(all_languages(spec.get("heading"))),
                    _pattern(all_languages(spec.get("body"))),
                    _pattern(all_languages(spec.get("container"))),
                )
            )
    return tuple(sets)


@cache
def _body_cues() -> CueList:
    """Every kind's body cues in one list, so a text is scanned once for all kinds."""
    raw = load_cues("kinds").get("kinds") or {}
    cues: list[str] = []
    labels: list[str] = []
    if isinstance(raw, dict):
        for kind, spec in raw.items():
            if str(kind) in KINDS and isinstance(spec, dict):
                found = all_languages(spec.get("body"))
                cues.extend(found)
                labels.extend([str(kind)] * len(found))
    return CueList(cues, labels)


@cache
def _extra_heading_cues() -> tuple[CueList | None, CueList | None]:
    """(offence qualifiers, regulatory "other" cues) for headings."""
    cues = load_cues("kinds")
    return (
        _pattern(all_languages(cues.get("offence_qualifiers"))),
        _pattern(all_languages(cues.get("other_heading"))),
    )


@cache
def _settings() -> tuple[dict[str, int], list[str]]:
    cues = load_cues("kinds")
    weights_raw = cues.get("body_weights") or {}
    weights = (
        {str(k): int(v) for k, v in weights_raw.items()} if isinstance(weights_raw, dict) else {}
    )
    priority = words(cues.get("heading_priority"))
    return weights, priority


def _first_cue(cues: CueList | None, tokens: list[str]) -> str | None:
    if cues is None or not tokens:
        return None
    return cues.first(tokens)


def _body_scores(tokens: list[str]) -> dict[str, tuple[int, str]]:
    weights, _ = _settings()
    counts: dict[str, dict[str, int]] = {}
    for cue in _body_cues().matches(tokens):
        per_kind = counts.setdefault(cue.label, {})
        per_kind[cue.text] = min(_MAX_HITS_PER_CUE, per_kind.get(cue.text, 0) + 1)
    scores: dict[str, tuple[int, str]] = {}
    for kind, per_cue in counts.items():
        top = max(per_cue, key=lambda text: per_cue[text])
        scores[kind] = (sum(per_cue.values()) * weights.get(kind, 1), top)
    return scores


def classify(
    node: ProvisionNode, heading_context: str | None = None, *, full_text: str | None = None
) -> str:
    """The node's kind (one of ``model.KINDS``); the rule that fired goes to ``details``.

    ``full_text`` is ``node.full_text`` when the caller has it already.
    """
    full = node.full_text if full_text is None else full_text
    kind, reason = _decide(node, heading_context, full.strip())
    node.details["kind_reason"] = reason
    return kind


def _decide(node: ProvisionNode, heading_context: str | None, full: str) -> tuple[str, str]:
    if (not full and not node.heading) or (full and patterns().repealed.match(full)):
        return "other", "repealed: the text only says the provision is gone"
    heading = tokenize(node.heading or "")
    text = tokenize(full[:_BODY_CHARS])
    context = tokenize(heading_context or "")
    _, priority = _settings()
    by_kind = {cue_set.kind: cue_set for cue_set in _cue_sets()}

    qualifiers, regulatory = _extra_heading_cues()
    offence_cues = next((c.body for c in _cue_sets() if c.kind == "offence"), None)
    qualifier = _first_cue(qualifiers, heading)
    if qualifier and _first_cue(offence_cues, text):
        return "offence", f"heading qualifier '{qualifier}' and an offence in the text"
    regulatory_cue = _first_cue(regulatory, heading)
    if regulatory_cue and not qualifier:
        return "other", f"heading cue '{regulatory_cue}' (regulatory measure)"

    heading_kind: str | None = None
    heading_cue: str | None = None
    for kind in priority:
        cue_set = by_kind.get(kind)
        cue = _first_cue(cue_set.heading, heading) if cue_set else None
        if cue:
            heading_kind, heading_cue = kind, cue
            break
    if heading_kind == "definition":
        return "definition", f"heading cue '{heading_cue}'"

    scores = _body_scores(text)
    container_kinds = {
        cue_set.kind: cue
        for cue_set in _cue_sets()
        if (cue := _first_cue(cue_set.container, context))
    }
    cooperation_body = scores.get("cooperation", (0, ""))
    if heading_kind in _OVERRIDABLE_BY_COOPERATION or heading_kind is None:
        if "cooperation" in container_kinds:
            return "cooperation", f"container cue '{container_kinds['cooperation']}'"
        if cooperation_body[0] >= 4 and _leads_with(text, "cooperation"):
            return "cooperation", f"body cue '{cooperation_body[1]}' (repeated, from the start)"

    offence = scores.get("offence")
    if heading_kind is not None:
        if offence and heading_kind in _OVERRIDABLE_BY_OFFENCE and _leads_with(text, "offence"):
            return "offence", f"body cue '{offence[1]}' over heading cue '{heading_cue}'"
        return heading_kind, f"heading cue '{heading_cue}'"

    if scores.get("definition", (0, ""))[0] >= 3 and _leads_with(text, "definition", 35):
        return "definition", f"body cue '{scores['definition'][1]}'"
    if offence:
        return "offence", f"body cue '{offence[1]}'"
    if scores:
        kind = max(scores, key=lambda k: scores[k][0])
        return kind, f"body cue '{scores[kind][1]}'"
    if container_kinds:
        kind = next(iter(container_kinds))
        return kind, f"container cue '{container_kinds[kind]}'"
    return "other", "no cue matched"


def _leads_with(tokens: list[str], kind: str, span: int = 50) -> bool:
    """The first ``span`` words carry a body cue of ``kind``, not just a later mention."""
    cue_set = next((c for c in _cue_sets() if c.kind == kind), None)
    if cue_set is None or cue_set.body is None:
        return False
    return cue_set.body.first(tokens[:span]) is not None
