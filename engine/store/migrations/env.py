"""Alembic environment of the history store: always run by ``engine.store`` on an open connection (the
store migrates itself when opened). Concurrent openers are serialised: SQLite by its immediate write
transaction, PostgreSQL by a transaction-level advisory lock."""

from alembic import context

from sakip_checker.store.models import Base

MIGRATION_LOCK = 0x5A4B1D  # pg_advisory_xact_lock key of the store's migrations

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    context.run_migrations()
