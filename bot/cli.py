"""The ``okr-coach`` command line: serve, coach, eval and db."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.config import ConfigError, Settings, load_settings, sqlite_path

logger = logging.getLogger("okr_coach")

# A Slack message is at most 40,000 characters; the terminal gets the same cap.
MAX_COACH_INPUT = 40_000


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="okr-coach", description="OKR Coach: a Slack bot that coaches draft OKRs."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="run the bot (HTTP, or Socket Mode with an app token)"
    )
    serve.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "2")),
        help="gunicorn worker processes (default: $WEB_CONCURRENCY or 2)",
    )
    serve.add_argument("--threads", type=int, default=8, help="threads per worker (default 8)")

    coach = commands.add_parser("coach", help="review a draft in the terminal, offline")
    coach.add_argument("text", help="the draft, or - to read it from standard input")
    coach.add_argument("--json", action="store_true", help="print the review as JSON")

    evaluate = commands.add_parser("eval", help="measure the coach on labelled drafts (JSONL)")
    evaluate.add_argument("file", type=Path, help="JSONL with at least 'text' and 'label'")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument(
        "--min-accuracy", type=float, help="exit 1 when accuracy falls below this floor"
    )
    evaluate.add_argument(
        "--min-f1", type=float, help="exit 1 when either class's F1 falls below this floor"
    )

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply migrations (default: to head)")
    upgrade.add_argument("revision", nargs="?", default="head")
    downgrade = db_commands.add_parser("downgrade", help="revert migrations to REVISION")
    downgrade.add_argument("revision")
    db_commands.add_parser("current", help="show the database's revision")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    try:
        if args.command == "coach":
            return _coach(args.text, as_json=args.json, stdin=sys.stdin, out=sys.stdout)
        if args.command == "eval":
            return _eval(args, out=sys.stdout)
        if args.command == "db":
            return _db(args)
        if args.command == "serve":
            return _serve(args)
    except ConfigError as error:
        print(f"okr-coach: {error}", file=sys.stderr)
        return 2
    return 2


# --- coach -------------------------------------------------------------------------------


def _coach(text: str, *, as_json: bool, stdin: TextIO, out: TextIO) -> int:
    from bot.render_text import render_review
    from coaching import review_draft

    draft = stdin.read(MAX_COACH_INPUT + 1) if text == "-" else text
    review = review_draft(draft[:MAX_COACH_INPUT])
    if as_json:
        out.write(json.dumps(review.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(render_review(review) + "\n")
    return 0


# --- eval --------------------------------------------------------------------------------


def _read_labelled(path: Path) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row: dict[str, Any] = json.loads(line)
                items.append((str(row["text"]), str(row["label"])))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise ConfigError(f"{path}:{number}: not a labelled draft ({error})") from None
    return items


def _eval(args: argparse.Namespace, *, out: TextIO) -> int:
    from coaching.evaluation import evaluate

    if not args.file.is_file():
        raise ConfigError(f"no such file: {args.file}")
    report = evaluate(_read_labelled(args.file))
    summary = report.to_dict()
    if args.json:
        out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    else:
        out.write(report.format_text() + "\n")
    failures = []
    if args.min_accuracy is not None and summary["accuracy"] < args.min_accuracy:
        failures.append(f"accuracy {summary['accuracy']:.3f} < {args.min_accuracy}")
    if args.min_f1 is not None:
        for label, figures in summary["per_class"].items():
            if figures["f1"] < args.min_f1:
                failures.append(f"F1 {label} {figures['f1']:.3f} < {args.min_f1}")
    if failures:
        print("okr-coach eval: below the floor: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


# --- db ----------------------------------------------------------------------------------


def _db_settings() -> Settings:
    return load_settings(require_slack=False)


def _db(args: argparse.Namespace) -> int:
    from alembic import command

    from bot.db import alembic_config

    settings = _db_settings()
    config = alembic_config(settings.database_url)
    if args.db_command == "upgrade":
        command.upgrade(config, args.revision)
    elif args.db_command == "downgrade":
        command.downgrade(config, args.revision)
    else:
        command.current(config, verbose=False)
    return 0


def upgrade_embedded_database(settings: Settings) -> None:
    """Bring a SQLite file up to date, so the quick start needs no separate step."""
    if sqlite_path(settings.database_url) is None:
        return
    from bot.db import create_db_engine, upgrade_database

    engine = create_db_engine(settings.database_url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()


# --- serve -------------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    from bot.logging_setup import configure_logging
    from bot.wsgi import _secrets_of

    settings = load_settings()
    if args.port:
        settings = settings.with_overrides(port=args.port)
    configure_logging(settings.log_level, secrets=_secrets_of(settings))
    logger.info("starting OKR Coach: %s", json.dumps(settings.describe()))
    upgrade_embedded_database(settings)
    if settings.socket_mode:
        return _serve_socket_mode(settings)
    from bot.server import run_gunicorn

    run_gunicorn(settings, workers=args.workers, threads=args.threads)
    return 0


def _serve_socket_mode(settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import create_app

    SocketModeHandler(create_app(settings), settings.slack_app_token).start()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
