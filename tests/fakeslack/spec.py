"""Slack's published Web API description used as an oracle for every call the bot makes.

The Swagger file is from 2020: it lacks newer methods and parameters and under-declares some
required ones. So the oracle is "spec plus a small, explicit list of corrections", and unknown
parameters are only warnings.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SPEC_FILE = "slack_web_openapi_v2.json"
ENV_VAR = "SLACK_API_SPECS_DIR"

# Methods the bot may call that postdate the 2020 spec: name -> (required, optional) params.
EXTRA_METHODS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "oauth.v2.exchange": (frozenset({"client_id", "client_secret", "token"}), frozenset()),
    # Socket Mode's first call; the app-level token travels in the Authorization header.
    "apps.connections.open": (frozenset(), frozenset()),
    "files.getUploadURLExternal": (
        frozenset({"filename", "length"}),
        frozenset({"alt_txt", "snippet_type"}),
    ),
    "files.completeUploadExternal": (
        frozenset({"files"}),
        frozenset({"channel_id", "channels", "initial_comment", "thread_ts"}),
    ),
    "assistant.threads.setStatus": (frozenset({"channel_id", "thread_ts", "status"}), frozenset()),
    "assistant.threads.setTitle": (frozenset({"channel_id", "thread_ts", "title"}), frozenset()),
    "assistant.threads.setSuggestedPrompts": (
        frozenset({"channel_id", "thread_ts", "prompts"}),
        frozenset({"title"}),
    ),
}

# Parameters real Slack requires although the 2020 spec marks them optional.
EXTRA_REQUIRED: dict[str, frozenset[str]] = {
    "users.info": frozenset({"user"}),
    "conversations.info": frozenset({"channel"}),
    "conversations.members": frozenset({"channel"}),
    "conversations.history": frozenset({"channel"}),
    "conversations.replies": frozenset({"channel", "ts"}),
    "chat.delete": frozenset({"channel", "ts"}),
    "chat.scheduleMessage": frozenset({"channel", "post_at"}),
    "views.update": frozenset({"view"}),
    "apps.uninstall": frozenset({"client_id", "client_secret"}),
    "reactions.remove": frozenset({"channel", "timestamp"}),
}

# Parameters Slack accepts today that the 2020 spec does not list; not even worth a warning.
NEWER_PARAMS: dict[str, frozenset[str]] = {
    "chat.postMessage": frozenset({"metadata", "markdown_text"}),
    "chat.postEphemeral": frozenset({"markdown_text"}),
    "chat.update": frozenset({"metadata", "markdown_text", "file_ids", "reply_broadcast"}),
    "chat.scheduleMessage": frozenset({"metadata", "markdown_text"}),
    "oauth.v2.access": frozenset({"grant_type", "refresh_token"}),
    "views.update": frozenset({"view_id", "external_id", "hash"}),
}

# Methods that authenticate with client credentials rather than a token.
NO_TOKEN_METHODS = frozenset(
    {"oauth.v2.access", "oauth.access", "oauth.token", "oauth.v2.exchange"}
)


@dataclass(frozen=True)
class MethodSpec:
    name: str
    params: frozenset[str]
    required: frozenset[str]

    def check(self, params: dict[str, object]) -> tuple[list[str], list[str]]:
        """Return (missing required params, unknown params) for one call."""
        required = set(self.required)
        if self.name == "oauth.v2.access" and params.get("grant_type") == "refresh_token":
            # Token rotation sends a refresh_token instead of the code the spec requires.
            required = (required - {"code"}) | {"refresh_token"}
        if self.name == "views.update" and not ({"view_id", "external_id"} & params.keys()):
            required.add("view_id")
        missing = sorted(p for p in required if p not in params)
        unknown = sorted(p for p in params if p not in self.params and p != "token")
        return missing, unknown


def specs_dir() -> Path:
    """Find the shared specs folder: env override, else a `shared/` beside some ancestor."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    here = Path(__file__).resolve()
    # The shared folder sits beside the repo checkout; worktrees may nest deeper, so walk up.
    for ancestor in here.parents:
        candidate = ancestor / "shared" / "slack-api-specs"
        if (candidate / SPEC_FILE).is_file():
            return candidate
    raise FileNotFoundError(
        f"{SPEC_FILE} not found in any shared/slack-api-specs above {here}; set ${ENV_VAR}"
    )


class SpecOracle:
    def __init__(self, methods: dict[str, MethodSpec]) -> None:
        self.methods = methods

    def get(self, method: str) -> MethodSpec | None:
        return self.methods.get(method)

    @classmethod
    def from_file(cls, path: Path) -> SpecOracle:
        doc = json.loads(path.read_text(encoding="utf-8"))
        methods: dict[str, MethodSpec] = {}
        for raw_path, operations in doc["paths"].items():
            name = raw_path.lstrip("/")
            params: set[str] = set()
            required: set[str] = set()
            for operation in operations.values():
                for param in operation.get("parameters", []):
                    params.add(param["name"])
                    if param.get("required"):
                        required.add(param["name"])
            # The token travels in the Authorization header; the server checks it separately.
            required.discard("token")
            required |= EXTRA_REQUIRED.get(name, frozenset())
            params |= required | NEWER_PARAMS.get(name, frozenset())
            methods[name] = MethodSpec(name, frozenset(params), frozenset(required))
        for name, (required_extra, optional) in EXTRA_METHODS.items():
            methods.setdefault(name, MethodSpec(name, required_extra | optional, required_extra))
        return cls(methods)


@lru_cache(maxsize=4)
def _load(path: str) -> SpecOracle:
    return SpecOracle.from_file(Path(path))


def load_oracle(directory: Path | None = None) -> SpecOracle:
    """Parse the spec once per process; every FakeSlack shares the (immutable) result."""
    return _load(str((directory or specs_dir()) / SPEC_FILE))
