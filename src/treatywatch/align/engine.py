"""The alignment engine: provisions in, ranked and explained article links out.

The engine owns no matching logic itself. It asks each available method
(lexical retrieval, sentence embeddings, legal-element rules) for votes,
adds *context* votes — what the provision's part or chapter heading says
on its own — and hands every provision × article pair to fusion for a
calibrated score. Methods that cannot run (no embedding model installed,
a language the model does not cover) are reported in :class:`EngineInfo`
rather than silently skipped, because a reviewer must know when a "no
match" only means "lexical + rules found nothing".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from treatywatch.align.fusion import Calibration, PairVotes, default_calibration, fuse
from treatywatch.align.model import (
    METHODS,
    EngineInfo,
    Method,
    ProvisionAlignment,
    ProvisionText,
    Signal,
)
from treatywatch.align.profiles import TARGET_INSTRUMENTS, profile_index
from treatywatch.config import settings

ENGINE_VERSION = "align-1"
CONTEXT_DISCOUNT = 0.6
"""A heading-only vote counts for less than the provision's own words: a
section in "Part III — Offences" may still be a definition."""


@dataclass(frozen=True)
class EngineOptions:
    methods: tuple[str, ...] = METHODS
    instruments: tuple[str, ...] = TARGET_INSTRUMENTS
    calibration: Calibration | None = None
    shortlist_size: int = 10
    store_url: str | None = None
    """Where the embedding cache persists vectors (the configured store when
    None); ``"memory"`` keeps them in this process only."""


def _load_lexical(warnings: list[str], options: EngineOptions) -> Method | None:
    from treatywatch.align.lexical import LexicalMethod

    return LexicalMethod()


def _load_rules(warnings: list[str], options: EngineOptions) -> Method | None:
    from treatywatch.align.rules import RuleMethod

    return RuleMethod()


def _load_embedding(warnings: list[str], options: EngineOptions) -> Method | None:
    from treatywatch.align.embed.cache import EmbeddingCache
    from treatywatch.align.embedding_method import load_embedding_method

    if options.store_url == "memory":
        return load_embedding_method(warnings)
    url = options.store_url or settings().database_url
    return load_embedding_method(warnings, cache=EmbeddingCache(url=url))


LOADERS: dict[str, Callable[[list[str], EngineOptions], Method | None]] = {
    "lexical": _load_lexical,
    "rules": _load_rules,
    "embedding": _load_embedding,
}


class AlignmentEngine:
    """Load the methods once, then align any number of provision batches."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        unknown = [m for m in self.options.methods if m not in METHODS]
        if unknown:
            raise ValueError(f"unknown alignment method(s): {', '.join(unknown)}")
        self.calibration = self.options.calibration or default_calibration()
        self.profiles = {
            aid: p for aid, p in profile_index().items() if p.instrument in self.options.instruments
        }
        warnings: list[str] = []
        self.methods: list[Method] = []
        for name in self.options.methods:
            loader = LOADERS.get(name)
            if loader is None:
                continue
            method = loader(warnings, self.options)
            if method is not None:
                self.methods.append(method)
        ran = [m.name for m in self.methods]
        if "context" in self.options.methods and ({"lexical", "rules"} & set(ran)):
            ran.append("context")
        embedding_model = next(
            (getattr(m, "model_name", None) for m in self.methods if m.name == "embedding"), None
        )
        if "embedding" in self.options.methods and embedding_model is None:
            warnings.append(
                "no sentence-embedding model available: alignment used lexical retrieval "
                "and rules only"
            )
        self.info = EngineInfo(ENGINE_VERSION, ran, embedding_model, warnings)

    def align(self, provisions: list[ProvisionText]) -> list[ProvisionAlignment]:
        """One :class:`ProvisionAlignment` per provision, in order."""
        votes: list[list[Signal]] = [[] for _ in provisions]
        for method in self.methods:
            for i, found in enumerate(method.signals(provisions)):
                votes[i].extend(found)
        if "context" in self.info.methods:
            for i, found in enumerate(self._context_votes(provisions)):
                votes[i].extend(found)
        self._collect_method_warnings()
        return [self._fuse(p, v) for p, v in zip(provisions, votes, strict=True)]

    def _collect_method_warnings(self) -> None:
        """Methods learn of problems (an unsupported language) only while running."""
        for method in self.methods:
            report = getattr(method, "warnings", None)
            if not callable(report):
                continue
            for warning in report():
                if warning not in self.info.warnings:
                    self.info.warnings.append(warning)

    def _context_votes(self, provisions: list[ProvisionText]) -> list[list[Signal]]:
        """Votes from the container heading alone, discounted and relabelled."""
        shells = [
            replace(p, heading=p.container, text="", key=f"{p.key}#container")
            if p.container
            else None
            for p in provisions
        ]
        wanted = [s for s in shells if s is not None]
        out: list[list[Signal]] = [[] for _ in provisions]
        if not wanted:
            return out
        per_shell: list[list[Signal]] = [[] for _ in wanted]
        for method in self.methods:
            if method.name not in ("lexical", "rules"):
                continue
            for j, found in enumerate(method.signals(wanted)):
                per_shell[j].extend(found)
        it = iter(per_shell)
        for i, shell in enumerate(shells):
            if shell is None:
                continue
            out[i] = [
                Signal(
                    s.article_id,
                    "context",
                    s.strength * CONTEXT_DISCOUNT,
                    s.terms,
                    s.catalogue_terms,
                    (),
                    f"container heading {shell.heading!r}: {s.note}".strip(": "),
                )
                for s in next(it)
            ]
        return out

    def _fuse(self, provision: ProvisionText, signals: list[Signal]) -> ProvisionAlignment:
        pairs: dict[str, PairVotes] = {}
        for signal in signals:
            profile = self.profiles.get(signal.article_id)
            if profile is None:
                continue
            pair = pairs.get(signal.article_id)
            if pair is None:
                pair = pairs[signal.article_id] = PairVotes(signal.article_id, profile.category)
            pair.signals.append(signal)
        by_instrument: dict[str, list[PairVotes]] = {}
        for pair in pairs.values():
            by_instrument.setdefault(pair.article_id.split("/")[0], []).append(pair)
        candidates = []
        shortlist = []
        for instrument in self.options.instruments:
            chosen, ranked = fuse(
                provision,
                by_instrument.get(instrument, []),
                self.calibration,
                shortlist_size=self.options.shortlist_size,
            )
            candidates.extend(chosen)
            shortlist.extend(ranked)
        return ProvisionAlignment(provision, candidates, shortlist)
