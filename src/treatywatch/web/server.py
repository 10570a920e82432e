"""Run uvicorn with several workers *and* Nagle's algorithm off.

``uvicorn.run(..., workers=N)`` binds the listening socket itself with the
protocol left at 0. Accepted sockets inherit it, and asyncio only switches
Nagle's algorithm off (``TCP_NODELAY``) when it sees ``IPPROTO_TCP``, so
with more than one worker every keep-alive response waits about 40 ms for
the client's delayed ACK (uvicorn issue Kludex/uvicorn#3149, open when this
was written) — on its own most of a 50 ms page budget, and it hits every
request a reverse proxy sends over a kept-alive connection. Here the
socket is bound with ``IPPROTO_TCP`` and handed to uvicorn's own
multiprocess supervisor; one worker needs no help.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP listening socket (IPv4 or IPv6 by the host's form) workers can inherit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def run(config: uvicorn.Config) -> int:
    """Serve ``config`` until stopped; returns the port actually listened on."""
    if config.workers <= 1:
        uvicorn.Server(config).run()
        return config.port
    sock = listening_socket(config.host, config.port)
    port: int = sock.getsockname()[1]
    Multiprocess(config, sockets=[sock]).run()
    return port
