"""End-to-end throughput of the Telegram bot against the fake Bot API on loopback.

The fake server (tests/fakebotapi.py) runs in a child process so it does not share the bot's
event loop or CPU time slice. The bot is the real one (`build_application` + `serve`, polling,
SQLite question log in a temp directory, rate limit off). N text updates from many users are
queued at once; the clock runs until the fake has received the N-th answer.

Prints updates answered per second, and the share of the wall time spent inside
`engine.ask` (matching) and inside the store's question log (in worker threads).

    .venv/bin/python bench/telegram_throughput.py [--updates 2000] [--users 200] [--catalog DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bot.config import Settings  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram import build_application, serve  # noqa: E402

CONCURRENCY = 0
OUT_OF_SCOPE = ["今天天气怎么样", "火锅哪家好吃", "周末去哪里玩", "what's the time"]


def fake_server(port_out, questions: list[str], users: int) -> None:
    """Child process: the fake Bot API plus two control routes for the benchmark."""
    from aiohttp import web

    from fakebotapi import FakeBotAPI

    async def main() -> None:
        fake = FakeBotAPI()
        await fake.start()

        async def push(request: web.Request) -> web.Response:
            for i, question in enumerate(questions):
                fake.message(question, chat_id=10_000 + i % users)
            return web.json_response({"queued": len(questions)})

        async def stats(request: web.Request) -> web.Response:
            return web.json_response({"answered": len(fake.calls_of("sendMessage")), "calls": len(fake.calls), "gu": [c.params.get("offset") for c in fake.calls_of("getUpdates")][:30], "errors": [c.error for c in fake.calls if c.error][:5]})

        control = web.Application()
        control.router.add_post("/push", push)
        control.router.add_get("/stats", stats)
        runner = web.AppRunner(control, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_out.send((fake.port, site._server.sockets[0].getsockname()[1]))
        await asyncio.Event().wait()

    asyncio.run(main())


def control(port: int, path: str, post: bool = False) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST" if post else "GET")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


async def measure(engine: Engine, api_port: int, control_port: int, n: int, database_url: str) -> dict:
    store = Store.open(database_url)
    store.upgrade()
    settings = replace(
        Settings(catalog=engine.catalog.root), telegram_token="123456789:AAFakeTokenForTestsOnly_x9Zq7",
        telegram_api_base_url=f"http://127.0.0.1:{api_port}/bot", database_url=database_url, rate_limit_per_minute=0,
    )
    timers = {"ask": 0.0, "log": 0.0}
    real_ask, real_log = engine.ask, store.log_question

    def timed_ask(question, language=None):
        start = time.perf_counter()
        try:
            return real_ask(question, language)
        finally:
            timers["ask"] += time.perf_counter() - start

    def timed_log(**kwargs):
        start = time.perf_counter()
        try:
            return real_log(**kwargs)
        finally:
            timers["log"] += time.perf_counter() - start

    engine.ask, store.log_question = timed_ask, timed_log
    app = build_application(settings, engine, store, **({"concurrent_updates": CONCURRENCY} if CONCURRENCY else {}))
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(app, settings, stop=stop, ready=ready))
    await ready.wait()
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, control, control_port, "/push", True)
    start, cpu_start = time.perf_counter(), _cpu()
    while (await loop.run_in_executor(None, control, control_port, "/stats"))["answered"] < n:
        await asyncio.sleep(0.02)
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu_start
    stop.set()
    await task
    logged = store.counts()["question_log"]
    store.close()
    engine.ask = real_ask
    return {"elapsed": elapsed, "cpu": cpu, "logged": logged, **timers}


def _cpu() -> float:
    """CPU seconds used by this process (all threads): the bot's side only."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=2000, help="text updates to answer")
    parser.add_argument("--users", type=int, default=200, help="distinct users sending them")
    parser.add_argument("--catalog", type=Path, default=ROOT, help="catalog directory (default: the shipped one)")
    parser.add_argument("--database", help="DATABASE_URL for the question log (default: SQLite file in a temp dir)")
    parser.add_argument("--concurrency", type=int, default=0, help="updates handled at once (default: the bot's)")
    args = parser.parse_args()
    global CONCURRENCY
    CONCURRENCY = args.concurrency

    engine = Engine.load(args.catalog)
    phrasings = [q for i in engine.catalog.intents.values() for q in i.questions.zh + i.questions.en]
    rng = random.Random(4)
    questions = [rng.choice(phrasings) if rng.random() < 0.9 else rng.choice(OUT_OF_SCOPE) for _ in range(args.updates)]

    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.Process(target=fake_server, args=(send, questions, args.users), daemon=True)
    child.start()
    api_port, control_port = receive.recv()
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite:///{tmp}/bench.sqlite3"
        result = asyncio.run(measure(engine, api_port, control_port, args.updates, database))
    child.terminate()

    elapsed = result["elapsed"]
    print(f"catalog: {len(engine.catalog.intents)} intents, {len(phrasings)} phrasings; "
          f"{args.updates} text updates from {args.users} users; question log: {database.split(':')[0]}")
    print(f"answered end to end: {args.updates / elapsed:,.0f} updates/s ({elapsed:.2f} s, {elapsed / args.updates * 1000:.2f} ms per update)")
    print(f"matching (engine.ask): {result['ask'] * 1000 / args.updates:.2f} ms per update, "
          f"{result['ask'] / elapsed:.0%} of the wall time")
    print(f"question log (store, worker threads): {result['log'] * 1000 / args.updates:.2f} ms per update, "
          f"{result['log'] / elapsed:.0%} of the wall time; {result['logged']} rows written")
    cpu = result["cpu"]
    print(f"bot process CPU: {cpu * 1000 / args.updates:.2f} ms per update ({cpu / elapsed:.0%} of one core; "
          f"{args.updates / cpu:,.0f} updates per CPU-second; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print("the rest: python-telegram-bot + httpx + HTTP to the fake server (2 calls per update: sendChatAction, sendMessage)")


if __name__ == "__main__":
    main()
