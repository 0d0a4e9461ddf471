"""Turning raw HTTP requests into the parsed params tests assert on."""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

# Params that carry JSON inside a form field; decoded so tests assert on meaning, not text.
JSON_PARAMS = ("blocks", "attachments", "view", "metadata")


@dataclass(frozen=True)
class ParsedRequest:
    params: dict[str, Any]
    token: str | None
    client_id: str | None
    client_secret: str | None
    problems: list[str]  # undecodable JSON params etc.


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            params[str(name)] = payload  # file contents stay bytes
        else:
            params[str(name)] = payload.decode("utf-8", errors="replace")
    return params


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    ctype = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if ctype == "application/json":
        data = json.loads(body.decode("utf-8"))
        return data if isinstance(data, dict) else {"_json": data}
    if ctype == "multipart/form-data":
        return _multipart(content_type, body)
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def decode_json_params(params: dict[str, Any]) -> list[str]:
    """Decode JSON-in-a-string params in place; return problems for undecodable ones."""
    problems = []
    for key in JSON_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and value.strip():
            try:
                params[key] = json.loads(value)
            except json.JSONDecodeError as exc:
                problems.append(f"{key} is not valid JSON: {exc}")
    return problems


def credentials(authorization: str | None) -> tuple[str | None, str | None, str | None]:
    """(bearer token, basic client_id, basic client_secret) from an Authorization header."""
    if not authorization:
        return None, None, None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None, None, None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip()).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, None, None
        client_id, _, secret = decoded.partition(":")
        return None, client_id, secret
    return None, None, None


def parse_request(
    query: str, content_type: str, body: bytes, authorization: str | None
) -> ParsedRequest:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    problems: list[str] = []
    try:
        params.update(parse_body(content_type, body))
    except (ValueError, UnicodeDecodeError) as exc:
        problems.append(f"body does not parse as {content_type or 'form'}: {exc}")
    problems.extend(decode_json_params(params))
    token, client_id, secret = credentials(authorization)
    if token is None and isinstance(params.get("token"), str):
        token = params["token"]
    # Slack also accepts client credentials as form params (oauth.v2.access, apps.uninstall).
    client_id = client_id or _str_or_none(params.get("client_id"))
    secret = secret or _str_or_none(params.get("client_secret"))
    return ParsedRequest(params, token, client_id, secret, problems)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None
