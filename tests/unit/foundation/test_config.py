"""Settings: defaults, parsing, and one clear line per bad variable without secrets."""

from __future__ import annotations

import pytest

from core.config import ConfigError, Settings, load_settings

TOKEN = "123456789:AAHsecretsecretsecret_secret-XYZ"


def test_defaults_need_no_environment() -> None:
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///data/tradebot.db"
    assert settings.bot_token is None and settings.admin_ids == []
    assert (settings.market_data, settings.default_locale, settings.log_format) == (
        "auto",
        "en",
        "text",
    )


def test_environment_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ADMIN_IDS", "12, 34;56")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("MARKET_DATA", "Replay")
    monkeypatch.setenv("REDIS_URL", "")
    settings = load_settings(_env_file=None)
    assert settings.bot_token.get_secret_value() == TOKEN
    assert settings.admin_ids == [12, 34, 56]
    assert settings.log_level == "DEBUG" and settings.market_data == "replay"
    assert settings.redis_url is None


def test_env_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text("DEFAULT_LOCALE=ru\nEXCHANGE=bybit\n")
    settings = load_settings(_env_file=env)
    assert settings.default_locale == "ru" and settings.exchange == "bybit"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LOG_LEVEL", "loud"),
        ("LOG_FORMAT", "xml"),
        ("MARKET_DATA", "live"),
        ("DEFAULT_LOCALE", "de"),
        ("ADMIN_IDS", "12,abc"),
        ("DATABASE_URL", "sqlite:///data/x.db"),
        ("WEBHOOK_PORT", "70000"),
        ("BOT_TOKEN", "not-a-token"),
        ("WEBHOOK_BASE_URL", "http://example.com"),
    ],
)
def test_invalid_value_names_the_variable_in_one_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as info:
        load_settings(_env_file=None)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"invalid configuration: {variable}: ")


def test_errors_never_echo_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "12345:has spaces and secret stuff")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-verysecret")
    monkeypatch.setenv("LOG_LEVEL", "nope")
    with pytest.raises(ConfigError) as info:
        load_settings(_env_file=None)
    assert "secret" not in str(info.value)
    assert "BOT_TOKEN" in str(info.value) and "LOG_LEVEL" in str(info.value)


def test_secrets_are_hidden_in_repr() -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN, anthropic_api_key="sk-ant-abcdef")
    assert TOKEN not in repr(settings) and "sk-ant-abcdef" not in repr(settings)
    assert sorted(settings.secret_values()) == sorted([TOKEN, "sk-ant-abcdef"])
