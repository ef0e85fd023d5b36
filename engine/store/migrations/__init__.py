"""Alembic migrations of the history store. ``HEAD`` is the newest revision: a store already there is opened
without loading Alembic (tests/test_store.py checks it against the scripts)."""

HEAD = "0002"
