"""Runs the real bot (`build_application` + `serve`, as `qzbot run` does) against the fake Bot API.

    async with BotHarness(engine, tmp_path) as bot:
        replies = await bot.say("海外仓有多少个")

`say` and `press` queue an update, wait until the bot has finished with everything (no update
pending, no handler running, no request in flight) and return the messages it sent meanwhile,
so tests assert what the user saw without sleeping for arbitrary times.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.store import Store
from bot.telegram import build_application, serve
from fakebotapi import FakeBotAPI


class BotHarness:
    def __init__(self, engine, tmp_path: Path, *, webhook: dict | None = None, read_timeout: float = 10.0,
                 live_reload: bool = False, **settings: Any):
        self.engine = engine
        self.live_reload = live_reload
        self.tmp_path = tmp_path
        self.webhook = webhook  # {"port": ..., "secret": ...} for webhook mode
        self.read_timeout = read_timeout
        self.overrides = settings
        self.fake = FakeBotAPI()
        self.stop = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.result: bool | None = None

    async def __aenter__(self) -> "BotHarness":
        await self.fake.start()
        self.store = Store.open(f"sqlite:///{self.tmp_path / 'bot.sqlite3'}")
        self.store.upgrade()
        self.settings = replace(
            Settings(catalog=self.tmp_path),
            telegram_token=self.fake.token,
            telegram_api_base_url=self.fake.base_url,
            database_url=self.store.url,
            **self.overrides,
        )
        webhook_url = None
        if self.webhook:
            self.settings = replace(
                self.settings, webhook_listen="127.0.0.1", webhook_port=self.webhook["port"],
                webhook_secret=self.webhook.get("secret"),
            )
            webhook_url = f"http://127.0.0.1:{self.webhook['port']}/telegram/hook"
        self.app = build_application(self.settings, self.engine, self.store, read_timeout=self.read_timeout)
        ready = asyncio.Event()
        self.task = asyncio.create_task(serve(self.app, self.settings, webhook_url=webhook_url, stop=self.stop, ready=ready,
                                               live_reload=self.live_reload))
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait({self.task, waiter}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if self.task.done():  # it stopped (or failed) while starting
            self.result = self.task.result()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.stop.set()
        if self.task is not None:
            self.result = await asyncio.wait_for(self.task, 15)
        await self.fake.stop()
        self.store.close()

    # -- talking to the bot -----------------------------------------------------------------
    async def say(self, text: str | None, *, chat_id: int = 1001, **kwargs: Any) -> list[dict]:
        before = len(self.fake.sent(chat_id))
        self.fake.message(text, chat_id=chat_id, **kwargs)
        await self.settle()
        return self.fake.sent(chat_id)[before:]

    async def press(self, message: dict, caption: str, **kwargs: Any) -> list[dict]:
        """Press the button whose caption contains `caption` on `message`; returns new messages."""
        data = button_data(message, caption)
        chat_id = message["chat"]["id"]
        before = len(self.fake.sent(chat_id))
        self.fake.callback(data, self.fake.messages[(chat_id, message["message_id"])], **kwargs)
        await self.settle()
        return self.fake.sent(chat_id)[before:]

    def toast(self) -> dict:
        """The last answerCallbackQuery: what the user saw pop up after pressing a button."""
        return list(self.fake.answered_queries.values())[-1]

    def current(self, message: dict) -> dict:
        """`message` as it is now (after edits)."""
        return self.fake.messages[(message["chat"]["id"], message["message_id"])]

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until every queued update was fetched and fully handled."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 3:
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not finish handling the updates")
            if self.task is not None and self.task.done():
                return
            fetched = self.webhook is not None or self.fake.acked_update_id >= self.fake.last_update_id
            idle = (
                fetched and self.app.update_queue.empty() and self.fake.in_flight == 0
                and self.app.update_processor.current_concurrent_updates == 0
            )
            quiet = quiet + 1 if idle else 0
            await asyncio.sleep(0.005)


def buttons(message: dict) -> list[tuple[str, str]]:
    """(caption, callback data) of every inline button on a message, row by row."""
    markup = message.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


def button_data(message: dict, caption: str) -> str:
    for text, data in buttons(message):
        if caption in text:
            return data
    raise AssertionError(f"no button {caption!r} in {buttons(message)}")


def run(coro):
    return asyncio.run(coro)


def captions(message: dict) -> list[str]:
    return [caption for caption, _ in buttons(message)]
