"""The history store: submissions, runs, findings by fingerprint, follow-up history and waivers.

Embedded by default (a SQLite file, ``sakip.db`` in the current folder, or ``SAKIP_DB``), PostgreSQL by URL
(``postgresql://user:pass@host/db``). Opening a store brings its schema up to date (Alembic migrations in
``migrations/``)."""

__all__ = ["DEFAULT_DB", "Store", "StoreError", "open_store", "resolve_url"]


def __getattr__(name: str):  # SQLAlchemy is loaded only when the store is used, not by the reports
    if name in __all__:
        from sakip_checker.store import api

        return getattr(api, name)
    raise AttributeError(name)
