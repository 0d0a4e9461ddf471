"""Fixed bot tokens for several workspaces: the reminder tests' and benchmark's TokenProvider."""

from __future__ import annotations

from collections.abc import Mapping


class StaticTokens:
    """Several workspaces with known tokens (in production: the bot token, or installations)."""

    def __init__(self, tokens: Mapping[str, str]) -> None:
        self._tokens = dict(tokens)

    def team_ids(self) -> list[str]:
        return sorted(self._tokens)

    def token_for(self, team_id: str) -> str:
        return self._tokens[team_id]
