"""An admin session against the shipped catalog, through the fake Bot API, with timings.

Runs the real bot (as `qzbot run` does, live reload on) on a copy of `intents/` and
`seeds/`, and plays the session the README shows: a business asks what the catalog does
not cover, a non-admin is refused, the admin looks at the inbox, replaces an answer, creates
an intent, the business asks again, the admin looks at the history and restores. It prints
what each side said and how long each step took; a save includes validation and waiting
until live reload serves the edit ("live now").

    .venv/bin/python bench/admin_session.py
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bot.engine import Engine  # noqa: E402
from telegram_harness import BotHarness, captions  # noqa: E402

ADMIN, BUSINESS = 4242, 1001


def show(messages: list[dict]) -> None:
    for message in messages:
        text = message.get("text") or message.get("caption") or "(photo)"
        print("  bot > " + text.replace("\n", "\n        "))
        if captions(message):
            print("        [" + "] [".join(captions(message)) + "]")


async def session(tmp: Path) -> None:
    catalog = tmp / "catalog"
    shutil.copytree(ROOT / "intents", catalog / "intents", ignore=shutil.ignore_patterns("drafts", ".*"))
    shutil.copytree(ROOT / "seeds", catalog / "seeds")
    async with BotHarness(Engine.load(catalog), tmp, live_reload=True, catalog=catalog, admin_ids=(ADMIN,)) as bot:
        await asyncio.sleep(1)  # the catalog watcher is up
        timings: list[tuple[str, float]] = []

        async def say(who: int, text: str) -> list[dict]:
            print(f"\n{who} > " + text.replace("\n", "\n       "))
            start = time.monotonic()
            replies = await bot.say(text, chat_id=who)
            timings.append((text.splitlines()[0][:40], time.monotonic() - start))
            show(replies)
            return replies

        async def press(message: dict, caption: str) -> dict:
            print(f"\n{ADMIN} > (presses {caption})")
            start = time.monotonic()
            show(await bot.press(message, caption))
            timings.append((f"press {caption}", time.monotonic() - start))
            now = bot.current(message)
            print("  (the message now reads) " + now["text"].replace("\n", "\n        "))
            return now

        await say(BUSINESS, "泉州的外贸企业能拿到海关AEO认证补贴吗")
        await say(BUSINESS, "/answer customs.one_lock.what")
        await say(ADMIN, "/inbox")
        await say(ADMIN, "/answer customs.one_lock.what en")
        [preview] = await say(ADMIN, "The one-lock mode lets goods move between Fujian, Guangdong and Hong Kong "
                                     "under one customs seal.")
        await press(preview, "save")
        topics = (await say(ADMIN, "/newintent"))[-1]
        await press(topics, "活动与会展")
        await say(ADMIN, "2027 广交会泉州展团\n2027 Canton Fair Quanzhou delegation")
        await say(ADMIN, "广交会泉州怎么报名\n广交会泉州展团\nHow do I join the Quanzhou delegation at the Canton Fair?")
        await say(ADMIN, "请关注市商务局发布的展团报名通知。")
        await say(ADMIN, "Watch for the city commerce bureau's delegation sign-up notice.")
        [preview] = await say(ADMIN, "/skip")
        await press(preview, "save")
        await say(BUSINESS, "广交会泉州怎么报名")
        [listing] = await say(ADMIN, "/history customs.one_lock.what")
        await press(listing, "restore before")
        await press(bot.fake.sent(ADMIN)[-1], "✅")

        print("\nstep                                          seconds")
        for step, seconds in timings:
            print(f"{step:<45} {seconds:6.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="qzbot-admin-") as tmp:
        asyncio.run(session(Path(tmp)))


if __name__ == "__main__":
    main()
