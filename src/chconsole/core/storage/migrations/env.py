"""Alembic environment: runs against the engine chconsole hands it."""

from alembic import context

from chconsole.core.storage import campaign_models, incident_models  # noqa: F401 - register their tables
from chconsole.core.storage.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
