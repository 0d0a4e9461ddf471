"""gunicorn embedded, so ``okr-coach serve`` runs what the Procfile's ``web`` line runs."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from bot.config import Settings


class _EmbeddedGunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Imported per worker, after the fork: each worker builds its own engine and pool.
        from bot.wsgi import create_wsgi_app

        return create_wsgi_app()


def gunicorn_options(settings: Settings, *, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": f"0.0.0.0:{settings.port}",
        "workers": max(1, workers),
        "threads": max(1, threads),
        "worker_class": "gthread",
        # Slack gives up after 3 seconds; a worker stuck for 30 is dead, not slow.
        "timeout": 30,
        "graceful_timeout": 20,
        "accesslog": None,
        "errorlog": "-",
    }


def run_gunicorn(settings: Settings, *, workers: int, threads: int) -> None:
    _EmbeddedGunicorn(gunicorn_options(settings, workers=workers, threads=threads)).run()
