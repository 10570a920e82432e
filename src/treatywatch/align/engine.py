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

import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

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


def _heading_shell(provision: ProvisionText) -> ProvisionText:
    """The provision reduced to its container heading (what context votes read)."""
    return ProvisionText(
        key=f"#container:{provision.container}",
        label=None,
        heading=provision.container,
        text="",
        kind=provision.kind,
        language=provision.language,
    )


def _runs_in_background(method: Method, provisions: list[ProvisionText]) -> bool:
    """Only the embedding method, and only when it owns its store access.

    A cache bound to the caller's session must stay on the caller's
    thread (a SQLAlchemy session is not thread-safe).
    """
    if method.name != "embedding" or len(provisions) < 2:
        return False
    cache = getattr(method, "cache", None)
    return getattr(cache, "session", None) is None


SWITCH_INTERVAL = 0.0005
"""Seconds a Python thread may hold the GIL while another waits for it,
during an alignment whose embedding runs in the background. The encoder
threads need the GIL for a moment between two texts; at CPython's default
(5 ms, longer than encoding one text takes) they spent most of the time
waiting for the thread scoring lexical and rule votes. Measured on the
five English corpus laws (295 provisions, cold, best of 12 interleaved
runs on the shared 2-core machine at load ≈ 2): 1.17 s side by side at
0.5 ms, 1.23 s side by side at 5 ms, 1.25 s one after the other. The gain
grows with the idle CPU there is to fill."""

_switching_lock = threading.Lock()
_switching_users = 0
_switching_saved = 0.0


@contextmanager
def _prompt_thread_switching() -> Iterator[None]:
    """Shorten the interpreter's switch interval while any engine overlaps work.

    The interval is process-wide, so concurrent alignments share one
    setting: the first to start saves the caller's value, the last to
    finish restores it.
    """
    global _switching_users, _switching_saved
    with _switching_lock:
        if _switching_users == 0:
            _switching_saved = sys.getswitchinterval()
            sys.setswitchinterval(min(_switching_saved, SWITCH_INTERVAL))
        _switching_users += 1
    try:
        yield
    finally:
        with _switching_lock:
            _switching_users -= 1
            if _switching_users == 0:
                sys.setswitchinterval(_switching_saved)


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
        self._executor: ThreadPoolExecutor | None = None

    def align(self, provisions: list[ProvisionText]) -> list[ProvisionAlignment]:
        """One :class:`ProvisionAlignment` per provision, in order.

        The embedding method runs in a background thread while lexical,
        rules and context votes are computed here: its encoder spends its
        time in onnxruntime / C code that releases the GIL, so on a
        2-core machine the Python-bound methods fill the core the encoder
        would otherwise leave idle between calls. Votes are gathered in the
        configured method order either way, so the result is identical to
        running the methods one after another.
        """
        by_method: dict[int, list[list[Signal]]] = {}
        background = [
            (i, m) for i, m in enumerate(self.methods) if _runs_in_background(m, provisions)
        ]
        pending: dict[int, Future[list[list[Signal]]]] = {}
        with ExitStack() as stack:
            if background:
                stack.enter_context(_prompt_thread_switching())
                executor = self._background_executor()
                pending = {i: executor.submit(m.signals, provisions) for i, m in background}
                # a failure below must not leave the encoder running unobserved
                stack.callback(wait, pending.values())
            for i, method in enumerate(self.methods):
                if i not in pending:
                    by_method[i] = method.signals(provisions)
            context = self._context_votes(provisions) if "context" in self.info.methods else None
        for i, future in pending.items():
            by_method[i] = future.result()
        votes: list[list[Signal]] = [[] for _ in provisions]
        for i in range(len(self.methods)):
            for row, found in zip(votes, by_method[i], strict=True):
                row.extend(found)
        if context is not None:
            for row, found in zip(votes, context, strict=True):
                row.extend(found)
        self._collect_method_warnings()
        return [self._fuse(p, v) for p, v in zip(provisions, votes, strict=True)]

    def _background_executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="align-embed")
        return self._executor

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
        """Votes from the container heading alone, discounted and relabelled.

        Most provisions share their container heading with their
        neighbours (every section of "Part III — Offences"), so the
        heading is analysed once per distinct (heading, kind, language) —
        the only fields of the heading-only shell the methods read; the
        shell carries nothing else of the provision, so its votes cannot
        depend on which provision it was built from.
        """
        shells: list[ProvisionText | None] = []
        distinct: dict[tuple[str, str, str], int] = {}
        wanted: list[ProvisionText] = []
        for p in provisions:
            if not p.container:
                shells.append(None)
                continue
            shell_key = (p.container, p.kind, p.language)
            if shell_key not in distinct:
                distinct[shell_key] = len(wanted)
                wanted.append(_heading_shell(p))
            shells.append(wanted[distinct[shell_key]])
        out: list[list[Signal]] = [[] for _ in provisions]
        if not wanted:
            return out
        per_shell: list[list[Signal]] = [[] for _ in wanted]
        for method in self.methods:
            if method.name not in ("lexical", "rules"):
                continue
            for j, found in enumerate(method.signals(wanted)):
                per_shell[j].extend(found)
        relabelled = [
            [
                Signal(
                    s.article_id,
                    "context",
                    s.strength * CONTEXT_DISCOUNT,
                    s.terms,
                    s.catalogue_terms,
                    (),
                    f"container heading {shell.heading!r}: {s.note}".strip(": "),
                )
                for s in found
            ]
            for shell, found in zip(wanted, per_shell, strict=True)
        ]
        for i, p in enumerate(provisions):
            if shells[i] is not None and p.container:
                # signals are frozen, so provisions of one heading can share them
                out[i] = list(relabelled[distinct[(p.container, p.kind, p.language)]])
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
