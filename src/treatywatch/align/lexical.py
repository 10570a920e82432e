"""Lexical retrieval: which convention articles share a provision's words.

A provision is a query and each article profile (title, keywords in the
provision's language and in English, aliases, summary, paragraph duties)
is a document. Scoring is BM25F — BM25 over a weighted sum of fields —
implemented here because the collection is tiny (about 120 articles) and
fixed: every document-side weight is computed once per language, so
scoring a provision is one dictionary walk over its distinct stems. SQLite
FTS5 would add a store dependency and hide the per-term contributions the
evidence needs.

On top of single words, whole catalogue phrases ("illegal interception",
"accès frauduleux") are matched as consecutive stems: a drafter who wrote
the phrase used the term of art, which is stronger evidence than the same
words scattered through a page.

Strength is ``score / (score + SATURATION)``: an absolute scale (a weak
best hit stays weak, which "relative to the best hit" would hide), so a
provision that matches nothing well — most institutional sections — gives
only faint votes fusion can ignore.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt

from treatywatch.align.model import ProvisionText, Signal, Span
from treatywatch.align.profiles import ArticleProfile, article_profiles
from treatywatch.align.text import SUPPORTED_LANGUAGES, Token, analyser_language, tokens

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "aliases": 2.0, "prose": 1.0}
"""Title words are the article's name; keywords and aliases are the terms of
art a law would use; the English prose explains more than it names."""

FOREIGN_PROSE_FACTOR = 0.35
"""For a non-English provision the English title and prose only meet it
through cognates and false friends (French "accédé" is not "accede"), so
they count for less; the language's own keywords carry the match."""

MAX_PHRASE_GAP = 3
"""A phrase's words may be separated by at most this many dropped
(stop)words: "accès ... à un système" still reads as one term."""

HEADING_WEIGHT = 2.5
"""A provision's heading is its name, so a heading word counts this many
times a body word."""

PHRASE_WEIGHT = 0.6
"""Bonus per stem of a matched multi-word catalogue phrase, times its idf."""

SATURATION = 20.0
TOP_K = 5
MIN_SCORE = 1.0
"""Scores under this are one stray common word; not worth a vote."""

MAX_SPANS = 5
MAX_TERMS = 8


@dataclass(frozen=True)
class _Phrase:
    stems: tuple[str, ...]
    text: str  # the catalogue keyword as written
    doc: int
    idf: float


@dataclass
class _LanguageIndex:
    """The article collection analysed for one provision language."""

    language: str
    article_ids: list[str]
    instruments: list[str]  # per doc: "uncc", "budapest"
    rows: dict[str, int]  # stem → row of ``matrix``
    matrix: npt.NDArray[np.float64]  # stem row × article column → BM25 weight
    words: dict[tuple[int, str], str]  # (doc, stem) → a catalogue word with that stem
    phrases: dict[str, list[_Phrase]]  # first stem → phrases starting with it


@dataclass
class _Query:
    """The provision being scored: its stems known to the index, their weights, their rows."""

    stems: list[str]
    weights: npt.NDArray[np.float64]
    by_stem: npt.NDArray[np.float64]  # stem × article BM25 weights, rows as ``stems``


@dataclass
class _Hit:
    """What one provision matched in one article."""

    score: float = 0.0
    phrases: list[tuple[_Phrase, int, int, bool]] = field(default_factory=list)


def _build_index(profiles: tuple[ArticleProfile, ...], language: str) -> _LanguageIndex:
    n_docs = len(profiles)
    fields: list[dict[str, list[Token]]] = []
    for profile in profiles:
        own = profile.keywords.get(language, ()) if language != "en" else ()
        english = profile.keywords.get("en", ())
        keyword_tokens = [t for k in own for t in tokens(k, language)]
        keyword_tokens += [t for k in english for t in tokens(k, "en")]
        prose = " ".join([profile.summary, *profile.obligations])
        fields.append(
            {
                "title": tokens(profile.title, "en"),
                "keywords": keyword_tokens,
                "aliases": [t for a in profile.aliases for t in tokens(a, "en")],
                "prose": tokens(prose, "en"),
            }
        )
    tf: list[dict[str, float]] = []
    lengths: list[float] = []
    words: dict[tuple[int, str], str] = {}
    for doc, doc_fields in enumerate(fields):
        counts: dict[str, float] = defaultdict(float)
        length = 0.0
        for name, toks in doc_fields.items():
            weight = FIELD_WEIGHTS[name]
            if language != "en" and name in ("title", "prose"):
                weight *= FOREIGN_PROSE_FACTOR
            for tok in toks:
                counts[tok.stem] += weight
                length += weight
                words.setdefault((doc, tok.stem), tok.surface)
        tf.append(counts)
        lengths.append(length)
    avg = sum(lengths) / max(1, n_docs)
    df: dict[str, int] = defaultdict(int)
    for counts in tf:
        for stem in counts:
            df[stem] += 1
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc, counts in enumerate(tf):
        norm = K1 * (1 - B + B * lengths[doc] / avg)
        for stem, freq in counts.items():
            idf = math.log(1 + (n_docs - df[stem] + 0.5) / (df[stem] + 0.5))
            postings[stem].append((doc, idf * freq * (K1 + 1) / (freq + norm)))

    phrase_docs: dict[tuple[str, ...], list[tuple[int, str]]] = defaultdict(list)
    for doc, profile in enumerate(profiles):
        own = profile.keywords.get(language, ()) if language != "en" else ()
        pairs = [(k, language) for k in own]
        pairs += [(k, "en") for k in (*profile.keywords.get("en", ()), *profile.aliases)]
        for phrase, lang in pairs:
            stems = tuple(t.stem for t in tokens(phrase, lang))
            if len(stems) >= 2 and all(doc != d for d, _ in phrase_docs[stems]):
                phrase_docs[stems].append((doc, phrase))
    phrases: dict[str, list[_Phrase]] = defaultdict(list)
    for stems, owners in phrase_docs.items():
        idf = math.log(1 + (n_docs - len(owners) + 0.5) / (len(owners) + 0.5))
        for doc, text in owners:
            phrases[stems[0]].append(_Phrase(stems, text, doc, idf))
    rows = {stem: row for row, stem in enumerate(postings)}
    matrix = np.zeros((len(rows), n_docs))
    for stem, entries in postings.items():
        for doc, weight in entries:
            matrix[rows[stem], doc] = weight
    return _LanguageIndex(
        language,
        [p.article_id for p in profiles],
        [p.article_id.split("/")[0] for p in profiles],
        rows,
        matrix,
        words,
        dict(phrases),
    )


@cache
def _default_index(language: str) -> _LanguageIndex:
    """The packaged catalogue's index, built once per process and language.

    Engines are often built per document (the CLI, the evaluation
    harness); the catalogue they index is the same every time, and building
    its index costs about as much as scoring a hundred provisions. The
    index is never mutated after it is built, so sharing it is safe.
    """
    return _build_index(article_profiles(), language)


def _adjacent(run: list[Token], heading_end: int) -> bool:
    """Whether a run of tokens reads as one phrase (close together, one side of the heading)."""
    in_heading = run[0].start < heading_end
    for before, after in itertools.pairwise(run):
        if after.position - before.position > MAX_PHRASE_GAP:
            return False
        if (after.start < heading_end) != in_heading:
            return False
    return True


class LexicalMethod:
    """BM25F retrieval of article profiles, with phrase matching and evidence."""

    name = "lexical"

    def __init__(
        self,
        profiles: Iterable[ArticleProfile] | None = None,
        *,
        top_k: int = TOP_K,
    ) -> None:
        self.default_profiles = profiles is None
        self.profiles = tuple(profiles) if profiles is not None else article_profiles()
        self.top_k = top_k
        self._indexes: dict[str, _LanguageIndex] = {}
        self.unsupported_languages_seen: set[str] = set()
        """Provision languages analysed as English; the engine reports them."""
        self._query = _Query([], np.zeros(0), np.zeros((0, 0)))  # the current provision's

    def warnings(self) -> list[str]:
        """One message per unsupported language met so far."""
        return [
            f"language {lang} not supported by the lexical analyser; English analysis used"
            for lang in sorted(self.unsupported_languages_seen)
        ]

    def index(self, language: str) -> _LanguageIndex:
        lang = analyser_language(language)
        found = self._indexes.get(lang)
        if found is None:
            found = self._indexes[lang] = (
                _default_index(lang) if self.default_profiles else _build_index(self.profiles, lang)
            )
        return found

    def signals(self, provisions: list[ProvisionText]) -> list[list[Signal]]:
        return [self.provision_signals(p) for p in provisions]

    def provision_signals(self, provision: ProvisionText) -> list[Signal]:
        language = (provision.language or "en").split("-")[0].lower()
        fallback_note = ""
        if language not in SUPPORTED_LANGUAGES:
            self.unsupported_languages_seen.add(language)
            fallback_note = (
                f"; language {language} not supported by the lexical analyser; "
                "English analysis used"
            )
        index = self.index(language)
        full = provision.full
        toks = tokens(full, index.language)
        if not toks:
            return []
        heading_end = provision.body_offset - 1 if provision.heading else 0
        hits = self._score(index, toks, heading_end)
        return self._signals(index, hits, full, toks, heading_end, fallback_note)

    # ------------------------------------------------------------ scoring

    def _score(self, index: _LanguageIndex, toks: list[Token], heading_end: int) -> dict[int, _Hit]:
        weights: dict[str, float] = defaultdict(float)
        body_counts: dict[str, int] = defaultdict(int)
        for tok in toks:
            if tok.surface.isdigit():
                continue  # numbers only count inside phrases ("24/7 network")
            if tok.start < heading_end:
                weights[tok.stem] = max(weights[tok.stem], HEADING_WEIGHT)
            else:
                body_counts[tok.stem] += 1
        for stem, count in body_counts.items():
            weights[stem] += 1.0 + math.log(count)
        rows = index.rows
        known = [(stem, rows[stem], q_weight) for stem, q_weight in weights.items() if stem in rows]
        if known:
            known_stems, row_ids, q_weights = zip(*known, strict=True)
            query = np.asarray(q_weights)
            by_stem = index.matrix[list(row_ids)]
            scores = query @ by_stem
        else:
            known_stems, query, by_stem = (), np.zeros(0), np.zeros((0, len(index.article_ids)))
            scores = np.zeros(len(index.article_ids))
        hits: dict[int, _Hit] = {}
        stems = [t.stem for t in toks]
        seen: set[tuple[tuple[str, ...], int]] = set()
        for i, stem in enumerate(stems):
            for phrase in index.phrases.get(stem, ()):
                n = len(phrase.stems)
                if tuple(stems[i : i + n]) != phrase.stems or (phrase.stems, phrase.doc) in seen:
                    continue
                if not _adjacent(toks[i : i + n], heading_end):
                    continue
                seen.add((phrase.stems, phrase.doc))
                in_heading = toks[i].start < heading_end
                bonus = PHRASE_WEIGHT * n * phrase.idf * (HEADING_WEIGHT if in_heading else 1.0)
                scores[phrase.doc] += bonus
                hits.setdefault(phrase.doc, _Hit()).phrases.append(
                    (phrase, toks[i].start, toks[i + n - 1].end, in_heading)
                )
        for doc in np.flatnonzero(scores >= MIN_SCORE).tolist():
            hits.setdefault(doc, _Hit()).score = float(scores[doc])
        self._query = _Query(list(known_stems), query, by_stem)
        return {doc: hit for doc, hit in hits.items() if hit.score >= MIN_SCORE}

    def _strongest_terms(self, doc: int, floor: float) -> list[str]:
        """The stems that earned one (top-ranked) article most of its score, best first.

        Each stem's share is its query weight times its BM25 weight in the
        article; shares under ``floor`` are not evidence. Ties keep the
        order the stems were first met in, like a stable sort.
        """
        query = self._query
        shares = query.weights * query.by_stem[:, doc]
        worth = np.flatnonzero(shares >= floor)
        best = worth[np.argsort(-shares[worth], kind="stable")][: MAX_TERMS + MAX_SPANS]
        return [query.stems[i] for i in best.tolist()]

    def _signals(
        self,
        index: _LanguageIndex,
        hits: dict[int, _Hit],
        full: str,
        toks: list[Token],
        heading_end: int,
        fallback_note: str,
    ) -> list[Signal]:
        first_token: dict[str, Token] = {}
        for tok in toks:
            first_token.setdefault(tok.stem, tok)
        by_instrument: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for doc, hit in hits.items():
            if hit.score >= MIN_SCORE:
                by_instrument[index.instruments[doc]].append((hit.score, doc))
        out: list[Signal] = []
        for ranked in by_instrument.values():
            ranked.sort(key=lambda item: (-item[0], index.article_ids[item[1]]))
            for score, doc in ranked[: self.top_k]:
                out.append(
                    self._signal(index, doc, hits[doc], score, full, first_token, fallback_note)
                )
        return out

    def _signal(
        self,
        index: _LanguageIndex,
        doc: int,
        hit: _Hit,
        score: float,
        full: str,
        first_token: dict[str, Token],
        fallback_note: str,
    ) -> Signal:
        spans: list[Span] = []
        terms: list[str] = []
        catalogue: list[str] = []
        phrase_hits = sorted(hit.phrases, key=lambda p: (not p[3], -len(p[0].stems)))
        for phrase, start, end, _ in phrase_hits[:MAX_TERMS]:
            if phrase.text not in catalogue:
                catalogue.append(phrase.text)
            if len(spans) < MAX_SPANS:
                spans.append(Span(start, end, full[start:end]))
            quoted = full[start:end]
            if quoted not in terms:
                terms.append(quoted)
        covered = [(s.start, s.end) for s in spans]
        lowered = {t.lower() for t in terms}
        floor = score * 0.02  # a word worth under 2% of the score is not evidence
        for stem in self._strongest_terms(doc, floor):
            tok = first_token[stem]
            word = full[tok.start : tok.end]
            if len(terms) < MAX_TERMS and word.lower() not in lowered:
                terms.append(word)
                lowered.add(word.lower())
            catalogue_word = index.words.get((doc, stem))
            if catalogue_word and len(catalogue) < MAX_TERMS and catalogue_word not in catalogue:
                catalogue.append(catalogue_word)
            if len(spans) < MAX_SPANS and not any(
                a <= tok.start and tok.end <= b for a, b in covered
            ):
                spans.append(Span(tok.start, tok.end, word))
                covered.append((tok.start, tok.end))
        note = f"BM25 {score:.1f}"
        if phrase_hits:
            note += "; phrase " + ", ".join(repr(p[0].text) for p in phrase_hits[:3])
        note += fallback_note
        return Signal(
            article_id=index.article_ids[doc],
            method=self.name,
            strength=score / (score + SATURATION),
            terms=tuple(terms[:MAX_TERMS]),
            catalogue_terms=tuple(catalogue[:MAX_TERMS]),
            spans=tuple(sorted(spans, key=lambda s: s.start)),
            note=note,
        )
