"""Call a WSGI application in-process with a real environ, as gunicorn would."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from wsgiref.util import setup_testing_defaults


@dataclass
class WsgiResponse:
    status: int
    headers: dict[str, str]
    body: str


def call_wsgi(
    app: Any,
    method: str,
    path: str,
    body: str | bytes = b"",
    headers: dict[str, str] | None = None,
    query: str = "",
) -> WsgiResponse:
    data = body.encode() if isinstance(body, str) else body
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        else:
            environ[f"HTTP_{key}"] = value
    setup_testing_defaults(environ)
    captured: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        captured["status"] = int(status.split()[0])
        captured["headers"] = {name.lower(): value for name, value in response_headers}

    chunks = app(environ, start_response)
    text = b"".join(chunks).decode("utf-8")
    return WsgiResponse(captured["status"], captured["headers"], text)
