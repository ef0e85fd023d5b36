import pytest

from sakip_checker.rules import load_catalogue


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


from store_support import db_url  # noqa: E402,F401  (the store tests' engines: SQLite, PostgreSQL)
