"""The ``okr-coach`` command line: serve, coach, eval and db."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.config import EXIT_CONFIG, ConfigError, Settings, load_settings, sqlite_path

logger = logging.getLogger("okr_coach")

# A Slack message is at most 40,000 characters; the terminal gets the same cap.
MAX_COACH_INPUT = 40_000
EXIT_INTERRUPTED = 130  # the shell's convention for a command stopped by Ctrl-C
INTERRUPTED = "okr-coach: interrupted"
STOPPED = "stopped (Ctrl-C)"
SOCKET_MODE_RUNNING = "OKR Coach is connected to Slack over Socket Mode"
CLOCK_STARTED = "clock started: reminder tick every %d minutes"
WAKE_SECONDS = 0.5  # how often a waiting main thread looks for Ctrl-C


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
    serve.add_argument(
        "--with-clock",
        action="store_true",
        help="Socket Mode development only: run the scheduler inside this process too",
    )

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

    default_data = Path(os.environ.get("OKR_DATA_DIR", "../shared/data"))
    train = commands.add_parser(
        "train", help="refit the learned layer on every labelled *.jsonl (needs the train extra)"
    )
    train.add_argument("--data", type=Path, default=default_data, help="folder of *.jsonl")
    train.add_argument("--out", type=Path, help="where to write the model (default: the package)")

    crossval = commands.add_parser(
        "cv", help="grouped-by-publisher cross-validation of the whole pipeline (train extra)"
    )
    crossval.add_argument("--data", type=Path, default=default_data, help="folder of *.jsonl")
    crossval.add_argument("--json", action="store_true", help="print one JSON object")
    crossval.add_argument("--min-accuracy", type=float, help="exit 1 below this accuracy")
    crossval.add_argument("--min-f1", type=float, help="exit 1 when a class's F1 is below this")
    crossval.add_argument("--max-ece", type=float, help="exit 1 above this calibration error")

    distill = commands.add_parser(
        "distill", help="rebuild the static embedding table once (needs the distill extra)"
    )
    distill.add_argument("--out", type=Path, help="folder to write to (default: the package)")

    clock = commands.add_parser("clock", help="run the scheduler (the one clock process)")
    clock.add_argument(
        "--tick-minutes", type=int, default=5, help="minutes between reminder ticks (default 5)"
    )
    remind = commands.add_parser("remind-now", help="run one reminder pass now and report")
    remind.add_argument("--at", help="pretend it is this ISO time (UTC if no offset given)")

    commands.add_parser("new-key", help="print a new TOKEN_ENCRYPTION_KEY")
    commands.add_parser(
        "rotate-key", help="re-encrypt stored tokens with the first TOKEN_ENCRYPTION_KEY"
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
        return _run(args)
    except ConfigError as error:
        print(f"okr-coach: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        # Ctrl-C is how people stop what they started by hand: a line, never a traceback.
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    if args.command == "coach":
        return _coach(args.text, as_json=args.json, stdin=sys.stdin, out=sys.stdout)
    if args.command == "eval":
        return _eval(args, out=sys.stdout)
    if args.command == "train":
        return _train(args, out=sys.stdout)
    if args.command == "cv":
        return _cross_validate(args, out=sys.stdout)
    if args.command == "distill":
        return _distill(args, out=sys.stdout)
    if args.command == "db":
        return _db(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "new-key":
        return _new_key(out=sys.stdout)
    if args.command == "rotate-key":
        return _rotate_key(out=sys.stdout)
    if args.command == "clock":
        return _clock(args)
    if args.command == "remind-now":
        return _remind_now(args, out=sys.stdout)
    return EXIT_CONFIG


# --- coach -------------------------------------------------------------------------------


def _coach(text: str, *, as_json: bool, stdin: TextIO, out: TextIO) -> int:
    from coaching import review_draft
    from handlers.terminal import render_review

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


# --- the learned layer -------------------------------------------------------------------

TRAIN_EXTRA_MISSING = (
    "this command needs the training libraries: pip install -e '.[train]' ({error})"
)


def _training() -> Any:
    try:
        from coaching.training import train
    except ImportError as error:
        raise ConfigError(TRAIN_EXTRA_MISSING.format(error=error)) from None
    return train


def _data_folder(path: Path) -> Path:
    if not path.is_dir() or not any(path.glob("*.jsonl")):
        raise ConfigError(f"no labelled *.jsonl files in {path} (set --data or OKR_DATA_DIR)")
    return path


def _train(args: argparse.Namespace, *, out: TextIO) -> int:
    training = _training()
    result = training.train(_data_folder(args.data), *([args.out] if args.out else []))
    out.write(result.cv.format_text() + "\n\n")
    out.write(f"wrote {result.path} (data sha256 {result.data_sha256[:12]})\n")
    return 0


def _cross_validate(args: argparse.Namespace, *, out: TextIO) -> int:
    training = _training()
    cv = training.evaluate(_data_folder(args.data))
    out.write((json.dumps(cv.as_dict()) if args.json else cv.format_text()) + "\n")
    p = cv.pipeline
    failures = []
    if args.min_accuracy is not None and p.accuracy < args.min_accuracy:
        failures.append(f"accuracy {p.accuracy:.3f} < {args.min_accuracy}")
    if args.min_f1 is not None:
        for label, f1 in (("routine", p.f1_routine), ("strategic", p.f1_strategic)):
            if f1 < args.min_f1:
                failures.append(f"F1 {label} {f1:.3f} < {args.min_f1}")
    if args.max_ece is not None and cv.ece > args.max_ece:
        failures.append(f"ECE {cv.ece:.3f} > {args.max_ece}")
    if failures:
        print("okr-coach cv: below the floor: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


def _distill(args: argparse.Namespace, *, out: TextIO) -> int:
    try:
        from coaching.training.distill import distill
    except ImportError as error:
        raise ConfigError(f"distill needs: pip install -e '.[distill]' ({error})") from None
    table = distill(*([args.out] if args.out else [_package_data()]))
    out.write(f"wrote {table}; run `okr-coach train` next: the model depends on the table\n")
    return 0


def _package_data() -> Path:
    from coaching.learned.model import DATA_DIR

    return DATA_DIR


# --- db ----------------------------------------------------------------------------------


def _db_settings() -> Settings:
    return load_settings(require_slack=False)


def _db(args: argparse.Namespace) -> int:
    from alembic.util import CommandError
    from sqlalchemy.pool import NullPool

    from bot.db import Migration, create_db_engine, migrate_database
    from bot.schema import describe_migration, describe_state, read_schema_state

    settings = _db_settings()
    # Read first: it opens nothing that is not there (no empty SQLite file from `current`)
    # and turns an unreachable database into one line.
    state = read_schema_state(settings.database_url)
    if args.db_command == "current":
        print(describe_state(state))
        return 0
    down = args.db_command == "downgrade"
    if down and state.current is None:
        print(describe_migration(Migration(None, None), down=True))
        return 0
    engine = create_db_engine(settings.database_url, poolclass=NullPool)
    try:
        migration = migrate_database(engine, args.revision, down=down)
    except CommandError as error:  # an unknown revision, or one that is not on this path
        raise ConfigError(f"db {args.db_command}: {error}") from None
    finally:
        engine.dispose()
    print(describe_migration(migration, down=down))
    return 0


def upgrade_embedded_database(settings: Settings) -> None:
    """Bring a SQLite file up to date, so the quick start needs no separate step."""
    path = sqlite_path(settings.database_url)
    if path is None:
        return
    from bot.db import create_db_engine, upgrade_database
    from bot.schema import describe_migration

    engine = create_db_engine(settings.database_url)
    try:
        migration = upgrade_database(engine)
    finally:
        engine.dispose()
    logger.info("database %s: %s", path, describe_migration(migration))


# --- keys ------------------------------------------------------------------------------


def _new_key(*, out: TextIO) -> int:
    from bot.crypto import generate_key

    out.write(generate_key() + "\n")
    return 0


def _rotate_key(*, out: TextIO) -> int:
    from bot.db import create_db_engine, create_session_factory
    from bot.models import utcnow
    from bot.oauth import build_token_service
    from bot.schema import require_current_schema

    settings = load_settings()
    if not settings.distributed:
        raise ConfigError("rotate-key is for distributed mode (SLACK_CLIENT_ID is not set)")
    require_current_schema(settings.database_url)
    engine = create_db_engine(settings.database_url)
    try:
        tokens = build_token_service(settings, create_session_factory(engine), utcnow)
        changed = tokens.rotate_encryption()
    finally:
        engine.dispose()
    out.write(f"re-encrypted the tokens of {changed} installation(s) with the first key\n")
    return 0


# --- serve -------------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    from bot.logging_setup import configure_logging
    from bot.preflight import check_before_starting

    settings = load_settings()
    if args.port:
        settings = settings.with_overrides(port=args.port)
    if args.with_clock and not settings.socket_mode:
        # gunicorn forks workers: each would run its own scheduler. Run `okr-coach clock`.
        raise ConfigError("--with-clock is for Socket Mode only; run `okr-coach clock` beside")
    # Before logging, the database file and gunicorn: a wrong token is one line, no more.
    check_before_starting(settings, socket_mode=settings.socket_mode, upgrades_sqlite=True)
    configure_logging(settings.log_level, secrets=settings.secrets())
    logger.info("starting OKR Coach: %s", json.dumps(settings.describe()))
    upgrade_embedded_database(settings)
    if settings.socket_mode:
        return _serve_socket_mode(settings, with_clock=args.with_clock)
    from bot.server import run_gunicorn

    run_gunicorn(settings, workers=args.workers, threads=args.threads)
    return 0


def _serve_socket_mode(settings: Settings, *, with_clock: bool) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import build_deps, create_app

    deps = build_deps(settings)
    scheduler = None
    if with_clock:
        from bot.jobs import Runtime
        from bot.reminders import ReminderConfig, token_provider
        from bot.scheduler import start_in_process
        from handlers.checkin_blocks import reminder_renderers
        from handlers.events import renderers as draft_renderers

        runtime = Runtime(
            deps,
            token_provider(deps),
            ReminderConfig.from_env(),
            reminder_renderers(),
            draft_renderers(),
        )
        scheduler = start_in_process(runtime, deps.session_factory.kw["bind"])
        logger.info("scheduler running in-process (--with-clock)")
    handler = SocketModeHandler(create_app(settings, deps=deps), settings.slack_app_token)
    # handler.start() would connect, then block in one endless Event().wait(), which can miss
    # Ctrl-C (see _wait_for_ctrl_c); connect and wait here instead.
    handler.connect()
    try:
        logger.info(SOCKET_MODE_RUNNING)
        _wait_for_ctrl_c()
    except KeyboardInterrupt:
        if scheduler is not None:
            _stop_scheduler(scheduler)
        logger.info(STOPPED)
    return 0


def _wait_for_ctrl_c() -> None:
    """Block the main thread until Ctrl-C raises KeyboardInterrupt.

    In short naps, never one endless wait: the kernel may hand SIGINT to any thread, and
    Python acts on it only when the main thread next wakes up.
    """
    while True:
        time.sleep(WAKE_SECONDS)


# --- clock and remind-now ----------------------------------------------------------------


def _reminder_runtime(*, check_slack: bool = False) -> Any:
    from bot.app import build_deps
    from bot.jobs import Runtime, install
    from bot.logging_setup import configure_logging
    from bot.preflight import check_before_starting
    from bot.reminders import ReminderConfig, token_provider
    from handlers.checkin_blocks import reminder_renderers
    from handlers.events import renderers as draft_renderers

    settings = load_settings()
    check_before_starting(settings, slack=check_slack, upgrades_sqlite=True)
    configure_logging(settings.log_level, secrets=settings.secrets())
    upgrade_embedded_database(settings)
    deps = build_deps(settings)
    runtime = Runtime(
        deps,
        token_provider(deps),
        ReminderConfig.from_env(),
        reminder_renderers(),
        draft_renderers(),
    )
    install(runtime)
    return runtime


def _clock(args: argparse.Namespace) -> int:
    from bot.scheduler import add_jobs, create_scheduler

    runtime = _reminder_runtime(check_slack=True)
    engine = runtime.deps.session_factory.kw["bind"]
    scheduler = create_scheduler(engine)
    add_jobs(scheduler, tick_minutes=args.tick_minutes)
    scheduler.start()
    try:
        logger.info(CLOCK_STARTED, args.tick_minutes)
        _wait_for_ctrl_c()
    except KeyboardInterrupt:
        _stop_scheduler(scheduler)
        logger.info("clock %s", STOPPED)
    return 0


def _stop_scheduler(scheduler: Any) -> None:
    """No new runs from here; one in progress finishes before the process exits."""
    # APScheduler's own "shut down" line would only repeat the "stopped" line that follows.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler.shutdown(wait=False)


def _remind_now(args: argparse.Namespace, *, out: TextIO) -> int:
    from datetime import UTC, datetime

    from bot.reminders import ReminderPass

    now = None
    if args.at:
        try:
            now = datetime.fromisoformat(args.at)
        except ValueError:
            raise ConfigError(f"--at must be an ISO date and time, not {args.at!r}") from None
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    runtime = _reminder_runtime()
    report = ReminderPass(runtime.deps, runtime.tokens, runtime.config, runtime.render).run(now)
    out.write(json.dumps(report.as_dict(), default=str) + "\n")
    return 0 if all(w.error is None for w in report.workspaces) else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
