from __future__ import annotations

import pytest

from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.reminders.helpers import World, make_world


@pytest.fixture
def world(db: Database, fake_slack: FakeSlack) -> World:
    return make_world(db, fake_slack)
