"""What a send callable raises; the Telegram layer maps telegram.error types onto these."""

from __future__ import annotations


class SendError(Exception):
    """A digest message could not be delivered."""


class RetryLater(SendError):
    """Flood control (HTTP 429): wait `seconds`, then try again."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds} s")
        self.seconds = float(seconds)


class Blocked(SendError):
    """The chat will never take messages from us (HTTP 403: blocked, kicked, deactivated)."""


class Transient(SendError):
    """A timeout, network error or 5xx: worth retrying with backoff."""


class Rejected(SendError):
    """The message itself was refused (HTTP 400); retrying would not help."""
