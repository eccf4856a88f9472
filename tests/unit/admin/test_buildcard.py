"""The start-up build card and the audited configuration never carry a secret."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from core.audit_chain import canonical_json
from core.config import Settings
from services.admin.buildcard import log_build_card
from services.audit import public_config
from services.container import Services

TOKEN = "123456789:AAFakeTokenForBuildCard_abcdefghijklmnop"
KEY = "sk-ant-api03-BuildCardFakeKey-0123456789"


def _settings() -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        anthropic_api_key=KEY,
        webhook_secret="webhook-secret-value-123",
        database_url="postgresql+asyncpg://bot:pg-password-123@db:5432/tradebot",
        admin_ids=[1, 2],
    )


def test_build_card_lists_what_runs_and_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    services = Services(settings=_settings(), db=None, i18n=None, users=None)  # type: ignore[arg-type]
    services.sender = object()
    with caplog.at_level(logging.INFO, logger="tradebot.build"):
        card = log_build_card(services)
    assert card["market_data"] == "auto" and card["database"] == "postgresql+asyncpg"
    assert card["features"] == ["sender"] and card["switches"]["ai_explanations"] is True
    assert card["switches"]["admins"] == 2 and "risk_max_open_positions" in card["limits"]
    [line] = [r.getMessage() for r in caplog.records if r.name == "tradebot.build"]
    for secret in (TOKEN, KEY, "webhook-secret-value-123", "pg-password-123"):
        assert secret not in line


def test_public_config_masks_secrets_and_passwords() -> None:
    config = public_config(_settings())
    assert config["bot_token"] == config["anthropic_api_key"] == config["webhook_secret"] == "set"
    assert config["database_url"] == "postgresql+asyncpg://bot:***@db:5432/tradebot"
    text = canonical_json(config)
    for secret in (TOKEN, KEY, "webhook-secret-value-123", "pg-password-123"):
        assert secret not in text
    assert public_config(Settings(_env_file=None))["bot_token"] == "unset"
    assert isinstance(_settings().bot_token, SecretStr)
