"""Serve the web app with N uvicorn worker processes *and* TCP_NODELAY on.

``uvicorn --workers N`` binds the listening socket itself with ``proto``
left at 0; accepted sockets inherit it, and asyncio only switches Nagle's
algorithm off (TCP_NODELAY) when it sees ``IPPROTO_TCP``. Every keep-alive
response then waits ~40 ms for the client's delayed ACK — on its own
enough to miss a 50 ms p95 (uvicorn issue Kludex/uvicorn#3149, open at the
time of writing; ``--workers 1`` is not affected). This launcher binds the
socket with ``IPPROTO_TCP`` and hands it to uvicorn's own multiprocess
supervisor, so the benchmark measures the app, not that bug.

Usage: ``python -m benchmarks.web_serve PORT WORKERS`` (settings from
``TREATYWATCH_*``, like ``uvicorn --factory treatywatch.web.app:create_app``).
"""

from __future__ import annotations

import socket
import sys

import uvicorn
from uvicorn.supervisors import Multiprocess


def main() -> None:
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    config = uvicorn.Config(
        "treatywatch.web.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
    )
    if workers == 1:
        uvicorn.Server(config).run()
        return
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


if __name__ == "__main__":
    main()
