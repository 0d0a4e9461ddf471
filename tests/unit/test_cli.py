"""The okr-coach command line, run in-process."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from bot import cli


def test_coach_prints_the_review(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["coach", "Objective: Attend the weekly sync"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("This reads like routine work")


def test_coach_json_has_verdict_confidence_and_rule_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["coach", "--json", "Objective: Attend the weekly sync"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert review["verdict"] == "routine"
    assert 0.5 <= review["confidence"] <= 1.0
    assert all("rule_id" in finding for finding in review["findings"])


def test_coach_reads_stdin_for_dash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Objective: Attend the weekly sync\n"))
    assert cli.main(["coach", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "routine"


def test_coach_survives_empty_and_huge_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["coach", "   "]) == 0
    assert cli.main(["coach", "--json", "grow " * 20_000]) == 0
    assert capsys.readouterr().out


def test_db_upgrade_builds_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["db", "upgrade"]) == 0
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"workspace", "coaching_review", "processed_event", "alembic_version"} <= tables
    assert cli.main(["db", "downgrade", "base"]) == 0
    assert set(inspect(create_engine(url)).get_table_names()) == {"alembic_version"}


def test_serve_without_configuration_names_every_missing_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_SIGNING_SECRET" in err and "SLACK_BOT_TOKEN" in err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["frobnicate"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_new_key_prints_a_usable_fernet_key(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.crypto import TokenCipher

    assert cli.main(["new-key"]) == 0
    key = capsys.readouterr().out.strip()
    cipher = TokenCipher(key)
    secret = "xoxb-not-a-real-token"
    encrypted = cipher.encrypt(secret)
    assert encrypted and "xoxb" not in encrypted
    assert cipher.decrypt(encrypted) == secret


def test_rotate_key_needs_distributed_mode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "x" * 16)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_CLIENT_ID", raising=False)
    monkeypatch.delenv("SLACK_CLIENT_SECRET", raising=False)
    assert cli.main(["rotate-key"]) == 2
    assert "distributed mode" in capsys.readouterr().err


@pytest.mark.postgres
def test_db_upgrade_on_postgresql_runs_the_real_command(postgres_available: None) -> None:
    """The Procfile's release step, as a subprocess against a fresh PostgreSQL database."""
    import os
    import subprocess
    import sys

    from tests.db_fixtures import create_postgres_database, drop_postgres_database

    url = create_postgres_database()
    try:
        heroku_style = url.replace("postgresql+psycopg://", "postgres://")
        done = subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade"],
            env={**os.environ, "DATABASE_URL": heroku_style},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        tables = set(inspect(create_engine(url)).get_table_names())
        assert {"workspace", "installation", "processed_event", "alembic_version"} <= tables
    finally:
        drop_postgres_database(url)


def test_with_clock_is_refused_outside_socket_mode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "x" * 16)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    assert cli.main(["serve", "--with-clock"]) == 2
    assert "Socket Mode only" in capsys.readouterr().err
