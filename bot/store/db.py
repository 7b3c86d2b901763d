"""Database URLs and engines: where the data lives and how we connect to it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool


class StoreError(RuntimeError):
    """The database cannot be used; the message is one line a person can act on."""


def normalize_url(url: str) -> str:
    """Map plain PostgreSQL URLs to the psycopg 3 driver we ship with.

    >>> normalize_url("postgresql://postgres@127.0.0.1:5432/test")
    'postgresql+psycopg://postgres@127.0.0.1:5432/test'
    >>> normalize_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> normalize_url("sqlite:///data/qzbot.sqlite3")
    'sqlite:///data/qzbot.sqlite3'
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def redact_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs.

    >>> redact_url("postgresql://bot:s3cret@db:5432/qz")
    'postgresql://bot:***@db:5432/qz'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def is_memory_sqlite(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def create_db_engine(url: str) -> Engine:
    """An Engine for `url`; for SQLite files the parent directory is created first."""
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"DATABASE_URL is not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(url, parsed.database)
        if backend == "postgresql":
            # Fail fast instead of hanging on an unreachable host.
            return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        hint = " (install it with: pip install 'qzbot[postgres]')" if backend == "postgresql" else ""
        raise StoreError(f"the database driver {exc.name!r} is not installed{hint}") from None
    except ArgumentError as exc:
        raise StoreError(f"DATABASE_URL {redact_url(url)} cannot be used: {exc}") from None


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database in (None, "", ":memory:"):
        # One shared connection, usable from worker threads: otherwise each thread would get
        # its own, empty, in-memory database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        path = Path(database)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the database directory {path.parent}: {exc.strerror}") from None
        # The bot writes from a worker thread while the event loop keeps running; wait for a
        # lock rather than failing at once.
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")  # SQLite leaves them off by default
        if database not in (None, "", ":memory:"):
            # WAL lets readers (stats, exports) run while the bot writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine
