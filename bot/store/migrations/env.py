"""Alembic environment, run programmatically by bot.store.migrate (there is no alembic.ini).

The caller hands over an open connection in `config.attributes["connection"]`, so migrations
run on exactly the engine the bot uses (also an in-memory SQLite one in tests).
"""

from alembic import context

from bot.store.schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `qzbot db upgrade` (bot.store.migrate), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
