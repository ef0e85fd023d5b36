"""The history store: submissions, runs, findings by fingerprint, follow-up history and waivers.

Embedded by default (a SQLite file, ``sakip.db`` in the current folder, or ``SAKIP_DB``), PostgreSQL by URL
(``postgresql://user:pass@host/db``). Opening a store brings its schema up to date (Alembic migrations in
``migrations/``)."""

from engine.store.api import DEFAULT_DB, Store, StoreError, open_store, resolve_url  # noqa: F401
