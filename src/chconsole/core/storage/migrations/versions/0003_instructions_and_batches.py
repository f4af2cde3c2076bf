"""supplier instructions, batches (dispatch waves), scheduler lease, per-hub instruction times

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('batch',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), nullable=False, index=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('name', sa.String(80), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('activate_at', TS, nullable=False),
        sa.Column('distribute_from', TS, nullable=False),
        sa.Column('state', sa.String(12), nullable=False),
        sa.Column('hubs', sa.BigInteger(), nullable=False, server_default='0'),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('created_by', sa.String(64), nullable=False),
        sa.Column('claimed_at', TS, nullable=True),
        sa.Column('claimed_by', sa.String(64), nullable=True),
        sa.Column('overdue_since', TS, nullable=True),
        sa.Column('finished_at', TS, nullable=True),
    )
    op.create_index('ix_batch_state', 'batch', ['state', 'distribute_from'])
    op.create_table('instruction',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), nullable=False, index=True),
        sa.Column('supplier', sa.String(16), nullable=False, index=True),
        sa.Column('name', sa.String(80), nullable=True),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('activate_at', TS, nullable=False),
        sa.Column('received_at', TS, nullable=False),
        sa.Column('received_by', sa.String(64), nullable=False),
        sa.Column('submitted', sa.Integer(), nullable=False),
        sa.Column('accepted', sa.Integer(), nullable=False),
        sa.Column('refused', sa.Integer(), nullable=False),
    )
    op.create_table('instruction_line',
        sa.Column('instruction_id', sa.Integer(), sa.ForeignKey('instruction.id'), primary_key=True),
        sa.Column('line', sa.Integer(), primary_key=True),
        sa.Column('guid', sa.String(40), nullable=False),
        sa.Column('hub_id', sa.BigInteger(), nullable=True),
        sa.Column('reason', sa.String(24), nullable=True),
    )
    op.create_table('scheduler_lease',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('holder', sa.String(120), nullable=True),
        sa.Column('until', TS, nullable=True),
        sa.Column('last_pass_at', TS, nullable=True),
    )
    with op.batch_alter_table('release_hub', schema=None) as b:
        b.add_column(sa.Column('instr_import_id', sa.Integer(), nullable=True))
        b.add_column(sa.Column('instr_gas_id', sa.Integer(), nullable=True))
        b.add_column(sa.Column('instr_import_at', TS, nullable=True))
        b.add_column(sa.Column('instr_gas_at', TS, nullable=True))
        b.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        b.add_column(sa.Column('confirmed_at', TS, nullable=True))
        b.create_index('ix_release_hub_batch', ['batch_id', 'state', 'csp_region'], unique=False)
        b.create_index('ix_release_hub_confirmed', ['confirmed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('release_hub', schema=None) as b:
        b.drop_index('ix_release_hub_confirmed')
        b.drop_index('ix_release_hub_batch')
        for c in ('confirmed_at', 'batch_id', 'instr_gas_at', 'instr_import_at', 'instr_gas_id', 'instr_import_id'):
            b.drop_column(c)
    for t in ('scheduler_lease', 'instruction_line', 'instruction'):
        op.drop_table(t)
    op.drop_index('ix_batch_state', 'batch')
    op.drop_table('batch')
