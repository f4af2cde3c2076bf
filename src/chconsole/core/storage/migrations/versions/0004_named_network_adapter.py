"""the CSP network adapter is named, not imported by a dotted path

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text("UPDATE setting SET value = 'simulated' "
                       "WHERE key = 'csp_network' AND value = 'sim.network:SimulatedNetwork'"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE setting SET value = 'sim.network:SimulatedNetwork' "
                       "WHERE key = 'csp_network' AND value = 'simulated'"))
