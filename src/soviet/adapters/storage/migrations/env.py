"""Alembic environment: migrations run on the connection soviet hands over."""

from __future__ import annotations

from alembic import context

from soviet.adapters.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("soviet runs migrations itself: use 'soviet init'")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
