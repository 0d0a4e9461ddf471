# Shared fixtures: the fake Slack Web API and the databases (SQLite, and PostgreSQL where
# one is reachable).
pytest_plugins = ["tests.fakeslack.fixtures", "tests.db_fixtures", "tests.app_fixtures"]
