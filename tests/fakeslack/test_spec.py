"""The spec oracle: where it is found and what it demands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeslack.spec import ENV_VAR, SPEC_FILE, load_oracle, specs_dir


def test_shared_specs_are_found_beside_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert (specs_dir() / SPEC_FILE).is_file()


def test_env_var_overrides_the_specs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = {"paths": {"/auth.test": {"get": {"parameters": [{"name": "token", "required": True}]}}}}
    (tmp_path / SPEC_FILE).write_text(json.dumps(spec))
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert specs_dir() == tmp_path
    oracle = load_oracle(tmp_path)
    assert oracle.get("auth.test") is not None
    assert oracle.get("chat.postMessage") is None


def test_oracle_requirements() -> None:
    oracle = load_oracle()
    post = oracle.get("chat.postMessage")
    assert post is not None
    assert post.check({"text": "x"}) == (["channel"], [])
    assert post.check({"channel": "C1", "metadata": {}, "bogus": 1}) == ([], ["bogus"])
    oauth = oracle.get("oauth.v2.access")
    assert oauth is not None
    assert oauth.check({"grant_type": "refresh_token"})[0] == ["refresh_token"]
    assert oauth.check({})[0] == ["code"]
    update = oracle.get("views.update")
    assert update is not None
    assert update.check({"view": {}})[0] == ["view_id"]
    assert update.check({"view": {}, "external_id": "x"})[0] == []
    assert oracle.get("files.getUploadURLExternal") is not None  # newer than the spec
