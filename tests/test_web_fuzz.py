"""Schema-based fuzzing of the REST API: no request generated from /openapi.json may
cause a server error (5xx), whoever sends it.

Schemathesis reads the app's own schema and calls the ASGI app in-process
(no network), as an anonymous reader, a viewer and an analyst (bearer
tokens), with a bounded number of examples per operation. The analyst run
includes the write endpoints (reviews, upload), so their error paths are
fuzzed too; the store is a fresh fictional one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from treatywatch.store.db import dispose_engines  # noqa: E402
from web_api_store import TOKENS, build_store  # noqa: E402

MAX_EXAMPLES = 20


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from web_api_store import api_app

    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:
        url = f"sqlite:///{tmp / 'store.db'}"
        mp.setenv("TREATYWATCH_DATABASE_URL", url)
        mp.setenv("TREATYWATCH_DATA_DIR", str(tmp / "data"))
        build_store(url)
        yield api_app(url, max_upload_bytes=64_000)
        dispose_engines()


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app: object) -> object:
    loaded = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    return loaded.include(path_regex="^/api/v1/")


FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@pytest.mark.parametrize(
    "role", [None, "viewer", "analyst"], ids=["anonymous", "viewer", "analyst"]
)
def test_no_server_errors(fuzz_schema: Any, role: str | None) -> None:
    """Every operation, bounded examples each (schemathesis' pytest plugin does not run on
    this pytest, so operations are driven with Hypothesis directly)."""
    headers = {"Authorization": f"Bearer {TOKENS[role]}"} if role else {}
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 30

    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        run()
