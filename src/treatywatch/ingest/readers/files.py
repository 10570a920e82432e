"""File checks every reader runs before touching a parser.

Size is checked from ``stat`` before anything is read, so a 600 MB file is
refused in microseconds instead of after it has filled memory; reads are
capped again in case the file grows between the check and the read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from treatywatch.ingest.model import IngestError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MB
MAX_BYTES_ENV = "TREATYWATCH_MAX_FILE_MB"
READ_HINT = "check that the file exists, is readable and is not being written"


def resolve_max_bytes(max_bytes: int | None = None) -> int:
    """The size limit: the explicit argument, else ``TREATYWATCH_MAX_FILE_MB``, else 50 MB.

    Read at call time (not import time) so a changed environment takes effect.
    """
    if max_bytes is not None:
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {max_bytes}")
        return max_bytes
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if megabytes <= 0:
        raise IngestError(
            f"${MAX_BYTES_ENV}",
            f"{raw!r} is not a positive number of megabytes",
            hint=f"set {MAX_BYTES_ENV} to e.g. 100, or unset it for the default of 50",
        )
    return int(megabytes * MB)


def describe_size(n_bytes: int) -> str:
    """Sizes as people say them: "600 MB", "1.5 MB", "12 KB"."""
    if n_bytes >= 10 * MB:
        return f"{n_bytes / MB:.0f} MB"
    if n_bytes >= MB:
        return f"{n_bytes / MB:.1f} MB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.0f} KB"
    return f"{n_bytes} bytes"


def check_file(path: Path, max_bytes: int) -> int:
    """Refuse missing, non-regular, unreadable and oversized files; return the size."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError(str(path), "file not found", hint="check the path") from None
    except PermissionError:
        raise IngestError(
            str(path), "cannot read the file (permission denied)", hint="check its permissions"
        ) from None
    except OSError as exc:
        raise IngestError(
            str(path), f"cannot read the file ({exc.strerror or exc})", hint=READ_HINT
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(
            str(path),
            "is a directory, not a file",
            hint="give one file; batch ingest of a folder takes a manifest",
        )
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices could block forever or never end.
        raise IngestError(
            str(path),
            "is not a regular file (device, pipe or socket)",
            hint="copy the content to a regular file first",
        )
    if info.st_size > max_bytes:
        raise too_large(path, info.st_size, max_bytes)
    if not os.access(path, os.R_OK):
        raise IngestError(
            str(path), "cannot read the file (permission denied)", hint="check its permissions"
        )
    return info.st_size


def too_large(path: Path, size: int, max_bytes: int) -> IngestError:
    return IngestError(
        str(path),
        f"file is {describe_size(size)}; the limit is {describe_size(max_bytes)}",
        hint=f"set {MAX_BYTES_ENV} (in MB) to raise the limit if the file is genuine",
    )


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The whole file, after :func:`check_file`, never more than ``max_bytes``."""
    size = check_file(path, max_bytes)
    try:
        with path.open("rb") as handle:
            # read(n) allocates n bytes up front: ask for the stat size, not the limit.
            data = handle.read(size + 1)
            while len(data) <= max_bytes:  # the file grew since stat()
                more = handle.read(min(MB, max_bytes + 1 - len(data)))
                if not more:
                    break
                data += more
    except OSError as exc:
        raise IngestError(
            str(path), f"cannot read the file ({exc.strerror or exc})", hint=READ_HINT
        ) from None
    if len(data) > max_bytes:
        raise too_large(path, len(data), max_bytes)
    return data


def read_head(path: Path, n_bytes: int = 8192) -> bytes:
    """The first bytes of a file, for sniffing its format."""
    try:
        with path.open("rb") as handle:
            return handle.read(n_bytes)
    except OSError as exc:
        raise IngestError(
            str(path), f"cannot read the file ({exc.strerror or exc})", hint=READ_HINT
        ) from None
