"""Connecting to the database: SQLite pragmas, write transactions, migrations at start."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from chconsole.core.vocabulary.errors import DatabaseError

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATING = threading.Lock()


STOP_FLAG_STALE = 60.0  # seconds after which a stop's flag file is taken as left behind


def data_folder() -> Path:
    """This user's chconsole folder: $CHCONSOLE_HOME, or the platform's data folder."""
    return Path(os.environ.get("CHCONSOLE_HOME") or user_data_dir("chconsole", "DCC"))


def default_url() -> str:
    """The user's own SQLite database in their data folder."""
    return f"sqlite:///{data_folder() / 'chconsole.db'}"


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how each transaction begins.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute("PRAGMA threads=4")  # lets CREATE INDEX sort on more than one core
    cur.close()


def _begin_sqlite(conn: Any) -> None:
    # A write transaction must take the lock at BEGIN, or a read-then-write transaction
    # fails with "database is locked" whatever the timeout.
    if conn.get_execution_options().get("write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def connect(url: str) -> Engine:
    """Create an engine for URL with the settings this product needs."""
    try:
        u = make_url(url)
        u.get_dialect()
    except (ArgumentError, NoSuchModuleError):
        raise DatabaseError(
            f"{url!r} is not a database URL chconsole can open (use sqlite:///path/to/file.db "
            "or postgresql+psycopg://user@host/database)."
        ) from None
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """One database: sessions for reading and for writing, and its migrations."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = connect(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(write=True), expire_on_commit=False
        )

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back everything on any error."""
        with self._write() as session, session.begin():
            yield session

    # -- the emergency stop's way in ------------------------------------------------
    # SQLite gives its write lock to whoever asks first when it is free, and a writer that
    # waits only looks again now and then: a dispatcher that begins its next short
    # transaction the moment it commits the last could keep an emergency stop waiting until
    # the whole dispatch is done. So a stop says it is coming with a flag file beside the
    # database, and dispatchers step aside for it between their transactions. (PostgreSQL
    # queues the stop's row lock ahead of the next dispatcher's, so it needs no flag.)
    @contextmanager
    def stop_request(self) -> Iterator[None]:
        """While inside, dispatchers step aside between their transactions."""
        flag = self._stop_flag()
        if flag is not None:
            flag.touch()
        try:
            yield
        finally:
            if flag is not None:
                flag.unlink(missing_ok=True)

    def stop_requested(self) -> bool:
        """True while an emergency stop waits for its write (a flag older than a minute is a
        stop that died: it is removed and ignored)."""
        flag = self._stop_flag()
        if flag is None:
            return False
        try:
            age = time.time() - flag.stat().st_mtime
        except FileNotFoundError:
            return False
        if age > STOP_FLAG_STALE:
            flag.unlink(missing_ok=True)
            return False
        return True

    def _stop_flag(self) -> Path | None:
        path = sqlite_path(self.url) if self.is_sqlite else None
        return path.with_name(path.name + ".stop-request") if path is not None else None

    def refresh_statistics(self) -> None:
        """Let the query planner know the tables' shapes after a bulk change (an import, a
        notice), so a set of hubs named in a temporary table is found by key rather than by
        scanning every hub in a state. Sampled, so it costs well under a second at 15M hubs."""
        with self.writing() as session:
            if self.is_sqlite:
                session.execute(text("PRAGMA analysis_limit = 1000"))
                session.execute(text("ANALYZE"))
            else:
                session.execute(text("ANALYZE hub"))
                session.execute(text("ANALYZE release_hub"))

    # -- migrations -------------------------------------------------------------
    def _alembic_config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["engine"] = self.engine
        return cfg

    def exists(self) -> bool:
        try:
            return "alembic_version" in inspect(self.engine).get_table_names()
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "no answer"
            raise DatabaseError(f"Cannot reach the database {self.safe_url()}: {reason}.") from None
        except SQLAlchemyError:
            raise DatabaseError(f"{self.safe_url()} is not a database chconsole can open.") from None

    def check_version(self) -> bool:
        """Refuse a database written by a newer chconsole; True when it is up to date."""
        script = ScriptDirectory.from_config(self._alembic_config())
        with self.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
        known = {rev.revision for rev in script.walk_revisions()}
        for rev in current:
            if rev not in known:
                raise DatabaseError(
                    f"The database {self.safe_url()} was written by a newer chconsole "
                    f"(schema {rev}); install the newer version to open it."
                )
        return current == set(script.get_heads())

    def upgrade(self) -> None:
        """Bring the schema up to date (new databases included)."""
        if self.exists() and self.check_version():
            return
        # Alembic's command API keeps module-level state: one migration at a time.
        with _MIGRATING:
            command.upgrade(self._alembic_config(), "head")

    def url_for_workers(self) -> str | None:
        """The URL another process can open, or None for a private in-memory database."""
        u = make_url(self.url)
        if u.get_backend_name() == "sqlite" and (not u.database or u.database == ":memory:"):
            return None
        return self.url

    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()
