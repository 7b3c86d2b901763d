"""Retries for Bot API calls: PTB hands every request except getUpdates to this "rate limiter".

- 429 RetryAfter: wait as long as Telegram says, then send again.
- 5xx and connection errors: back off briefly and try again (the request was not processed).
- Timeouts: repeat only calls that are safe to repeat; a sendMessage that timed out may have
  arrived, and sending it twice is worse than the error handler's apology.
- 400 and 403 are answers, not faults: raised at once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

SAFE_TO_REPEAT = frozenset({
    "getMe", "sendChatAction", "setMyCommands", "deleteMyCommands", "setWebhook", "deleteWebhook",
    "getWebhookInfo", "editMessageText", "editMessageReplyMarkup", "close", "logOut",
})


def retry_after_seconds(exc: RetryAfter) -> float:
    value = getattr(exc, "_retry_after", None)  # a timedelta in PTB 22; the public one may be an int
    return value.total_seconds() if value is not None else float(exc.retry_after)


class RetryingLimiter(BaseRateLimiter[None]):
    def __init__(self, *, max_retries: int = 3, max_wait: float = 120.0, backoff: float = 0.5):
        self.max_retries = max_retries
        self.max_wait = max_wait  # longer waits are not waited out inside one update
        self.backoff = backoff

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args) -> Any:  # noqa: ANN001
        if isinstance(rate_limit_args, dict) and rate_limit_args.get("raw"):
            return await callback(*args, **kwargs)  # the digest sender paces and retries itself
        attempt = 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if attempt >= self.max_retries or wait > self.max_wait:
                    raise
                log.warning("Telegram flood control on %s: waiting %.0f s before retrying", endpoint, wait)
                await asyncio.sleep(wait)
            except BadRequest:
                raise
            except TimedOut as exc:
                pool = "Pool timeout" in str(exc)  # never left this process: safe to repeat
                if attempt >= self.max_retries or not (pool or endpoint in SAFE_TO_REPEAT):
                    raise
                log.info("%s timed out (%s); retrying", endpoint, exc)
                await asyncio.sleep(self.backoff * 2**attempt)
            except NetworkError as exc:
                if attempt >= self.max_retries:
                    raise
                log.warning("%s failed (%s); retrying", endpoint, exc)
                await asyncio.sleep(self.backoff * 2**attempt)
            attempt += 1
