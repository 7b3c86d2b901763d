"""Storage: users, the question log and feedback (SQLAlchemy 2, SQLite or PostgreSQL).

Library code: it knows nothing of Telegram. Open it with `Store.open(url)`; `upgrade()` brings
the schema to the newest Alembic revision shipped in `bot/store/migrations`.
"""

from bot.store.db import StoreError, normalize_url, redact_url
from bot.store.store import Store

__all__ = ["Store", "StoreError", "normalize_url", "redact_url"]
