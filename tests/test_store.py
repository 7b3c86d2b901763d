"""The store on in-memory SQLite, an SQLite file, and PostgreSQL when TEST_DATABASE_URL is set
(each PostgreSQL test works in a schema of its own, dropped afterwards)."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.store import Store, StoreError, normalize_url
from bot.store.migrate import head_revision
from bot.store.schema import QUESTION_MAX_CHARS, Base

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite-memory", "sqlite-file"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    if request.param == "sqlite-memory":
        yield "sqlite://"
    elif request.param == "sqlite-file":
        yield f"sqlite:///{tmp_path / 'sub' / 'bot.sqlite3'}"
    else:
        schema = f"qzbot_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(normalize_url(PG_URL))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(normalize_url(PG_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


@pytest.fixture
def store(db_url):
    store = Store.open(db_url)
    store.upgrade()
    yield store
    store.close()


def test_upgrade_is_idempotent_and_keeps_data(db_url):
    store = Store.open(db_url)
    assert store.revision() is None
    store.upgrade()
    store.log_question(user_id=1, chat_id=1, question="海外仓有多少个", outcome="answer", intent="a.b", score=91.5, language="zh")
    store.upgrade()
    assert store.revision() == head_revision()
    assert store.counts() == {"users": 1, "question_log": 1, "feedback": 0, "subscriptions": 0, "sent_items": 0, "digest_outbox": 0}
    store.close()


def test_migrations_match_the_models(store):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_questions_users_and_feedback(store):
    long_question = "请问" * 3000
    first = store.log_question(user_id=42, chat_id=-100, question=long_question, outcome="fallback", intent=None, score=12.0, language="zh")
    second = store.log_question(user_id=42, chat_id=42, question="fund?", outcome="answer", intent="funds.trade_fund", score=99.0, language="en")
    assert second > first
    newest, oldest = store.recent_questions()
    assert len(oldest.question) == QUESTION_MAX_CHARS and oldest.chat_id == -100 and oldest.intent is None
    assert (newest.outcome, newest.intent, newest.score, newest.language) == ("answer", "funds.trade_fund", 99.0, "en")
    store.add_feedback(user_id=42, intent="funds.trade_fund", helpful=True, question_id=second)
    store.add_feedback(user_id=7, intent="funds.trade_fund", helpful=False, question_id=987654)  # no such question
    store.add_feedback(user_id=7, intent="funds.warehouses", helpful=True)
    assert store.feedback_rows() == [(42, "funds.trade_fund", True, second), (7, "funds.trade_fund", False, None),
                                     (7, "funds.warehouses", True, None)]
    assert store.counts() == {"users": 2, "question_log": 2, "feedback": 3, "subscriptions": 0, "sent_items": 0, "digest_outbox": 0}


def test_language_choice(store):
    assert store.user_language(5) is None
    store.touch_user(5)
    assert store.user_language(5) is None
    store.set_language(5, "en")
    store.set_language(6, "zh")  # first contact through /lang
    assert (store.user_language(5), store.user_language(6)) == ("en", "zh")
    store.set_language(5, None)
    assert store.user_language(5) is None


def test_concurrent_first_contact_of_one_user(store):
    errors = []

    def work(n: int) -> None:
        try:
            store.log_question(user_id=77, chat_id=77, question=f"q{n}", outcome="answer", intent="x.y", score=90, language="zh")
        except StoreError as exc:  # pragma: no cover - the failure we guard against
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and store.counts()["users"] == 1 and store.counts()["question_log"] == 8


@pytest.mark.parametrize("url,message", [
    ("postgresql://bot:hunter2@127.0.0.1:1/qz", "database postgresql://bot:***@127.0.0.1:1/qz: connection failed"),
    ("nosuchdb://x", "cannot be used"),
    ("not a url", "is not a database URL"),
])
def test_unusable_database_is_one_clear_line(url, message):
    with pytest.raises(StoreError) as caught:
        Store.open(url).upgrade()
    assert message in str(caught.value) and "\n" not in str(caught.value) and "hunter2" not in str(caught.value)


def test_sqlite_directory_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot create the database directory"):
        Store.open(f"sqlite:///{blocker / 'sub' / 'x.sqlite3'}")


def test_cli_db_upgrade_creates_then_keeps(run_cli, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'data' / 'qz.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    result = run_cli("db", "upgrade")
    assert result.exit_code == 0 and "upgraded from empty to revision 0003" in result.output
    store = Store.open(url)
    store.touch_user(1)
    result = run_cli("db", "upgrade")
    assert "is up to date (revision 0003)" in result.output and store.counts()["users"] == 1
    store.close()
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:hunter2@127.0.0.1:1/qz")
    result = run_cli("db", "upgrade")
    assert result.exit_code == 1 and result.output.startswith("Error: database ") and "hunter2" not in result.output
