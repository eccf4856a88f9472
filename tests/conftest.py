"""Suite-wide fixtures: real PostgreSQL / Redis when TEST_POSTGRES_URL / TEST_REDIS_URL are
set, and the root logger put back after every test (`bot.cli.main` configures process
logging bound to a stream pytest closes afterwards)."""

pytest_plugins = ["tests.backends", "tests.cli_logging"]
