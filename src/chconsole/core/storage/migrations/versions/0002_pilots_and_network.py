"""pilots, per-hub rollout, CSP commands, progress samples, incidents

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('release_hub', schema=None) as b:
        b.add_column(sa.Column('pilot_import', sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column('pilot_gas', sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column('distributed_at', TS, nullable=True))
        b.add_column(sa.Column('activated_at', TS, nullable=True))
        b.add_column(sa.Column('han_trouble', sa.Boolean(), nullable=False, server_default=sa.false()))
        b.create_index('ix_release_hub_state', ['release_id', 'state', 'hub_group'], unique=False)
    with op.batch_alter_table('notice', schema=None) as b:
        b.add_column(sa.Column('attachment_ref', sa.Integer(), nullable=True))
    op.create_table('pilot',
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), primary_key=True),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('activate_at', TS, nullable=True),
        sa.Column('started_at', TS, nullable=True),
        sa.Column('started_by', sa.String(64), nullable=True),
        sa.Column('finished_at', TS, nullable=True),
        sa.Column('concluded_at', TS, nullable=True),
        sa.Column('concluded_by', sa.String(64), nullable=True),
        sa.Column('decision', sa.String(12), nullable=True),
        sa.Column('commentary', sa.Text(), nullable=True),
        sa.Column('last_progress_on', sa.String(10), nullable=True),
    )
    op.create_table('nomination',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), nullable=False, index=True),
        sa.Column('supplier', sa.String(16), nullable=False),
        sa.Column('received_at', TS, nullable=False),
        sa.Column('received_by', sa.String(64), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('submitted', sa.Integer(), nullable=False),
        sa.Column('joined', sa.Integer(), nullable=False),
        sa.Column('awaiting', sa.Integer(), nullable=False),
        sa.Column('refused', sa.Integer(), nullable=False),
    )
    op.create_table('nomination_hub',
        sa.Column('nomination_id', sa.Integer(), sa.ForeignKey('nomination.id'), primary_key=True),
        sa.Column('line', sa.Integer(), primary_key=True),
        sa.Column('guid', sa.String(40), nullable=False),
        sa.Column('outcome', sa.String(24), nullable=False),
        sa.Column('reason', sa.String(24), nullable=True),
    )
    op.create_table('hub_comment',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), nullable=False, index=True),
        sa.Column('hub_id', sa.BigInteger(), nullable=True),
        sa.Column('at', TS, nullable=False),
        sa.Column('by', sa.String(64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
    )
    op.create_table('csp_command',
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), primary_key=True),
        sa.Column('hub_id', sa.BigInteger(), primary_key=True),
        sa.Column('step', sa.String(12), primary_key=True),
        sa.Column('recorded_at', TS, nullable=False),
        sa.Column('sent_at', TS, nullable=True, index=True),
        sa.Column('activate_at', TS, nullable=True),
        sa.Column('outcome', sa.String(24), nullable=True),
        sa.Column('outcome_at', TS, nullable=True),
    )
    op.create_table('release_progress',
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), primary_key=True),
        sa.Column('at', TS, primary_key=True),
        sa.Column('hub_group', sa.String(12), primary_key=True),
        sa.Column('state', sa.String(24), primary_key=True),
        sa.Column('hubs', sa.BigInteger(), nullable=False),
    )
    op.create_table('incident',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), nullable=False, index=True),
        sa.Column('supplier', sa.String(16), nullable=False),
        sa.Column('raised_at', TS, nullable=False),
        sa.Column('raised_by', sa.String(64), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('emergency_stop', sa.Boolean(), nullable=False),
        sa.Column('priority', sa.String(16), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
    )
    op.create_table('incident_hub',
        sa.Column('incident_id', sa.Integer(), sa.ForeignKey('incident.id'), primary_key=True),
        sa.Column('hub_id', sa.BigInteger(), primary_key=True, index=True),
    )


def downgrade() -> None:
    for t in ('incident_hub', 'incident', 'release_progress', 'csp_command', 'hub_comment',
              'nomination_hub', 'nomination', 'pilot'):
        op.drop_table(t)
    with op.batch_alter_table('notice', schema=None) as b:
        b.drop_column('attachment_ref')
    with op.batch_alter_table('release_hub', schema=None) as b:
        b.drop_index('ix_release_hub_state')
        for c in ('han_trouble', 'activated_at', 'distributed_at', 'pilot_gas', 'pilot_import'):
            b.drop_column(c)
