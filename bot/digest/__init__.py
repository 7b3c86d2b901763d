"""Digests: what is new for a subscriber (compose), how it reads (render), when it is due
(schedule), and how it is delivered exactly once within Telegram's limits (outbox, sender).

Library code: nothing here imports `telegram`; the Telegram layer hands the sender an async
send callable that raises this package's `SendError`s.
"""

from bot.digest.compose import Digest, DigestItem, compose
from bot.digest.errors import Blocked, Rejected, RetryLater, SendError, Transient
from bot.digest.render import DigestMessage, render

__all__ = [
    "Blocked", "Digest", "DigestItem", "DigestMessage", "Rejected", "RetryLater", "SendError", "Transient",
    "compose", "render",
]
