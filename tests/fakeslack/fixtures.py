"""Pytest plugin: `pytest_plugins = ["tests.fakeslack.fixtures"]` in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from .server import FakeSlack


@contextmanager
def checked_fake_slack(**options: object) -> Iterator[FakeSlack]:
    """A started FakeSlack that raises AssertionError on exit if Slack would have rejected a
    call the test did not declare with `expect_violations(...)`. Options go to FakeSlack()."""
    with FakeSlack(**options) as fake:  # type: ignore[arg-type]
        yield fake
        fake.assert_no_violations()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack; the test errors at teardown if Slack would have rejected a call.

    Call `fake_slack.expect_violations()` (or with method names) in tests that provoke them.
    """
    # Raised during teardown, the error is reported against the very test that sent the call.
    with checked_fake_slack() as fake:
        yield fake
