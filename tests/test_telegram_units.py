"""The Telegram layer's pure parts: callback data, HTML rendering and splitting, keyboards,
the rate limiter, log redaction, settings. (End-to-end behaviour: test_telegram_e2e.py.)"""

from __future__ import annotations

import doctest
import logging

import pytest

from bot import config
from bot.config import Settings, SettingsError
from bot.engine import Reply, SourceRef, Suggestion
from bot.telegram import callbacks, keyboards, logs, messages, ratelimit, render
from bot.telegram.callbacks import IntentCodes
from telegram_html import HTMLError, parse_html, utf16_len


@pytest.mark.parametrize("module", [callbacks, render, ratelimit, messages, config])
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


# -- callback data --------------------------------------------------------------------------


def test_every_button_of_the_shipped_catalog_fits_64_bytes(engine):
    codes = IntentCodes(engine.catalog.intents)
    for intent_id in engine.catalog.intents:
        code = codes.code(intent_id)
        assert codes.intent(code) == intent_id
        for data in (callbacks.answer_data("zh", code), callbacks.browse_answer_data("en", code, 99),
                     callbacks.feedback_data(False, code, 2**31 - 1)):
            assert callbacks.fits(data) and callbacks.parse(data) is not None
    for topic in engine.catalog.topics:
        for data in (callbacks.topic_data("en", topic, 12), callbacks.subscribe_data(topic)):
            assert callbacks.fits(data) and callbacks.parse(data) is not None


def test_codes_are_stable_and_do_not_shift_when_the_catalog_changes():
    before = IntentCodes(["a.one", "a.two", "a.three"])
    after = IntentCodes(["a.three", "a.zero", "a.one"])
    assert before.code("a.one") == after.code("a.one")
    assert after.intent(before.code("a.two")) is None  # removed: stale, never another intent


@pytest.mark.parametrize("data", [
    "a:fr:AAAAAAAA", "a:zh:AAAA", "a:zh:AAAAAAAA:extra", "tp:zh:Funds:0", "tp:zh:funds:-1",
    "t:zh:x", "fb:maybe:AAAAAAAA:1", "sub:", "sub:../x", "lang:de", "b:zh:AAAAAAAA:1e3", "a:zh:AAAAAAA<",
])
def test_malformed_callback_data_is_rejected(data):
    assert callbacks.parse(data) is None


# -- HTML rendering ---------------------------------------------------------------------------


def reply(body: str, *, title: str = "标题", lang: str = "zh", quote: str = "原文") -> Reply:
    source = SourceRef(doc="d", title="文件 <一>", title_en="File <1>", publisher="报 & 社", date="2026-01", quote=quote)
    return Reply("q", "answer", lang, "x.y", 90.0, "", title=title, body=body, topic="funds", sources=[source])


def test_catalog_text_is_escaped_and_valid_telegram_html():
    [html] = render.answer_messages(reply("A & B <script>alert(1)</script>", title="<b>粗</b>", quote="x < y"))
    visible = parse_html(html)
    assert visible.startswith("<b>粗</b>\n\nA & B <script>alert(1)</script>")
    assert "来源：文件 <一>（报 & 社，2026-01）" in visible and "x < y" in visible


@pytest.mark.parametrize("body", [
    ("这是一段很长的说明。" * 60 + "\n\n") * 30,  # paragraphs
    "这是一段很长的说明" * 2000,  # no boundary at all
    "<&>" * 5000,  # escaping triples the length
    "😀 emoji count twice. " * 800,
])
def test_long_answers_split_on_boundaries_under_the_limit(body):
    messages = render.answer_messages(reply(body))
    assert 1 < len(messages) <= render.MAX_MESSAGES
    for html in messages:
        assert utf16_len(html) <= render.LIMIT
        parse_html(html)  # every piece is self-contained HTML
    assert "来源：" in parse_html(messages[-1])  # trimming cuts the body, never the source


def test_fake_refuses_what_telegram_refuses():
    for bad in ["<b>unclosed", "a < b", "<script>x</script>", "&nbsp;", "<b><i>x</b></i>"]:
        with pytest.raises(HTMLError):
            parse_html(bad)
    assert parse_html('<blockquote expandable>q &amp; a</blockquote>') == "q & a"


# -- keyboards --------------------------------------------------------------------------------


def test_long_lists_are_paged_with_navigation():
    items = [Suggestion(f"t.i{n}", f"问题 {n}") for n in range(19)]
    codes = IntentCodes(s.intent for s in items)
    first = keyboards.intents_keyboard("t", items, codes, "zh", 0).inline_keyboard
    assert [b.text for b in first[-2]] == ["下一页 ›"] and first[-1][0].text == "« 全部主题"
    assert len(first) == keyboards.PAGE_SIZE + 2
    last = keyboards.intents_keyboard("t", items, codes, "zh", 2).inline_keyboard
    assert [r[0].text for r in last[:3]] == ["问题 16", "问题 17", "问题 18"]
    assert [b.text for b in last[-2]] == ["‹ 上一页"]
    assert keyboards.pages(19) == 3


def test_button_labels_are_cut_and_feedback_row_can_be_removed():
    codes = IntentCodes(["x.y", "x.z"])
    r = Reply("q", "answer", "en", "x.y", 90.0, "", title="T", body="B", topic="x",
              related=[Suggestion("x.z", "A very long related question title " * 5)])
    markup = keyboards.answer_keyboard(r, codes, 7)
    assert len(markup.inline_keyboard[0][0].text) <= keyboards.LABEL_CHARS
    assert markup.inline_keyboard[-1][0].callback_data == f"fb:y:{codes.code('x.y')}:7"
    assert [row[0].text for row in keyboards.without_feedback(markup).inline_keyboard][-1] == "🔔 Subscribe to this topic"


# -- rate limit, logs, settings ---------------------------------------------------------------


def test_rate_limit_is_per_user_and_can_be_off():
    clock = [0.0]
    limiter = ratelimit.RateLimiter(3, clock=lambda: clock[0])
    assert [limiter.check(1).value for _ in range(5)] == ["allow"] * 3 + ["notify", "drop"]
    assert limiter.check(2).value == "allow"
    clock[0] = 60.0
    assert [limiter.check(1).value for _ in range(4)] == ["allow"] * 3 + ["notify"]
    off = ratelimit.RateLimiter(0)
    assert all(off.check(1).value == "allow" for _ in range(100))


def test_redact_filter_hides_secrets_in_messages_and_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "GET %s failed", ("https://h/bot123:SECRET/getMe",), None)
    try:
        raise RuntimeError("url https://h/bot123:SECRET/x")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    logs.Redact(["123:SECRET"]).filter(record)
    assert "SECRET" not in record.getMessage() and "SECRET" not in record.exc_text


def test_settings_from_env(monkeypatch):
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN",
                 "WEBHOOK_PORT", "DATABASE_URL", "RATE_LIMIT_PER_MINUTE", "ADMIN_IDS", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "load_dotenv", lambda **kw: None)
    default = Settings.from_env()
    assert (default.webhook_listen, default.webhook_port, default.rate_limit_per_minute, default.admin_ids) == ("0.0.0.0", 8443, 20, ())
    assert default.database_url == "sqlite:///data/qzbot.sqlite3"
    monkeypatch.setenv("ADMIN_IDS", "11, 22 33")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    custom = Settings.from_env()
    assert custom.admin_ids == (11, 22, 33) and custom.log_level == "DEBUG"
    assert custom.telegram_api_base_file_url == "http://127.0.0.1:8081/file/bot"
    for name, value, words in [("WEBHOOK_PORT", "http", "WEBHOOK_PORT"), ("WEBHOOK_PORT", "70000", "between"),
                               ("ADMIN_IDS", "alice", "ADMIN_IDS"), ("WEBHOOK_SECRET", "has space", "WEBHOOK_SECRET"),
                               ("RATE_LIMIT_PER_MINUTE", "-1", "RATE_LIMIT_PER_MINUTE")]:
        monkeypatch.setenv(name, value)
        with pytest.raises(SettingsError, match=words):
            Settings.from_env()
        monkeypatch.delenv(name)
