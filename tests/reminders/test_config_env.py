"""Reminder pacing from the environment: positive numbers only, every mistake named at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import ConfigError
from bot.reminders import ReminderConfig


def test_defaults_without_variables() -> None:
    assert ReminderConfig.from_env({}) == ReminderConfig()


def test_values_are_read() -> None:
    config = ReminderConfig.from_env(
        {
            "REMINDER_POST_PER_MINUTE": "60",
            "REMINDER_SENDERS_PER_WORKSPACE": "2",
            "REMINDER_CLAIM_LEASE_SECONDS": "90",
        }
    )
    assert config.post_per_minute == 60.0
    assert config.senders_per_workspace == 2
    assert config.claim_lease == timedelta(seconds=90)


def test_every_bad_value_is_named_in_one_error() -> None:
    with pytest.raises(ConfigError) as raised:
        ReminderConfig.from_env(
            {
                "REMINDER_SENDERS_PER_WORKSPACE": "0",
                "REMINDER_POST_BURST": "lots",
                "REMINDER_CLAIM_LEASE_SECONDS": "-5",
            }
        )
    message = str(raised.value)
    for name in (
        "REMINDER_SENDERS_PER_WORKSPACE",
        "REMINDER_POST_BURST",
        "REMINDER_CLAIM_LEASE_SECONDS",
    ):
        assert name in message
