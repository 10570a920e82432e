"""Sentence-embedding votes: which articles a provision *reads like*.

Lexical retrieval needs shared words and rules need known legal elements;
embeddings catch paraphrase ("obtains entry to a computer without
right" ≈ illegal access) and, with the multilingual model, cross the
language gap between a French law and the English catalogue.

What is compared:

- the provision: its heading plus the opening of its body
  (:func:`provision_text`). A law section states its subject in the
  heading and first sentence; later subsections add penalties, exceptions
  and cross-references that pull the vector towards generic "criminal
  law" and away from the specific article.
- the article: :meth:`ArticleProfile.description` (title, summary,
  paragraph duties), encoded once per model and cached like provisions.

For multilingual-e5 both sides are embedded as ``query: `` — e5's advice
for symmetric similarity. On the French gold law this gave top-1 0.44 and
recall@3 0.53, against 0.34 / 0.47 for query→passage and 0.38 / 0.53 for
passage→passage (32 labelled provisions: indicative only). MiniLM ignores
the role.

How a cosine becomes a strength
-------------------------------
Raw cosines are not comparable across models: MiniLM puts unrelated legal
texts near 0.2, e5 near 0.8. Each model's scale is measured on the
catalogue itself when the method first uses it — the mean and standard
deviation of the cosine between *different* articles' profiles, i.e. how
similar two unrelated-but-same-domain texts look to this model — and a
provision's cosine is read as a z-score on that scale::

    strength = clip((cosine - mean) / (Z_FULL * std), 0, 1)

so 0 means "no more alike than two different convention articles" and 1
means Z_FULL standard deviations above that, for either model. The scale
depends only on the catalogue and the model, never on gold labels.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from treatywatch.align.embed.cache import EmbeddingCache
from treatywatch.align.embed.catalogue import catalogue_vectors
from treatywatch.align.embed.encoder import Encoder, Role, Vectors
from treatywatch.align.embed.select import ENGLISH, base_language, select_encoder
from treatywatch.align.model import ProvisionText, Signal, Span
from treatywatch.align.profiles import TARGET_INSTRUMENTS, ArticleProfile, article_profiles

TOP_K = 5
"""Votes per provision and instrument: enough for recall@3 after fusion
re-ranks, few enough that weak tail votes do not add noise."""
Z_FULL = 6.0
"""Standard deviations above the unrelated-article level that count as a
full-strength vote."""
BODY_CHARS = 600
"""Characters of the body passed to the encoder: the token cap cuts
further; this only keeps the tokenizer from reading whole long sections."""

_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|\n+")


@dataclass(frozen=True)
class ModelScale:
    """A model's cosine level for unrelated same-domain texts (see module docstring)."""

    mean: float
    std: float

    def strength(self, cosine: float) -> float:
        return float(np.clip((cosine - self.mean) / (Z_FULL * self.std), 0.0, 1.0))


def provision_text(provision: ProvisionText) -> str:
    """Heading + opening of the body: where a section states its subject."""
    body = provision.text.strip()[:BODY_CHARS]
    heading = (provision.heading or "").strip()
    return f"{heading}\n{body}".strip() if heading else body


def article_text(profile: ArticleProfile) -> str:
    """The article's prose description. Appending its keyword list was
    measured worse on the English gold laws (top-1 0.56 vs 0.57, recall@3
    0.76 vs 0.78): a bare list of terms reads as no particular sentence."""
    return profile.description()


def sentences(provision: ProvisionText, limit: int = 6) -> list[Span]:
    """The first ``limit`` sentences or lines of ``provision.full``, as spans."""
    full = provision.full
    spans: list[Span] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(full), None]:
        end = match.start() if match else len(full)
        piece = full[start:end]
        stripped = piece.strip()
        if len(stripped) >= 3:
            offset = start + piece.index(stripped)
            spans.append(Span(offset, offset + len(stripped), stripped))
            if len(spans) >= limit:
                break
        if match:
            start = match.end()
    return spans


class EmbeddingMethod:
    """The ``embedding`` alignment method (see the module docstring)."""

    name = "embedding"

    def __init__(
        self,
        *,
        cache: EmbeddingCache | None = None,
        instruments: tuple[str, ...] = TARGET_INSTRUMENTS,
        top_k: int = TOP_K,
        sentence_spans: bool = False,
        provision_role: Role = "query",
        article_role: Role = "query",
        minilm_dir: Path | None = None,
        e5_path: Path | None = None,
    ) -> None:
        self.cache = cache if cache is not None else EmbeddingCache()
        self.profiles = [p for p in article_profiles() if p.instrument in instruments]
        self.top_k = top_k
        self.sentence_spans = sentence_spans
        self.provision_role: Role = provision_role
        self.article_role: Role = article_role
        self.minilm_dir = minilm_dir
        self.e5_path = e5_path
        self.warnings: list[str] = []
        self._encoders: dict[str, Encoder | None] = {}
        self._articles: dict[str, tuple[Vectors, ModelScale]] = {}
        self.model_name = ""

    def encoder_for(self, language: str) -> Encoder | None:
        """The encoder for ``language`` (remembered; a failure warns once)."""
        code = base_language(language)
        if code not in self._encoders:
            self._encoders[code] = select_encoder(
                code, self.warnings, minilm_dir=self.minilm_dir, e5_path=self.e5_path
            )
        return self._encoders[code]

    def article_vectors(self, encoder: Encoder) -> tuple[Vectors, ModelScale]:
        """Profile vectors in :attr:`profiles` order, and the model's scale."""
        known = self._articles.get(encoder.name)
        if known is None:
            texts = [article_text(p) for p in self.profiles]
            # encoded once per model and catalogue, kept on disk (embed/catalogue.py)
            vectors = catalogue_vectors(encoder, texts, self.article_role)
            # the scale compares texts in the roles provisions and articles
            # are actually compared in, since e5 shifts cosines by role
            as_provisions = (
                vectors
                if self.provision_role == self.article_role
                else catalogue_vectors(encoder, texts, self.provision_role)
            )
            known = (vectors, _scale(as_provisions, vectors))
            self._articles[encoder.name] = known
        return known

    def signals(self, provisions: list[ProvisionText]) -> list[list[Signal]]:
        out: list[list[Signal]] = [[] for _ in provisions]
        by_language: dict[str, list[int]] = defaultdict(list)
        for i, provision in enumerate(provisions):
            if provision.full.strip():
                by_language[base_language(provision.language)].append(i)
        for language, indices in by_language.items():
            encoder = self.encoder_for(language)
            if encoder is None:
                continue
            group = [provisions[i] for i in indices]
            for i, votes in zip(indices, self._group_signals(encoder, group), strict=True):
                out[i] = votes
        return out

    def _group_signals(
        self, encoder: Encoder, provisions: list[ProvisionText]
    ) -> list[list[Signal]]:
        articles, scale = self.article_vectors(encoder)
        vectors = self.cache.encode(
            encoder, [provision_text(p) for p in provisions], self.provision_role
        )
        cosines = vectors @ articles.T
        per_sentence = self._sentence_cosines(encoder, provisions, articles)
        model = encoder.name.split("@")[0]
        out: list[list[Signal]] = []
        for row in range(len(provisions)):
            best_sentence = per_sentence[row] if per_sentence is not None else None
            votes: list[Signal] = []
            for instrument_columns in self._columns_by_instrument():
                scores = cosines[row, instrument_columns]
                best = np.argsort(-scores, kind="stable")[: self.top_k]
                for column in instrument_columns[best]:
                    cosine = float(cosines[row, column])
                    strength = scale.strength(cosine)
                    if strength <= 0.0:
                        continue
                    spans: tuple[Span, ...] = ()
                    if best_sentence is not None:
                        spans_row, sims = best_sentence
                        spans = (spans_row[int(np.argmax(sims[:, column]))],)
                    profile = self.profiles[column]
                    votes.append(
                        Signal(
                            profile.article_id,
                            self.name,
                            strength,
                            spans=spans,
                            note=f"cosine {cosine:.2f} ({model}) to the article's summary",
                        )
                    )
            out.append(votes)
        return out

    def _columns_by_instrument(self) -> list[np.ndarray]:
        instruments = sorted({p.instrument for p in self.profiles})
        return [
            np.array([j for j, p in enumerate(self.profiles) if p.instrument == instrument])
            for instrument in instruments
        ]

    def _sentence_cosines(
        self, encoder: Encoder, provisions: list[ProvisionText], articles: Vectors
    ) -> list[tuple[list[Span], Vectors] | None] | None:
        """Per provision: its first sentences and their cosines to every article.

        Off by default: it encodes several times more text than the
        provision vectors (measured in benchmarks/bench_embed.py).
        """
        if not self.sentence_spans:
            return None
        spans = [sentences(p) for p in provisions]
        flat = [s.text for row in spans for s in row]
        vectors = self.cache.encode(encoder, flat, self.provision_role)
        out: list[tuple[list[Span], Vectors] | None] = []
        start = 0
        for row in spans:
            if not row:
                out.append(None)
                continue
            out.append((row, vectors[start : start + len(row)] @ articles.T))
            start += len(row)
        return out


def _scale(as_provisions: Vectors, articles: Vectors) -> ModelScale:
    similarities = as_provisions @ articles.T
    off_diagonal = similarities[~np.eye(len(articles), dtype=bool)]
    return ModelScale(float(off_diagonal.mean()), max(float(off_diagonal.std()), 1e-6))


def load_embedding_method(
    warnings: list[str],
    *,
    cache: EmbeddingCache | None = None,
    minilm_dir: Path | None = None,
    e5_path: Path | None = None,
) -> EmbeddingMethod | None:
    """The method if at least one encoder loads; else ``None`` and a warning.

    English (MiniLM, or e5 in its place) is loaded up front so the engine
    can name its model in every output; other languages load their encoder
    on first use and add their own warning then (to the same list).
    """
    method = EmbeddingMethod(cache=cache, minilm_dir=minilm_dir, e5_path=e5_path)
    # for English, select_encoder already falls back to e5, so None means no model at all
    encoder = method.encoder_for(ENGLISH)
    warnings.extend(method.warnings)
    if encoder is None:
        return None
    # later per-language and store-cache warnings reach the engine's list too
    method.warnings = warnings
    method.cache.warnings = warnings
    method.model_name = encoder.name
    return method
