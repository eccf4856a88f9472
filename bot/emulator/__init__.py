"""A local Telegram Bot API emulator for tests, the scripted chat and the demo."""

from bot.emulator.server import Emulator
from bot.emulator.store import ApiError, CallbackRecord, EmuMessage, EmuUser, Store, StoredFile

__all__ = ["ApiError", "CallbackRecord", "EmuMessage", "EmuUser", "Emulator", "Store", "StoredFile"]
