"""Outgoing message queue shared by every feature that pushes messages to users."""

from services.notify.sender import Priority, Sender, SenderStats, SendResult

__all__ = ["Priority", "SendResult", "Sender", "SenderStats"]
