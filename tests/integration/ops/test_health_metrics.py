"""/healthz and /metrics of a running bot (polling mode, its own health port) with
the real ccxt client on the loopback fake exchange; `tradebot health` reads them."""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import create_async_engine

from bot.cli import main
from bot.commands.health import probe_http
from bot.ops_web import serve_ops
from core.market.csv import read_candles
from tests.e2e.harness import start_chat
from tests.fakes.fake_exchange import SHARED_OHLCV, FakeExchange

H = 3_600_000


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    out: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                out[tuple(sorted(sample.labels.items()))] = sample.value
    return out


def total(text: str, name: str, **labels: str) -> float:
    return sum(
        value
        for key, value in samples(text, name).items()
        if all((k, v) in key for k, v in labels.items())
    )


async def test_health_and_metrics_follow_the_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    last = int(read_candles(SHARED_OHLCV / "binance_BTC-USDT_1h.csv.gz").timestamp.iloc[-1])
    now_hour = int(time.time() * 1000) // H * H
    fake = FakeExchange(["binance_BTC-USDT_1h.csv.gz"], shift_ms=now_hour - H - last)
    await fake.start()
    driver = await start_chat(
        tmp_path,
        settings_overrides={
            "scheduler_enabled": True,
            "market_data": "exchange",
            "exchange_url_overrides": {"binance": fake.url},
            "exchange_timeout_ms": 500,
            "market_retries": 0,
            "market_breaker_failures": 2,
            "market_breaker_reset_s": 600,
            "ticker_ttl_s": 0,
        },
    )
    app = driver.app
    assert app is not None
    health = await serve_ops(app, "127.0.0.1", 0)
    port = health.addresses[0][1]
    base = f"http://127.0.0.1:{port}"
    try:
        for text in ("/start", "/deposit 1000", "/trade BTC/USDT long 100"):
            assert await driver.send(text)
        async with aiohttp.ClientSession() as http:
            response = await http.get(f"{base}/healthz")
            body = await response.json()
            assert response.status == 200 and body["status"] == "ok"
            assert body["checks"]["database"]["ok"]
            assert body["checks"]["scheduler"] == {
                "ok": True, "mode": "always", "leader": True, "running": True,
            }  # fmt: skip
            assert body["breakers"] == {"binance": "closed"}

            metrics = await (await http.get(f"{base}/metrics")).text()
            assert total(metrics, "tradebot_updates_total", type="message", outcome="ok") == 3
            assert total(metrics, "tradebot_update_handling_seconds_count", type="message") == 3
            assert total(metrics, "tradebot_messages_sent_total", method="SendMessage") >= 3
            assert total(metrics, "tradebot_telegram_request_seconds_count") >= 3
            assert total(metrics, "tradebot_open_positions", mode="paper") == 1
            assert total(metrics, "tradebot_send_queue_length") == 0
            assert total(metrics, "tradebot_exchange_requests_total", source="binance") >= 1
            assert total(metrics, "tradebot_exchange_latency_ms", source="binance", stat="avg") > 0
            assert total(metrics, "tradebot_scheduler_leader") == 1

            # The exchange goes down: the breaker opens; the bot stays healthy (a
            # restart would not help) but says it is degraded.
            fake.down = True
            for _ in range(3):
                with suppress(Exception):
                    await app.services.market.ticker("BTC/USDT")
            response = await http.get(f"{base}/healthz")
            body = await response.json()
            assert response.status == 200 and body["status"] == "degraded"
            assert body["breakers"] == {"binance": "open"}
            metrics = await (await http.get(f"{base}/metrics")).text()
            assert total(metrics, "tradebot_exchange_errors_total", source="binance") >= 2
            assert total(metrics, "tradebot_exchange_breaker_open", source="binance") == 1

            # The database becomes unreachable: 503, and `tradebot health` fails.
            db = app.services.db
            real = db.engine
            db.engine = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
            try:
                response = await http.get(f"{base}/healthz")
                body = await response.json()
                assert response.status == 503 and body["status"] == "unhealthy"
                assert body["checks"]["database"]["ok"] is False
                assert await asyncio.to_thread(probe_http, f"{base}/healthz") == 1
            finally:
                await db.engine.dispose()
                db.engine = real
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("HEALTH_PORT", str(port))
        assert await asyncio.to_thread(main, ["health"]) == 0
    finally:
        await health.cleanup()
        await driver.stop()
        await fake.close()
