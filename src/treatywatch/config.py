"""Where treatywatch keeps its data, from the environment.

``TREATYWATCH_DATABASE_URL`` picks the store (any SQLAlchemy URL, e.g.
``postgresql+psycopg://user@host/db``); otherwise a SQLite file lives in
``TREATYWATCH_DATA_DIR`` (default: the user's data directory), so the tool
works with no server and the whole dataset is one portable file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

DATABASE_URL_ENV = "TREATYWATCH_DATABASE_URL"
DATA_DIR_ENV = "TREATYWATCH_DATA_DIR"
DB_FILENAME = "treatywatch.db"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def data_dir() -> Path:
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured).expanduser() if configured else Path(user_data_dir("treatywatch"))


def settings() -> Settings:
    """Settings read fresh from the environment (cheap; tests change it)."""
    directory = data_dir()
    url = os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{directory / DB_FILENAME}"
    return Settings(data_dir=directory, database_url=url)
