"""Outgoing message queue shared by every feature that pushes messages to users."""

from services.notify.results import Priority, SenderStats, SendResult
from services.notify.sender import Sender

__all__ = ["Priority", "SendResult", "Sender", "SenderStats"]
