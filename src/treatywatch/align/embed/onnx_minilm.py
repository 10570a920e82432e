"""all-MiniLM-L6-v2 as an int8 ONNX graph: the fast English encoder.

The numpy encoder (``minilm.py``) is exact but spends most of its time in
fp32 matrix products and Python-level elementwise work. onnxruntime runs the
same network with fused attention, LayerNorm and GELU kernels, and
dynamic int8 quantization lets the matrix products use the CPU's integer
dot-product instructions (AVX-512 VNNI / AVX-VNNI), several times faster
again.

No torch or transformers is involved: :func:`build_graph` writes the BERT
graph node by node with ``onnx.helper`` from the same safetensors weights
the numpy encoder reads, using onnxruntime's standard BERT kernels
(``com.microsoft`` ``Attention`` and ``Gelu``; ``quantize_dynamic`` turns
``Attention`` into ``QAttention`` and ``MatMul`` into integer products).
Mean pooling happens in the graph; L2 normalisation in numpy.

Each text is run on its own, never in a padded batch. Dynamic quantization
picks each activation's int8 scale from the whole input tensor, so in a
batch one text's vector would depend on its neighbours and on the padding
(cosine down to 0.988 to the same text alone, measured on the Kenyan law) —
and the embedding cache would keep whichever variant came first. Unbatched
runs are deterministic and, measured, no slower: per text the products are
small either way, and one Python thread per core, each driving a
single-threaded run (onnxruntime releases the GIL), keeps both cores busy
without onnxruntime's spinning thread pool, which lost up to 3× on this
shared 2-core machine when another process held a core.

The built model is cached under the user cache directory (or
``$TREATYWATCH_CACHE_DIR``) as
``models/all-MiniLM-L6-v2-<kind>-<weights sha>-b<builder version>.onnx``
next to a ``.sha256`` of its bytes. Both are written atomically; a file
whose digest does not match, or that onnxruntime refuses, is rebuilt — a
corrupt or half-written cache costs a rebuild (a few seconds), never a
crash. If the cache directory cannot be written, the model is built in a
temporary directory and kept in memory for the process.

int8 vectors are not identical to fp32 ones (cosine ≈ 0.99 to the numpy
vector, see tests/test_align_embed_onnx.py), so the encoder's ``name``
differs and the embedding cache never mixes the two.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from treatywatch.align.embed.encoder import EncoderUnavailableError, Role, Vectors, l2_normalise
from treatywatch.align.embed.files import (
    CACHE_DIR_ENV,
    cache_root,
    file_sha256,
    read_verified,
    write_verified,
)
from treatywatch.align.embed.minilm import (
    MODEL_ID,
    MODEL_MAX_TOKENS,
    PACKAGE,
    _read_config,
    _read_tokenizer,
    _read_weights,
    default_model_dir,
    package_version,
)

Kind = Literal["int8", "fp32"]

__all__ = [
    "CACHE_DIR_ENV",
    "RUNTIME_PACKAGE",
    "Kind",
    "OnnxMiniLMEncoder",
    "build_graph",
    "build_model_bytes",
    "cache_root",
    "file_sha256",
    "onnx_available",
]

RUNTIME_PACKAGE = "onnxruntime"
BUILDER_VERSION = 1
"""Bump when the graph or quantization settings change: the cached file
name includes it, so an old build is never loaded by new code."""
OPSET = 17
"""First opset with ``LayerNormalization``."""

I64 = npt.NDArray[np.int64]


def onnx_available() -> bool:
    """Whether ``onnx`` and ``onnxruntime`` are installed (the ``embeddings`` extra)."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))


def _runtime_error(problem: str) -> EncoderUnavailableError:
    return EncoderUnavailableError(
        RUNTIME_PACKAGE,
        problem,
        hint="reinstall the embeddings extra: pip install 'treatywatch[embeddings]' "
        "(the numpy encoder is used meanwhile)",
    )


# --------------------------------------------------------------------------- graph


def build_graph(model_dir: Path) -> Any:
    """The fp32 ONNX ``ModelProto`` of all-MiniLM-L6-v2 with mean pooling.

    Inputs ``input_ids`` and ``attention_mask`` (int64, ``(batch, seq)``,
    padding on the right); output ``sentence_embedding`` (float32,
    ``(batch, hidden)``, mean of the real tokens' last hidden states, not
    yet normalised). Token type ids are always 0 for a single sentence, so
    the type-0 embedding is folded into the position table.
    """
    from onnx import TensorProto, helper, numpy_helper

    config = _read_config(model_dir)
    weights = _read_weights(model_dir)
    try:
        hidden = int(config["hidden_size"])
        heads = int(config["num_attention_heads"])
        layers = int(config["num_hidden_layers"])
        eps = float(config.get("layer_norm_eps", 1e-12))
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported activation {config.get('hidden_act')!r}")
    except (KeyError, TypeError, ValueError) as exc:
        raise EncoderUnavailableError(
            PACKAGE, f"config.json in {model_dir} is unusable ({exc})"
        ) from exc

    initializers: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, array: npt.NDArray[Any]) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def f32(name: str, shape: tuple[int, ...]) -> npt.NDArray[np.float32]:
        try:
            array = np.asarray(weights[name], dtype=np.float32)
        except KeyError:
            raise EncoderUnavailableError(
                PACKAGE, f"model.safetensors in {model_dir} has no tensor {name!r}"
            ) from None
        if array.shape != shape:
            raise EncoderUnavailableError(
                PACKAGE,
                f"model.safetensors in {model_dir}: {name} has shape {array.shape}, "
                f"expected {shape}",
            )
        return array

    def node(op: str, inputs: list[str], output: str, domain: str = "", **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, domain=domain, **attrs))
        return output

    def linear(x: str, prefix: str, n_in: int, n_out: int, out: str) -> str:
        weight = const(f"{prefix}.w", f32(f"{prefix}.weight", (n_out, n_in)).T)
        bias = const(f"{prefix}.b", f32(f"{prefix}.bias", (n_out,)))
        product = node("MatMul", [x, weight], f"{out}.mm")
        return node("Add", [product, bias], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        scale = const(f"{prefix}.g", f32(f"{prefix}.weight", (hidden,)))
        shift = const(f"{prefix}.beta", f32(f"{prefix}.bias", (hidden,)))
        return node("LayerNormalization", [x, scale, shift], out, axis=-1, epsilon=eps)

    vocab = int(config.get("vocab_size", 30522))
    positions = int(config.get("max_position_embeddings", 512))
    types = int(config.get("type_vocab_size", 2))
    word = const("word", f32("embeddings.word_embeddings.weight", (vocab, hidden)))
    type0 = f32("embeddings.token_type_embeddings.weight", (types, hidden))[0]
    position = const(
        "position", f32("embeddings.position_embeddings.weight", (positions, hidden)) + type0
    )
    zero = const("zero", np.array([0], np.int64))
    one_axis = const("axis1", np.array([1], np.int64))
    axis2 = const("axis2", np.array([2], np.int64))
    seq_len = node("Shape", ["input_ids"], "seq_len", start=1, end=2)
    pos = node("Slice", [position, zero, seq_len, zero], "pos")
    tokens = node("Gather", [word, "input_ids"], "tokens")
    x = node("Add", [tokens, pos], "emb.sum")
    x = layer_norm(x, "embeddings.LayerNorm", "emb")
    mask_i32 = node("Cast", ["attention_mask"], "mask_i32", to=TensorProto.INT32)

    for i in range(layers):
        p = f"encoder.layer.{i}."
        # com.microsoft Attention takes Q|K|V side by side as one (H, 3H) weight
        qkv_w = np.concatenate(
            [
                f32(f"{p}attention.self.{part}.weight", (hidden, hidden)).T
                for part in ("query", "key", "value")
            ],
            axis=1,
        )
        qkv_b = np.concatenate(
            [f32(f"{p}attention.self.{part}.bias", (hidden,)) for part in ("query", "key", "value")]
        )
        attended = node(
            "Attention",
            [x, const(f"l{i}.qkv.w", qkv_w), const(f"l{i}.qkv.b", qkv_b), mask_i32],
            f"l{i}.attn",
            domain="com.microsoft",
            num_heads=heads,
        )
        out = linear(attended, p + "attention.output.dense", hidden, hidden, f"l{i}.attn_out")
        residual = node("Add", [out, x], f"l{i}.res1")
        x = layer_norm(residual, p + "attention.output.LayerNorm", f"l{i}.ln1")
        inner_size = int(config.get("intermediate_size", 4 * hidden))
        inner = linear(x, p + "intermediate.dense", hidden, inner_size, f"l{i}.ff_in")
        inner = node("Gelu", [inner], f"l{i}.gelu", domain="com.microsoft")
        ff = linear(inner, p + "output.dense", inner_size, hidden, f"l{i}.ff_out")
        residual = node("Add", [ff, x], f"l{i}.res2")
        x = layer_norm(residual, p + "output.LayerNorm", f"l{i}.ln2")

    mask_f = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    mask3 = node("Unsqueeze", [mask_f, axis2], "mask3")
    masked = node("Mul", [x, mask3], "masked")
    summed = node("ReduceSum", [masked, one_axis], "summed", keepdims=0)
    count = node("ReduceSum", [mask_f, one_axis], "count", keepdims=1)
    count = node("Max", [count, const("one", np.array(1.0, np.float32))], "count1")
    node("Div", [summed, count], "sentence_embedding")

    # onnx's shape inference cannot see through the com.microsoft ops; the
    # quantizer needs each MatMul's output type, so declare them all
    integer_outputs = {seq_len, mask_i32}
    value_info = [
        helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, None)
        for n in nodes
        if n.output[0] not in integer_outputs and n.output[0] != "sentence_embedding"
    ]
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializers,
        value_info=value_info,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
        producer_name="treatywatch",
        producer_version=str(BUILDER_VERSION),
    )
    model.ir_version = 8  # readable by every onnxruntime that has these kernels
    return model


def build_model_bytes(model_dir: Path, kind: Kind) -> bytes:
    """Serialised fp32 or dynamically int8-quantized model (built in a temp dir)."""
    model = build_graph(model_dir)
    if kind == "fp32":
        data: bytes = model.SerializeToString()
        return data
    from onnx import helper

    # onnxruntime ships no type information: treat it as Any explicitly
    quantization: Any = importlib.import_module("onnxruntime.quantization")

    # What quantization "pre-processing" would add is already there: every
    # tensor has a declared type (build_graph) and no constant is left to
    # fold. Saying so skips its advice, which quantize_dynamic logs through
    # the *root* logger (configuring it as a side effect).
    helper.set_model_props(model, {"onnx.quant.pre_process": "onnxruntime.quant"})
    with tempfile.TemporaryDirectory(prefix="treatywatch-onnx-") as scratch:
        source = Path(scratch) / "fp32.onnx"
        target = Path(scratch) / "int8.onnx"
        source.write_bytes(model.SerializeToString())
        quantization.quantize_dynamic(
            source,
            target,
            op_types_to_quantize=["MatMul", "Attention"],
            weight_type=quantization.QuantType.QInt8,
            per_channel=True,
        )
        return target.read_bytes()


# --------------------------------------------------------------------------- encoder


class OnnxMiniLMEncoder:
    """English sentence vectors from all-MiniLM-L6-v2 run by onnxruntime.

    ``kind="int8"`` (default) is the fast quantized model; ``"fp32"`` is the
    same graph unquantized, for benchmarks and accuracy checks.
    """

    languages: frozenset[str] = frozenset({"en"})

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        kind: Kind = "int8",
        max_tokens: int = 128,
        cache_dir: Path | None = None,
        workers: int | None = None,
        builder: Callable[[Path, Kind], bytes] = build_model_bytes,
    ) -> None:
        if not 8 <= max_tokens <= MODEL_MAX_TOKENS:
            raise ValueError(f"max_tokens must be within 8..{MODEL_MAX_TOKENS}, not {max_tokens}")
        if not onnx_available():
            raise _runtime_error("onnx or onnxruntime is not installed")
        directory = model_dir if model_dir is not None else default_model_dir()
        self.model_dir = directory
        self.kind = kind
        self.max_tokens = max_tokens
        self.workers = workers or os.cpu_count() or 1
        self._executor: ThreadPoolExecutor | None = None
        self.dim = int(_read_config(directory).get("hidden_size", 384))
        self._tokenizer = _read_tokenizer(directory, max_tokens)
        weights = directory / "model.safetensors"
        if not weights.is_file():
            raise EncoderUnavailableError(PACKAGE, f"{weights} is missing")
        root = cache_root() if cache_dir is None else cache_dir
        self.model_path = (
            root
            / "models"
            / f"{MODEL_ID}-{kind}-{file_sha256(weights)[:16]}-b{BUILDER_VERSION}.onnx"
        )
        self.persisted = True
        self.rebuilt = False
        self._builder = builder
        self._session = self._open()
        self.name = f"{MODEL_ID}-{kind}@gt-{package_version()}"
        if max_tokens != 128:
            self.name += f"/t{max_tokens}"

    def _open(self) -> Any:
        """A checked session from the cached file, rebuilding it when absent or bad."""
        data = read_verified(self.model_path)
        if data is not None:
            session = self._session_or_none(data)
            if session is not None:
                return session
        self.rebuilt = True
        try:
            data = self._builder(self.model_dir, self.kind)
        except EncoderUnavailableError:
            raise
        except Exception as exc:  # onnx / quantizer internals raise many types
            raise _runtime_error(
                f"building the {self.kind} ONNX model of {MODEL_ID} failed "
                f"({type(exc).__name__}: {exc})"
            ) from exc
        session = self._session_or_none(data)
        if session is None:
            raise _runtime_error(
                f"onnxruntime cannot run the {self.kind} ONNX model it was given for {MODEL_ID}"
            )
        self.persisted = write_verified(self.model_path, data)
        return session

    def _session_or_none(self, data: bytes) -> Any:
        ort: Any = importlib.import_module("onnxruntime")
        options = ort.SessionOptions()
        # parallelism comes from one calling thread per core (module docstring)
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        # every call has its own length: a per-shape memory plan is rarely reused
        options.enable_mem_pattern = False
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only; no optimizer chatter on stderr
        try:
            session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
            probe = _run_one(session, [101, 2000, 102])
        except Exception:  # InvalidProtobuf, Fail, InvalidGraph, RuntimeException...
            return None
        if probe.shape != (self.dim,) or not np.all(np.isfinite(probe)):
            return None
        return session

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids incl. [CLS]/[SEP], truncated to ``max_tokens``."""
        return [e.ids for e in self._tokenizer.encode_batch(texts)]

    def encode(self, texts: list[str], *, role: Role = "passage") -> Vectors:
        """MiniLM is symmetric: ``role`` is accepted for the protocol and ignored."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.token_ids(texts)
        session = self._session
        if self.workers < 2 or len(texts) == 1:
            rows = [_run_one(session, seq) for seq in ids]
        else:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.workers, thread_name_prefix="minilm-onnx"
                )
            rows = list(self._executor.map(lambda seq: _run_one(session, seq), ids))
        out[:] = rows
        return l2_normalise(out)


def _run_one(session: Any, ids: list[int]) -> npt.NDArray[np.float32]:
    """Mean-pooled vector of one unpadded text."""
    batch: I64 = np.array([ids], dtype=np.int64)
    (pooled,) = session.run(
        ["sentence_embedding"], {"input_ids": batch, "attention_mask": np.ones_like(batch)}
    )
    row: npt.NDArray[np.float32] = np.asarray(pooled[0], dtype=np.float32)
    return row
