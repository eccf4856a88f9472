"""A chat session starts without importing libraries only some updates need.

`tradebot chat --fresh /start` builds the whole app (every service and handler) and
answers /start; the AI client and matplotlib must wait until an explanation or a
chart is asked for. Runs in a fresh interpreter so `sys.modules` is its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from bot.cli import main
code = main(["chat", "--fresh", "--files-dir", sys.argv[1], "/start"])
print(json.dumps({"code": code, "loaded": sorted(
    m for m in ("anthropic", "matplotlib", "aiogram") if m in sys.modules)}))
"""


def test_chat_start_leaves_ai_client_and_matplotlib_unloaded(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"ANTHROPIC_API_KEY", "MARKET_DATA"}}
    env["MARKET_DATA"] = "sim"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "files")],
        cwd=tmp_path,  # no .env from the checkout
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert any("Choose your language" in line for line in lines)
    assert result == {"code": 0, "loaded": ["aiogram"]}
