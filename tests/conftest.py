"""Shared fixtures: isolated stores on SQLite and (when configured) PostgreSQL.

PostgreSQL tests run when ``TREATYWATCH_TEST_POSTGRES_URL`` is set; `.ci/run`
starts a server and sets it, and under ``CI=true`` a missing server is an
error rather than a silent skip.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from treatywatch.store.db import dispose_engines

SHARED = Path(os.environ.get("TREATYWATCH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
POSTGRES_URL = os.environ.get("TREATYWATCH_TEST_POSTGRES_URL")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _backends() -> list[str]:
    backends = ["sqlite"]
    if POSTGRES_URL or os.environ.get("CI") == "true":
        backends.append("postgres")
    return backends


@pytest.fixture(autouse=True, scope="session")
def _model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Built models (the int8 ONNX encoder) go to a temporary cache, not the user's."""
    previous = os.environ.get("TREATYWATCH_CACHE_DIR")
    os.environ["TREATYWATCH_CACHE_DIR"] = str(tmp_path_factory.mktemp("model-cache"))
    yield
    if previous is None:
        os.environ.pop("TREATYWATCH_CACHE_DIR", None)
    else:
        os.environ["TREATYWATCH_CACHE_DIR"] = previous


@pytest.fixture(params=_backends())
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty store on each backend, configured as the default for the CLI too."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        if not POSTGRES_URL:
            pytest.fail("CI=true but TREATYWATCH_TEST_POSTGRES_URL is not set (see .ci/run)")
        url = POSTGRES_URL
        _reset_postgres(url)
    monkeypatch.setenv("TREATYWATCH_DATABASE_URL", url)
    monkeypatch.setenv("TREATYWATCH_DATA_DIR", str(tmp_path / "data"))
    yield url
    dispose_engines()


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("TREATYWATCH_DATABASE_URL", url)
    monkeypatch.setenv("TREATYWATCH_DATA_DIR", str(tmp_path / "data"))
    yield url
    dispose_engines()


@pytest.fixture
def initialised(store_url: str) -> str:
    from treatywatch.store import init_store

    init_store(store_url)
    return store_url


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> object:
        import json

        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the real entry point (``treatywatch.cli.main``) and capture its result."""
    from treatywatch import cli as cli_module
    from treatywatch.output import console, err_console

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["treatywatch", *args])
        monkeypatch.setattr(console, "width", 200)
        monkeypatch.setattr(err_console, "width", 200)
        console.file = sys.stdout
        err_console.file = sys.stderr
        try:
            cli_module.main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
