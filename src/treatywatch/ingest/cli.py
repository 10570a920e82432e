"""CLI commands of the ingest stage, registered on the root app by treatywatch.cli."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root `treatywatch` app."""


def demo_step() -> None:
    """This stage's part of `make demo` (called by treatywatch.demo)."""
