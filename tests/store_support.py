"""Helpers of the store tests: the engines to run them on, and submissions that differ by known findings."""

from __future__ import annotations

import copy
import os
import uuid
from pathlib import Path

import pytest
import yaml

from sakip_checker.inputs import YamlLoader

ROOT = Path(__file__).resolve().parent.parent
BIRO = ROOT / "examples/biro-pemerintahan-otda-2023.yaml"
CLEAN = ROOT / "examples/biro-contoh-bersih-2023.yaml"
PG_SKIP = ("PostgreSQL tests skipped: set SAKIP_TEST_PG=postgresql+psycopg://user:pass@host/db to a database "
           "the tests may create schemas in (.ci/run starts one)")


def load(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)


def biro_fixed() -> dict:
    """The Biro example with its Rencana Aksi dated: REN-002 resolved, everything else the same."""
    data = copy.deepcopy(load(BIRO))
    data["rencana_aksi"]["tanggal"] = "2023-01-20"
    return data


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class PgSchema:
    """A private schema in the test PostgreSQL database, so that tests do not see each other's rows."""

    def __init__(self, base: str):
        from sqlalchemy import create_engine, text

        self.base = base
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self._engine = create_engine(base)
        with self._engine.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{self.name}"'))
        separator = "&" if "?" in base else "?"
        self.url = f"{base}{separator}options=-csearch_path%3D{self.name}"

    def drop(self) -> None:
        from sqlalchemy import text

        with self._engine.begin() as c:
            c.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self._engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty store URL on each engine (PostgreSQL only with SAKIP_TEST_PG)."""
    if request.param == "sqlite":
        yield str(tmp_path / "riwayat.db")
        return
    base = os.environ.get("SAKIP_TEST_PG")
    if not base:
        pytest.skip(PG_SKIP)
    schema = PgSchema(base)
    try:
        yield schema.url
    finally:
        schema.drop()
