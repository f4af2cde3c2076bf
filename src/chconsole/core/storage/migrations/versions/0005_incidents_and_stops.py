"""incidents' triage and decisions, emergency stops, the failure guard (R6); command attempts

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('incident', schema=None) as b:
        b.add_column(sa.Column('automatic', sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column('scope', sa.Text(), nullable=True))
        b.add_column(sa.Column('stop_id', sa.Integer(), nullable=True))
        b.add_column(sa.Column('outcome', sa.String(8), nullable=True))
        b.add_column(sa.Column('new_date', TS, nullable=True))
        b.add_column(sa.Column('triaged_at', TS, nullable=True))
        b.add_column(sa.Column('triaged_by', sa.String(64), nullable=True))
        b.add_column(sa.Column('triage_note', sa.Text(), nullable=True))
        b.add_column(sa.Column('confirmed_at', TS, nullable=True))
        b.add_column(sa.Column('confirmed_by', sa.String(120), nullable=True))
        b.add_column(sa.Column('confirm_body', sa.String(16), nullable=True))
        b.add_column(sa.Column('confirm_recorded_by', sa.String(64), nullable=True))
        b.add_column(sa.Column('closed_at', TS, nullable=True))
        b.add_column(sa.Column('closed_by', sa.String(64), nullable=True))
        b.create_index('ix_incident_state', ['state'])
    op.create_table('incident_event',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('incident_id', sa.Integer(), sa.ForeignKey('incident.id'), nullable=False, index=True),
        sa.Column('at', TS, nullable=False),
        sa.Column('by', sa.String(64), nullable=False),
        sa.Column('kind', sa.String(24), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
    )
    op.create_table('emergency_stop',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('every_release', sa.Boolean(), nullable=False),
        sa.Column('pressed_at', TS, nullable=False),
        sa.Column('pressed_by', sa.String(64), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('lifted_at', TS, nullable=True),
    )
    op.create_table('stop_release',
        sa.Column('stop_id', sa.Integer(), sa.ForeignKey('emergency_stop.id'), primary_key=True),
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), primary_key=True),
        sa.Column('held_done', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table('stop_hub',
        sa.Column('stop_id', sa.Integer(), sa.ForeignKey('emergency_stop.id'), primary_key=True),
        sa.Column('release_id', sa.Integer(), primary_key=True),
        sa.Column('hub_id', sa.BigInteger(), primary_key=True),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(16), nullable=True),
        sa.Column('answered_at', TS, nullable=True),
    )
    op.create_index('ix_stop_hub_outcome', 'stop_hub', ['stop_id', 'outcome'])
    op.create_index('ix_stop_hub_hub', 'stop_hub', ['release_id', 'hub_id'])
    with op.batch_alter_table('release', schema=None) as b:
        # While paused or suspended: the state to go back to, who halted it and when.
        b.add_column(sa.Column('resume_to', sa.String(20), nullable=True))
        b.add_column(sa.Column('halted_by', sa.String(64), nullable=True))
        b.add_column(sa.Column('halted_at', TS, nullable=True))
        # The failure guard: failures above guard_max_failure (hundredths of a percent) of at
        # least guard_min_finished finished hubs in any batch, region or supplier pause it.
        b.add_column(sa.Column('guard_max_failure', sa.Integer(), nullable=False, server_default='200'))
        b.add_column(sa.Column('guard_min_finished', sa.Integer(), nullable=False, server_default='200'))
    with op.batch_alter_table('release_hub', schema=None) as b:
        b.add_column(sa.Column('held_from', sa.String(24), nullable=True))
        # Which attempt the hub's commands are on: a hub commanded again (re-activated after
        # a call-back, retried after a failure) gets a new command key per attempt.
        b.add_column(sa.Column('attempt', sa.Integer(), nullable=False, server_default='1'))
    op.create_table('csp_command_new',
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), primary_key=True),
        sa.Column('hub_id', sa.BigInteger(), primary_key=True),
        sa.Column('step', sa.String(12), primary_key=True),
        sa.Column('attempt', sa.Integer(), primary_key=True, server_default='1'),
        sa.Column('recorded_at', TS, nullable=False),
        sa.Column('sent_at', TS, nullable=True),
        sa.Column('activate_at', TS, nullable=True),
        sa.Column('outcome', sa.String(24), nullable=True),
        sa.Column('outcome_at', TS, nullable=True),
    )
    op.execute("INSERT INTO csp_command_new (release_id, hub_id, step, attempt, recorded_at, sent_at, "
               "activate_at, outcome, outcome_at) SELECT release_id, hub_id, step, 1, recorded_at, sent_at, "
               "activate_at, outcome, outcome_at FROM csp_command")
    op.drop_table('csp_command')
    op.rename_table('csp_command_new', 'csp_command')
    op.create_index('ix_csp_command_sent_at', 'csp_command', ['sent_at'])
    op.create_table('guard_baseline',
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), primary_key=True),
        sa.Column('scope', sa.String(40), primary_key=True),
        sa.Column('failed', sa.BigInteger(), nullable=False),
        sa.Column('finished', sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('guard_baseline')
    op.drop_index('ix_csp_command_sent_at', 'csp_command')
    op.create_table('csp_command_old',
        sa.Column('release_id', sa.Integer(), sa.ForeignKey('release.id'), primary_key=True),
        sa.Column('hub_id', sa.BigInteger(), primary_key=True),
        sa.Column('step', sa.String(12), primary_key=True),
        sa.Column('recorded_at', TS, nullable=False),
        sa.Column('sent_at', TS, nullable=True),
        sa.Column('activate_at', TS, nullable=True),
        sa.Column('outcome', sa.String(24), nullable=True),
        sa.Column('outcome_at', TS, nullable=True),
    )
    op.execute("INSERT INTO csp_command_old SELECT release_id, hub_id, step, recorded_at, sent_at, activate_at, "
               "outcome, outcome_at FROM csp_command WHERE attempt = 1")
    op.drop_table('csp_command')
    op.rename_table('csp_command_old', 'csp_command')
    op.create_index('ix_csp_command_sent_at', 'csp_command', ['sent_at'])
    with op.batch_alter_table('release_hub', schema=None) as b:
        b.drop_column('attempt')
        b.drop_column('held_from')
    with op.batch_alter_table('release', schema=None) as b:
        for c in ('guard_min_finished', 'guard_max_failure', 'halted_at', 'halted_by', 'resume_to'):
            b.drop_column(c)
    op.drop_index('ix_stop_hub_hub', 'stop_hub')
    op.drop_index('ix_stop_hub_outcome', 'stop_hub')
    for t in ('stop_hub', 'stop_release', 'emergency_stop', 'incident_event'):
        op.drop_table(t)
    with op.batch_alter_table('incident', schema=None) as b:
        b.drop_index('ix_incident_state')
        for c in ('closed_by', 'closed_at', 'confirm_recorded_by', 'confirm_body', 'confirmed_by',
                  'confirmed_at', 'triage_note', 'triaged_by', 'triaged_at', 'new_date', 'outcome',
                  'stop_id', 'scope', 'automatic'):
            b.drop_column(c)
