"""Records the fake keeps about what the bot sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    """One request Slack received. `params` are parsed: form values stay str, JSON keeps types,
    and `blocks`/`attachments`/`view` sent as JSON strings are decoded to Python objects."""

    method: str
    params: dict[str, Any]
    token: str | None
    team_id: str | None
    at: float
    # What the fake answered, so tests can tell a retried 429 from the call that succeeded.
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass(frozen=True)
class Violation:
    """A request real Slack would reject (or silently mangle): a bug in the bot."""

    method: str
    kind: str  # unknown_method | missing_param | invalid_blocks | no_text | msg_too_long | ...
    detail: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.method}: {self.kind}: {self.detail}"


@dataclass
class Script:
    """A scripted misbehaviour consumed by the next matching calls."""

    kind: str  # fail | rate_limit | http_error
    method: str
    times: int
    team_id: str | None = None
    error: str = ""
    status: int = 200
    retry_after: int = 1
    # Extra fields of the error answer, as Slack adds them (missing_scope's "needed").
    fields: dict[str, Any] = field(default_factory=dict)

    def matches(self, method: str, team_id: str | None) -> bool:
        return (
            self.times > 0
            and self.method in (method, "*")
            and (self.team_id is None or self.team_id == team_id)
        )
