"""Derived files in the user cache directory: written atomically, read only if intact.

The built int8 model and the catalogue vectors are both derived data that
is expensive enough to keep between processes and cheap enough to rebuild.
Each file sits next to a ``.sha256`` of its bytes, both written through a
temporary file and ``os.replace``: a reader sees a complete file or none,
and a truncated or corrupted one (digest mismatch) is treated as absent,
so a damaged cache costs a rebuild, never a crash or a wrong result.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

CACHE_DIR_ENV = "TREATYWATCH_CACHE_DIR"
HASH_CHUNK = 1 << 20


def cache_root() -> Path:
    """``$TREATYWATCH_CACHE_DIR`` or the user cache directory (derived data only)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("treatywatch"))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_verified(path: Path) -> bytes | None:
    """The file's bytes if its recorded digest matches, else ``None``."""
    digest_path = path.with_name(path.name + ".sha256")
    try:
        data = path.read_bytes()
        recorded = digest_path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return data if hashlib.sha256(data).hexdigest() == recorded else None


def write_verified(path: Path, data: bytes) -> bool:
    """Persist ``data`` and its digest; ``False`` if the cache is not writable."""
    try:
        atomic_write(path, data)
        atomic_write(
            path.with_name(path.name + ".sha256"), hashlib.sha256(data).hexdigest().encode()
        )
    except OSError:
        return False
    return True
