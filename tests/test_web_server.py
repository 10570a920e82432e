"""The multi-worker launcher keeps Nagle's algorithm off, and `serve --workers` works.

With uvicorn's own ``workers=N`` the listening socket has protocol 0, so
asyncio never sets ``TCP_NODELAY`` on accepted connections and every
keep-alive response waits ~40 ms for a delayed ACK. These tests check the
socket option itself (deterministic, no timing) and that a real
``treatywatch serve --workers 2`` answers.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from treatywatch.store import init_store
from treatywatch.web.server import listening_socket
from web_server import free_port, server_env


async def _nodelay_of_accepted(sock: socket.socket) -> int:
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            raw = transport.get_extra_info("socket")
            accepted.set_result(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
    host, port = sock.getsockname()[:2]
    _, writer = await asyncio.open_connection(host, port)
    try:
        return await asyncio.wait_for(accepted, 5)
    finally:
        writer.close()
        server.close()


def _nodelay(sock: socket.socket) -> int:
    """Run the probe on its own thread and loop (browser tests may leave one running here)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(_nodelay_of_accepted(sock))).result(timeout=30)


def test_connections_accepted_on_the_launchers_socket_have_nagle_off() -> None:
    sock = listening_socket("127.0.0.1", 0)
    assert sock.proto == socket.IPPROTO_TCP
    assert _nodelay(sock) != 0


def test_a_socket_bound_the_way_uvicorn_workers_bind_it_keeps_nagle_on() -> None:
    """The bug the launcher exists for: if this ever fails, uvicorn fixed it upstream
    and :mod:`treatywatch.web.server` can go."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # protocol 0, as uvicorn does
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    assert _nodelay(sock) == 0


def test_serve_with_two_workers_answers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    init_store(url)
    port = free_port()
    command = [
        *(str(Path(sys.executable).with_name("treatywatch")), "serve", "--workers", "2"),
        *("--port", str(port), "--log-level", "warning"),
    ]
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        command, env=server_env(url, tmp_path / "data"), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve did not start in 60 s"
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            assert all(client.get("/articles/uncc/art-7").status_code == 200 for _ in range(4))
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
