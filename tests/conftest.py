"""Suite-wide fixtures: real PostgreSQL / Redis when TEST_POSTGRES_URL / TEST_REDIS_URL are set."""

pytest_plugins = ["tests.backends"]
