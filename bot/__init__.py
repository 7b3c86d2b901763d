"""qzbot: a Quanzhou foreign-trade policy assistant.

The library (catalog, matching, store, digest composition) never imports `telegram`;
the Telegram layer and the CLI call into it.
"""

__version__ = "0.1.0"
