"""Messaging models: the outbox and its vocabulary (outbox.py), broadcasts (broadcasts.py)."""

from .broadcasts import *  # noqa: F403
from .broadcasts import __all__ as _broadcasts_all
from .outbox import *  # noqa: F403
from .outbox import __all__ as _outbox_all

__all__ = [*_outbox_all, *_broadcasts_all]
