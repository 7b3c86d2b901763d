"""A fake Telegram Bot API server for end-to-end tests (aiohttp, 127.0.0.1, a free port).

It serves queued updates through long-polling getUpdates, answers the methods the bot uses
the way Telegram does (including Telegram's HTML parsing rules and the 4096-character limit,
so a badly escaped or too long message fails here as it would there), records every call with
its parameters, and injects faults: an error status (429 with retry_after, 403, 5xx, 409) or a
delay, for a method, optionally only for one chat, a number of times or for good.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from telegram_html import HTMLError, parse_html, utf16_len

TOKEN = "123456789:AAFakeTokenForTestsOnly_x9Zq7"
BOT_USER = {
    "id": 123456789, "is_bot": True, "first_name": "QZ Policy", "username": "qz_policy_bot",
    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False,
}
TEXT_PARAMS = {"text", "callback_query_id", "url", "secret_token", "parse_mode", "action", "language_code", "caption"}


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


@dataclass
class Fault:
    method: str
    status: int | None = None  # None: only delay, then answer normally
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    times: int | None = 1  # None: for good
    chat_id: int | None = None

    def matches(self, method: str, params: dict) -> bool:
        if self.method != method or self.times == 0:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    done_at: float | None = None
    error: str | None = None


@dataclass
class FakeBotAPI:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    commands: dict[str | None, list] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._query_ids = itertools.count(1)
        self._arrived = asyncio.Event()
        self._closing = False
        self.messages: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) -> message the bot sent
        self.chats: dict[int, dict] = {}
        self.answered_queries: dict[str, dict] = {}
        self.acked_update_id = 0  # the bot confirmed every update up to this id
        self.in_flight = 0  # requests being answered, getUpdates aside
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- server ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> "FakeBotAPI":
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)  # the access log would show the token
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._arrived.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- updates the "users" send -----------------------------------------------------------
    def push(self, update: dict) -> dict:
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._arrived.set()
        return update

    @property
    def last_update_id(self) -> int:
        return self._updates[-1]["update_id"] if self._updates else 0

    def user(self, user_id: int, language_code: str | None = "zh-hans", first_name: str = "Tester") -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    def chat(self, chat_id: int, chat_type: str = "private") -> dict:
        chat = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Traders group"
        self.chats[chat_id] = chat
        return chat

    def message(self, text: str | None, *, chat_id: int = 1001, user_id: int | None = None, chat_type: str = "private",
                language_code: str | None = "zh-hans", reply_to: dict | None = None, edited: bool = False, **extra: Any) -> dict:
        """Queue a message update (text, or other content given in `extra`, e.g. sticker=...)."""
        message = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": self.chat(chat_id, chat_type), "from": self.user(user_id or chat_id, language_code),
        }
        if text is not None:
            message["text"] = text
            entities = list(extra.pop("entities", []))
            if text.startswith("/"):
                command = text.split()[0]
                entities.insert(0, {"type": "bot_command", "offset": 0, "length": utf16_len(command)})
            for mention in re.finditer(r"@\w+", text):
                entities.append({"type": "mention", "offset": utf16_len(text[: mention.start()]), "length": utf16_len(mention.group())})
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(extra)
        if edited:
            message["edit_date"] = int(time.time())
            return self.push({"edited_message": message})
        return self.push({"message": message})

    def callback(self, data: str, message: dict, *, user_id: int | None = None, language_code: str | None = "zh-hans") -> dict:
        """Queue a button press on `message` (a message the bot sent) carrying `data`."""
        query = {
            "id": str(next(self._query_ids)), "from": self.user(user_id or message["chat"]["id"], language_code),
            "chat_instance": "ci-1", "data": data, "message": message,
        }
        return self.push({"callback_query": query})

    # -- faults -------------------------------------------------------------------------
    def fail(self, method: str, status: int | None = None, description: str = "", **kwargs: Any) -> Fault:
        fault = Fault(method, status, description or _describe(status), **kwargs)
        self.faults.append(fault)
        return fault

    # -- what the bot did -----------------------------------------------------------------
    def calls_of(self, method: str, chat_id: int | None = None, *, ok_only: bool = True) -> list[Call]:
        return [
            c for c in self.calls
            if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id) and not (ok_only and c.error)
        ]

    def sent(self, chat_id: int | None = None) -> list[dict]:
        """Messages the bot sent successfully, oldest first (as stored, with visible text)."""
        return [m for (cid, _), m in sorted(self.messages.items(), key=lambda kv: kv[1]["_seq"]) if chat_id in (None, cid)]

    # -- the API --------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"), call)
        busy = method != "getUpdates"
        self.in_flight += busy
        try:
            for fault in self.faults:
                if fault.matches(method, params):
                    if fault.times is not None:
                        fault.times -= 1
                    if fault.delay:
                        await asyncio.sleep(fault.delay)
                    if fault.status is not None:
                        raise ApiError(fault.status, fault.description, fault.retry_after)
                    break
            handler = getattr(self, "api_" + method, None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
            call.done_at = time.monotonic()
            return web.json_response({"ok": True, "result": result})
        except ApiError as exc:
            return _error(exc, call)
        finally:
            self.in_flight -= busy

    async def api_getMe(self, params: dict) -> dict:
        return BOT_USER

    async def api_getUpdates(self, params: dict) -> list[dict]:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        self.acked_update_id = max(self.acked_update_id, offset - 1)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            pending = [u for u in self._updates if u["update_id"] >= offset]
            if pending or self._closing or time.monotonic() >= deadline:
                return pending[: int(params.get("limit") or 100)]
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
            except TimeoutError:
                pass

    async def api_sendMessage(self, params: dict) -> dict:
        chat_id = params["chat_id"]
        text = _visible(params)
        message = self._store(chat_id, {"text": text, "html": params.get("text"), "reply_markup": params.get("reply_markup")})
        if params.get("reply_parameters"):
            message["reply_to_message_id"] = params["reply_parameters"].get("message_id")
        return _public(message)

    async def api_sendPhoto(self, params: dict) -> dict:
        return _public(self._store(params["chat_id"], {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 1, "height": 1}]}))

    async def api_editMessageText(self, params: dict) -> dict:
        message = self._find(params)
        text = _visible(params)
        markup = params.get("reply_markup")
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
        message.update(text=text, html=params.get("text"), reply_markup=markup, edited=message.get("edited", 0) + 1)
        return _public(message)

    async def api_editMessageReplyMarkup(self, params: dict) -> dict:
        message = self._find(params)
        message["reply_markup"] = params.get("reply_markup")
        return _public(message)

    async def api_answerCallbackQuery(self, params: dict) -> bool:
        query_id = params["callback_query_id"]
        if query_id in self.answered_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.answered_queries[query_id] = params
        return True

    async def api_sendChatAction(self, params: dict) -> bool:
        return True

    async def api_setMyCommands(self, params: dict) -> bool:
        self.commands[params.get("language_code")] = params["commands"]
        return True

    async def api_deleteMyCommands(self, params: dict) -> bool:
        self.commands.pop(params.get("language_code"), None)
        return True

    async def api_getMyCommands(self, params: dict) -> list:
        return self.commands.get(params.get("language_code"), [])

    async def api_setWebhook(self, params: dict) -> bool:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token"), "allowed_updates": params.get("allowed_updates")}
        return True

    async def api_deleteWebhook(self, params: dict) -> bool:
        self.webhook = None
        return True

    async def api_getWebhookInfo(self, params: dict) -> dict:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    # -- helpers --------------------------------------------------------------------------
    def _store(self, chat_id: int, content: dict) -> dict:
        chat = self.chats.get(chat_id) or {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        seq = next(self._message_ids)
        message = {"message_id": seq, "date": int(time.time()), "chat": chat, "from": BOT_USER, "_seq": seq, **content}
        self.messages[(chat_id, seq)] = message
        return message

    def _find(self, params: dict) -> dict:
        message = self.messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message


def _visible(params: dict) -> str:
    text = params.get("text") or ""
    if params.get("parse_mode") == "HTML":
        try:
            text = parse_html(text)
        except HTMLError as exc:
            raise ApiError(400, f"Bad Request: {exc}") from None
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def _public(message: dict) -> dict:
    """The message as the Bot API returns it (without our bookkeeping keys)."""
    return {k: v for k, v in message.items() if k not in ("_seq", "html", "edited") and v is not None}


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return await request.json()
    form = await request.post()  # PTB sends form fields with JSON-encoded non-string values
    params = {k: (v if k in TEXT_PARAMS else _maybe_json(v)) for k, v in form.items() if isinstance(v, str)}
    params.update({k: v.file.read() for k, v in form.items() if isinstance(v, web.FileField)})  # uploads, as bytes
    return params


def _maybe_json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _describe(status: int | None) -> str:
    return {
        403: "Forbidden: bot was blocked by the user", 409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        429: "Too Many Requests: retry after 1", 500: "Internal Server Error", 502: "Bad Gateway",
    }.get(status or 0, "Error")


def _error(exc: ApiError, call: Call) -> web.Response:
    call.error, call.done_at = exc.description, time.monotonic()
    body: dict[str, Any] = {"ok": False, "error_code": exc.status, "description": exc.description}
    if exc.retry_after is not None:
        body["parameters"] = {"retry_after": exc.retry_after}
    return web.json_response(body, status=exc.status)
