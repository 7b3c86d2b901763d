"""The Telegram front end (python-telegram-bot 22): handlers, keyboards, HTML rendering, running.

The only package that imports `telegram`; it calls the library (engine, store) and replies.
"""

from bot.telegram.app import Services, build_application
from bot.telegram.runner import BotStartError, run_bot, serve

__all__ = ["BotStartError", "Services", "build_application", "run_bot", "serve"]
