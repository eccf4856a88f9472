"""Real PostgreSQL and Redis for tests (pytest plugin, loaded by tests/conftest.py).

`TEST_POSTGRES_URL` / `TEST_REDIS_URL` (exported by .ci/run) name the servers.
When a variable is set the tests that need it must run: an unreachable server
fails the session loudly instead of skipping. Only an unset variable skips.

Isolation: every test gets its own PostgreSQL database (cloned from a template
migrated once per session, or empty for migration tests) dropped afterwards, and
its own Redis key prefix whose keys are deleted afterwards, so parallel runs and
tests never see each other's rows, locks or update claims.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import make_url

PG_ENV = "TEST_POSTGRES_URL"
HOST_TAG = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:6]
REDIS_ENV = "TEST_REDIS_URL"


def _dsn(url: str, database: str | None = None) -> str:
    """asyncpg DSN (no "+asyncpg") of a SQLAlchemy URL, optionally another database."""
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _sqlalchemy_url(url: str, database: str) -> str:
    return (
        make_url(url)
        .set(drivername="postgresql+asyncpg", database=database)
        .render_as_string(hide_password=False)
    )


async def _admin(url: str, *statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(_dsn(url), timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@dataclass
class PostgresServer:
    url: str  # the configured URL (its database is only used to create others)
    run_id: str
    template: str | None = None

    def name(self) -> str:
        return f"tb_{self.run_id}_{uuid.uuid4().hex[:8]}"

    def create(self, *, migrated: bool) -> str:
        name = self.name()
        if migrated:
            asyncio.run(
                _admin(self.url, f'CREATE DATABASE "{name}" TEMPLATE "{self.template_db()}"')
            )
        else:
            asyncio.run(_admin(self.url, f'CREATE DATABASE "{name}"'))
        return name

    def drop(self, name: str) -> None:
        asyncio.run(_admin(self.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def url_for(self, name: str) -> str:
        return _sqlalchemy_url(self.url, name)

    def template_db(self) -> str:
        if self.template is None:
            from services.db.engine import Database
            from services.db.migrate import upgrade

            name = f"tb_{self.run_id}_template"
            asyncio.run(_admin(self.url, f'CREATE DATABASE "{name}"'))

            async def migrate() -> None:
                db = Database(self.url_for(name))
                try:
                    await upgrade(db)
                finally:
                    await db.dispose()

            asyncio.run(migrate())
            self.template = name
        return self.template


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def _drop_leftovers(url: str) -> None:
    """Drop test databases of runs on this host that were killed before cleaning up
    (their names carry the pid and a tag of the host name)."""
    import asyncpg

    connection = await asyncpg.connect(_dsn(url), timeout=5)
    try:
        names = [r[0] for r in await connection.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE 'tb\\_%'"
        )]  # fmt: skip
        for name in names:
            parts = name.split("_")
            if len(parts) < 4 or parts[2] != HOST_TAG or not parts[1].isdigit():
                continue
            if not _pid_alive(int(parts[1])):
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    url = os.environ.get(PG_ENV)
    if not url:
        yield None
        return
    try:
        asyncio.run(_admin(url, "SELECT 1"))
    except Exception as exc:  # set but unreachable: fail, never skip
        pytest.fail(f"{PG_ENV} is set but PostgreSQL is unreachable: {exc!r}", pytrace=False)
    asyncio.run(_drop_leftovers(url))
    server = PostgresServer(url, f"{os.getpid()}_{HOST_TAG}_{uuid.uuid4().hex[:6]}")
    yield server
    if server.template is not None:
        server.drop(server.template)


def _need_pg(server: PostgresServer | None) -> PostgresServer:
    if server is None:
        pytest.skip(f"{PG_ENV} not set")
    return server


@pytest.fixture
def pg_url(postgres_server: PostgresServer | None) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database of its own (SQLAlchemy asyncpg URL)."""
    server = _need_pg(postgres_server)
    name = server.create(migrated=True)
    yield server.url_for(name)
    server.drop(name)


@pytest.fixture
def pg_empty_url(postgres_server: PostgresServer | None) -> Iterator[str]:
    """A fresh, empty PostgreSQL database (for migration tests)."""
    server = _need_pg(postgres_server)
    name = server.create(migrated=False)
    yield server.url_for(name)
    server.drop(name)


@dataclass(frozen=True)
class RedisTarget:
    url: str
    prefix: str  # unique per test: pass as REDIS_PREFIX


async def _redis_cleanup(url: str, prefix: str | None) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=5)
    try:
        await client.ping()
        if prefix:
            keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=500)]
            if keys:
                await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(scope="session")
def redis_server() -> str | None:
    url = os.environ.get(REDIS_ENV)
    if not url:
        return None
    try:
        asyncio.run(_redis_cleanup(url, None))
    except Exception as exc:
        pytest.fail(f"{REDIS_ENV} is set but Redis is unreachable: {exc!r}", pytrace=False)
    return url


@pytest.fixture
def redis_target(redis_server: str | None) -> Iterator[RedisTarget]:
    if redis_server is None:
        pytest.skip(f"{REDIS_ENV} not set")
    target = RedisTarget(redis_server, f"tbtest:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    yield target
    asyncio.run(_redis_cleanup(redis_server, target.prefix))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database URL on each backend, for storage tests that must hold on both:
    an empty SQLite file, or a PostgreSQL database already at head (only with
    TEST_POSTGRES_URL set). Call `upgrade(db)` either way (a no-op at head)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "t.db"
        return f"sqlite+aiosqlite:///{path}"
    return request.getfixturevalue("pg_url")
