"""mail through an SMTP relay: each notice's delivery state, the relay's settings

Revision ID: 0008
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Notices written before this stay WRITTEN: in the folder, not sent.
    with op.batch_alter_table('notice', schema=None) as b:
        b.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        b.add_column(sa.Column('last_answer', sa.Text(), nullable=True))
        b.add_column(sa.Column('sent_at', TS, nullable=True))
        b.add_column(sa.Column('next_try_at', TS, nullable=True))
        b.create_index('ix_notice_due', ['status', 'next_try_at'])
    # One row at most; the password is never stored, only the name of the variable holding it.
    op.create_table('mail_relay',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('host', sa.String(253), nullable=False),
        sa.Column('port', sa.Integer(), nullable=False),
        sa.Column('starttls', sa.Boolean(), nullable=False),
        sa.Column('username', sa.String(254), nullable=True),
        sa.Column('password_env', sa.String(64), nullable=True),
        sa.Column('sender', sa.String(320), nullable=False),
        sa.Column('since', TS, nullable=False),
        sa.Column('set_at', TS, nullable=False),
        sa.Column('set_by', sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('mail_relay')
    with op.batch_alter_table('notice', schema=None) as b:
        b.drop_index('ix_notice_due')
        b.drop_column('next_try_at')
        b.drop_column('sent_at')
        b.drop_column('last_answer')
        b.drop_column('attempts')
