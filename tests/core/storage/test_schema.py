"""The migrations build exactly the schema the models declare."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from chconsole.core.storage import campaign_models, incident_models  # noqa: F401 - their tables
from chconsole.core.storage.db import Database
from chconsole.core.storage.models import Base


def test_the_migrated_database_matches_the_models(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 's.db'}")
    db.upgrade()
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    db.dispose()
    assert diffs == []
