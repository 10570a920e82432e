"""Serve the web app for the load test: N uvicorn workers with TCP_NODELAY on.

The same launcher ``treatywatch serve`` uses (:mod:`treatywatch.web.server`,
which explains the uvicorn multi-worker Nagle bug it avoids), minus the
proxy settings and with access logs off, so the benchmark measures the app.

Usage: ``python -m benchmarks.web_serve PORT WORKERS`` (settings from
``TREATYWATCH_*``, like ``uvicorn --factory treatywatch.web.app:create_app``).
"""

from __future__ import annotations

import sys

import uvicorn

from treatywatch.web import server


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
    server.run(config)


if __name__ == "__main__":
    main()
