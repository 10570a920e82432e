"""Loading the multilingual cue lists in ``ingest/cues/*.yaml``.

Cues are data so that a reviewer can read (and extend) every word the
segmenter and the classifier react to without reading regexes. Each file is
parsed once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from treatywatch.ingest.model import IngestError

CUES_DIR = Path(__file__).resolve().parent.parent / "cues"

try:  # libyaml when available: the cue files are read on every cold start
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


@cache
def load_cues(name: str) -> dict[str, Any]:
    """The parsed ``cues/<name>.yaml`` mapping."""
    path = CUES_DIR / f"{name}.yaml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise IngestError(
            str(path),
            f"cannot read cue file ({exc})",
            hint="reinstall treatywatch; the cue files ship with the package",
        ) from exc
    if not isinstance(data, dict):
        raise IngestError(str(path), "cue file is not a mapping", hint="fix the YAML structure")
    return cast(dict[str, Any], data)


def words(value: object) -> list[str]:
    """A YAML list of words as strings (numbers in YAML lists become text)."""
    if not isinstance(value, list):
        return []
    return [str(item) for item in value]


def per_language(value: object) -> dict[str, list[str]]:
    """A ``{language: [words]}`` mapping, tolerant of missing languages."""
    if not isinstance(value, dict):
        return {}
    return {str(lang): words(items) for lang, items in value.items()}


def all_languages(value: object) -> list[str]:
    """Every word of a ``{language: [words]}`` mapping, in file order."""
    return [w for items in per_language(value).values() for w in items]
