"""Process configuration, read once from the environment and `.env`.

Every feature keeps its settings here, under its own comment header, so that one
`.env.example` and one validation pass cover the whole bot. A bad value must stop
start-up with one line that names the variable and never echoes a secret, hence
`ConfigError` and `describe_errors` instead of pydantic's default message (which
includes the offending input).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
MarketDataMode = Literal["auto", "exchange", "replay", "sim"]
Locale = Literal["en", "ru"]


class ConfigError(Exception):
    """Raised with a single human-readable line when the configuration is invalid."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        validate_default=True,
    )

    # --- foundation: Telegram --------------------------------------------------
    bot_token: SecretStr | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    # Base URL of a Bot API server (a self-hosted one, or the local emulator);
    # None means api.telegram.org.
    telegram_api_url: str | None = None
    webhook_base_url: str | None = None
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    # --- foundation: storage and process ---------------------------------------
    database_url: str = "sqlite+aiosqlite:///data/tradebot.db"
    redis_url: str | None = None
    data_dir: Path = Path("data")
    scheduler_enabled: bool = True
    shutdown_timeout_s: float = Field(default=10.0, gt=0)
    # Per-user throttling: a burst of `throttle_burst` updates, refilled at
    # `throttle_rate` updates per second.
    throttle_rate: float = Field(default=2.0, gt=0)
    throttle_burst: int = Field(default=8, ge=1)

    # --- foundation: market data and AI switches -------------------------------
    market_data: MarketDataMode = "auto"
    exchange: str = "binance"
    anthropic_api_key: SecretStr | None = None

    # --- foundation: presentation and logs -------------------------------------
    default_locale: Locale = "en"
    log_level: LogLevel = "INFO"
    log_format: Literal["text", "json"] = "text"

    # --- signals: explanations, scans and delivery -----------------------------
    # Messages API base URL (None: Anthropic's); tests point it at a loopback fake.
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-haiku-4-5"
    explain_timeout_s: float = Field(default=15.0, gt=0)
    explain_max_tokens: int = Field(default=350, ge=50, le=2000)
    # Scans run this many seconds after each base candle closes.
    signal_scan_delay_s: int = Field(default=20, ge=0, le=600)
    # Symbols scanned (empty: the market's tradable universe).
    signal_symbols: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # An unresolved signal expires after this many base candles.
    signal_expiry_bars: int = Field(default=24, ge=1)
    # Processes evaluating scheduled scans (spawn pool, services/signals/pool.py);
    # 0 evaluates them in threads of the bot process.
    signal_scan_workers: int = Field(default=1, ge=0, le=8)
    # Send queue: Telegram allows about 30 messages/s overall and 1/s per chat.
    send_rate_per_s: float = Field(default=30.0, gt=0)
    send_chat_interval_s: float = Field(default=1.0, ge=0)
    send_max_attempts: int = Field(default=5, ge=1)

    # --- paper: deposits and paper trading --------------------------------------
    # Taker fees as fractions (0.001 = 0.10 %): leverage 1 is spot, above 1 futures.
    paper_spot_fee: Decimal = Field(default=Decimal("0.001"), ge=0, le=Decimal("0.05"))
    paper_futures_fee: Decimal = Field(default=Decimal("0.0004"), ge=0, le=Decimal("0.05"))
    # Modelled spread + slippage on market fills (entries, stops, market closes), bps.
    paper_slippage_bps: Decimal = Field(default=Decimal("5"), ge=0, le=Decimal("500"))
    # Maintenance margin rate for liquidation prices of leveraged positions.
    paper_mmr: Decimal = Field(default=Decimal("0.005"), ge=0, lt=Decimal("0.5"))
    # Candles the monitor checks positions against (it runs every minute).
    paper_monitor_timeframe: str = "1m"
    # ATR defaults for /trade without sl/tp and no current signal: stop at
    # `paper_atr_stop_mult` ATRs, targets at 1, 2 and 3 times that distance.
    paper_atr_timeframe: str = "1h"
    paper_atr_period: int = Field(default=14, ge=2, le=200)
    paper_atr_stop_mult: Decimal = Field(default=Decimal("1.5"), gt=0, le=Decimal("20"))

    # --- market: data sources, cache, robustness, universe ----------------------
    # Market types loaded, in the exchange's ccxt fetchMarkets names: "spot",
    # "linear" (USD-M perps on Binance/Bybit; "swap" on OKX).
    exchange_market_types: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["spot"])
    # Secondary ccxt exchanges tried in this order when `exchange` fails.
    fallback_exchanges: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # ccxt id -> base URL replacing the host of every API URL (mirrors, proxies,
    # tests); JSON, e.g. {"binance": "http://127.0.0.1:8081"}.
    exchange_url_overrides: dict[str, str] = Field(default_factory=dict)
    exchange_timeout_ms: int = Field(default=10_000, ge=1)
    market_rate_limit_per_min: int = Field(default=25, ge=1)
    market_retries: int = Field(default=3, ge=0, le=10)
    market_backoff_base_s: float = Field(default=0.5, ge=0)
    market_backoff_max_s: float = Field(default=8.0, ge=0)
    market_retry_after_max_s: float = Field(default=60.0, ge=0)
    market_breaker_failures: int = Field(default=5, ge=1)
    market_breaker_reset_s: float = Field(default=60.0, ge=0)
    # auto mode: how long to stay on the sim before probing the exchange again.
    market_probe_interval_s: float = Field(default=60.0, ge=0)
    ticker_ttl_s: float = Field(default=300.0, ge=0)
    markets_ttl_s: float = Field(default=1800.0, ge=0)
    # A cached series is stale when its newest candle is this many bars behind.
    market_stale_bars: int = Field(default=2, ge=1)
    # Replay: a candle file or a directory of them (shared format); "db" reads the
    # candles table instead. `replay_start_ms` is the initial clock (None: data end).
    replay_data_path: str = "../shared/data/ohlcv"
    replay_start_ms: int | None = None
    sim_seed: int = 7
    # Universe screening thresholds (quote currency amounts).
    universe_quote: str = "USDT"
    universe_min_quote_volume: float = Field(default=50_000_000.0, ge=0)
    universe_max_spread_pct: float = Field(default=0.25, ge=0)
    universe_min_depth: float = Field(default=50_000.0, ge=0)
    universe_depth_pct: float = Field(default=1.0, gt=0, le=10)
    top_timeframe: str = "4h"

    # --- risk: pre-trade checks, RiskGuard, flags and reports -------------------
    # Percentages are of the capital (balance) except the margin cap (of the deposit).
    risk_max_open_positions: int = Field(default=10, ge=1, le=1000)
    risk_max_symbols: int = Field(default=6, ge=1, le=1000)
    risk_max_position_pct: Decimal = Field(default=Decimal("15"), gt=0, le=100)
    risk_max_portfolio_risk_pct: Decimal = Field(default=Decimal("8"), gt=0, le=100)
    risk_max_margin_pct: Decimal = Field(default=Decimal("50"), gt=0, le=100)
    # Refuse a new symbol whose 1h returns over `risk_correlation_days` correlate
    # above this with an open position's (same direction).
    risk_max_correlation: float = Field(default=0.8, gt=0, le=1)
    risk_correlation_days: int = Field(default=30, ge=2, le=365)
    # Optional UTC window for new entries, "HH-HH" (e.g. "08-20", "22-06"); empty: always.
    risk_trading_hours: str | None = None
    risk_min_notional: Decimal = Field(default=Decimal("10"), ge=0)
    risk_sl_streak: int = Field(default=3, ge=1, le=100)
    risk_sl_cooldown_hours: float = Field(default=12.0, gt=0, le=24 * 30)
    risk_daily_loss_pct: Decimal = Field(default=Decimal("5"), gt=0, le=100)
    risk_maxdd_warning_pct: Decimal = Field(default=Decimal("15"), gt=0, le=100)
    risk_maxdd_emergency_pct: Decimal = Field(default=Decimal("18"), gt=0, le=100)
    # Raise the global `signals_stalled` flag when no signal was delivered this long.
    risk_signals_stalled_hours: int = Field(default=48, ge=1)
    # Digests: local hour (user's time zone) and the weekly report's weekday (0 = Monday).
    digest_hour: int = Field(default=9, ge=0, le=23)
    digest_weekday: int = Field(default=0, ge=0, le=6)

    @field_validator("risk_trading_hours")
    @classmethod
    def _trading_hours(cls, value: str | None) -> str | None:
        from core.risk.limits import parse_trading_hours

        return None if parse_trading_hours(value) is None else value

    # --- admin: backups, input caps, health ---------------------------------------
    # Scheduled SQLite backups every `backup_interval_h` hours (0: off), keeping the
    # newest `backup_keep` files in `backup_dir` (None: <data_dir>/backups).
    backup_interval_h: int = Field(default=24, ge=0, le=24 * 30)
    backup_keep: int = Field(default=7, ge=1, le=1000)
    backup_dir: Path | None = None
    # Longest command arguments and plain text accepted from a chat (characters).
    max_command_args_len: int = Field(default=256, ge=16, le=4096)
    max_text_len: int = Field(default=1024, ge=16, le=4096)

    # --- backtests: chat runs in a process pool -----------------------------------
    # Worker processes for /backtest, and how many more runs may wait for a worker
    # (beyond that the chat says the queue is full). One running run per user.
    backtest_workers: int = Field(default=1, ge=1, le=32)
    backtest_queue: int = Field(default=4, ge=0, le=1000)
    # Seconds between edits of the progress message.
    backtest_progress_interval_s: float = Field(default=2.0, gt=0, le=60)
    # Refuse periods longer than this many days or candles; default period when none.
    backtest_max_days: int = Field(default=1825, ge=1, le=36500)
    backtest_max_bars: int = Field(default=200_000, ge=100)
    backtest_default_days: int = Field(default=90, ge=1)
    # Candles before the period that only warm the indicators up.
    backtest_warmup_bars: int = Field(default=300, ge=0, le=10_000)
    backtest_initial_cash: Decimal = Field(default=Decimal("10000"), gt=0)
    backtest_fee_rate: float = Field(default=0.001, ge=0, lt=0.1)
    # A run still going after this long is cancelled.
    backtest_timeout_s: float = Field(default=600.0, gt=0)

    # --- ops: health, metrics and scale-out ------------------------------------------
    # Who runs the scheduler: "auto" takes a Redis leader lock (exactly one instance
    # runs it; without REDIS_URL the single instance does), "yes" always, "no" never.
    run_scheduler: Literal["auto", "yes", "no"] = "auto"
    # Leader lock lifetime; the holder renews it every third of this.
    leader_lock_ttl_s: float = Field(default=30.0, ge=0.5, le=600)
    # Prefix of every Redis key (FSM, locks, dedupe, rate limit), so several bots
    # (or test runs) can share one Redis.
    redis_prefix: str = Field(default="tradebot", min_length=1, max_length=64)
    # Webhook updates already handled are remembered this long (Telegram retries
    # for far less), a claim by a running handler this long.
    update_dedupe_ttl_s: int = Field(default=86_400, ge=60)
    update_claim_ttl_s: float = Field(default=120.0, ge=1)
    # Who calls setWebhook: "auto" = the scheduler leader, and only when Telegram
    # has a different URL; "yes" = every instance at start; "no" = never.
    webhook_register: Literal["auto", "yes", "no"] = "auto"
    # Port of the /healthz + /metrics server for `tradebot run` and `tradebot worker`
    # (webhook mode serves them on the webhook port too); None: no server.
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_host: str = "127.0.0.1"

    @field_validator("exchange_market_types", "fallback_exchanges", mode="before")
    @classmethod
    def _split_market_lists(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip().lower() for part in value.split(",") if part.strip()]
        return value

    @field_validator("signal_symbols", mode="before")
    @classmethod
    def _split_symbols(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip().upper() for part in value.split(",") if part.strip()]
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("log_level", "log_format", "market_data", "default_locale", mode="before")
    @classmethod
    def _normalise_case(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = value.strip()
        return (
            value.upper()
            if value.lower() in {"debug", "info", "warning", "error", "critical"}
            else value.lower()
        )

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        raw = value.get_secret_value()
        head, sep, tail = raw.partition(":")
        if not (sep and head.isdigit() and tail and all(c.isalnum() or c in "-_" for c in tail)):
            raise ValueError("must look like 123456789:AAE... (the token from @BotFather)")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        scheme = value.split("://", 1)[0]
        if "://" not in value:
            raise ValueError(
                "must be a SQLAlchemy URL such as sqlite+aiosqlite:///data/tradebot.db"
            )
        if scheme in ("sqlite", "postgresql", "postgres"):
            raise ValueError(
                "needs an async driver: sqlite+aiosqlite://... or postgresql+asyncpg://..."
            )
        return value

    @field_validator("redis_url", "telegram_api_url", "webhook_base_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("anthropic_api_key", "webhook_secret", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_base_url")
    @classmethod
    def _https_webhook(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must be a public https:// URL (Telegram only calls https webhooks)")
        return value

    @property
    def has_token(self) -> bool:
        return self.bot_token is not None

    def secret_values(self) -> list[str]:
        """Every configured secret, for the log redaction filter."""
        found: list[str] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) and value.get_secret_value():
                found.append(value.get_secret_value())
        return found


def describe_errors(error: ValidationError) -> str:
    """One line naming each bad variable and why, without the rejected value."""
    parts = []
    for item in error.errors(include_input=False, include_url=False):
        loc = item.get("loc") or ("?",)
        variable = str(loc[0]).upper()
        message = str(item.get("msg", "invalid value"))
        message = message.removeprefix("Value error, ")
        parts.append(f"{variable}: {message}")
    return "invalid configuration: " + "; ".join(parts)


def load_settings(**overrides: Any) -> Settings:
    """Build Settings, turning validation errors into a one-line ConfigError."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(describe_errors(error)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached); tests build `Settings(...)` directly."""
    return load_settings()
