"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 03:52:41.083227
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_user',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('audit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('cpl_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('manufacturer', sa.String(length=80), nullable=False),
    sa.Column('device_model', sa.String(length=40), nullable=False),
    sa.Column('hardware_version', sa.String(length=16), nullable=False),
    sa.Column('firmware_version', sa.String(length=8), nullable=False),
    sa.Column('image_hash', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('device_model', 'firmware_version')
    )
    op.create_table('estate_tally',
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('hubs', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('dimension', 'key')
    )
    op.create_table('hub',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('guid', sa.String(length=23), nullable=False),
    sa.Column('device_model', sa.String(length=40), nullable=False),
    sa.Column('firmware_version', sa.String(length=8), nullable=False),
    sa.Column('smi_status', sa.String(length=24), nullable=False),
    sa.Column('csp_region', sa.String(length=16), nullable=False),
    sa.Column('import_supplier', sa.String(length=16), nullable=True),
    sa.Column('gas_supplier', sa.String(length=16), nullable=True),
    sa.Column('in_smi', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hub', schema=None) as batch_op:
        batch_op.create_index('ux_hub_guid', ['guid'], unique=True)

    op.create_table('party',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('region',
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('csp_id', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['csp_id'], ['party.id'], ),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('device_model', sa.String(length=40), nullable=False),
    sa.Column('target_cpl_id', sa.Integer(), nullable=False),
    sa.Column('to_version', sa.String(length=8), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('release_type', sa.String(length=16), nullable=False),
    sa.Column('release_note', sa.Text(), nullable=False),
    sa.Column('deployment_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deployment_date_set', sa.Boolean(), nullable=False),
    sa.Column('cut_off', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('distribution_lead_days', sa.Integer(), nullable=False),
    sa.Column('pilot_cap', sa.Integer(), nullable=False),
    sa.Column('eligible', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['target_cpl_id'], ['cpl_entry.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('user_role',
    sa.Column('user_name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['user_name'], ['app_user.name'], ),
    sa.PrimaryKeyConstraint('user_name', 'role')
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=True),
    sa.Column('recipient', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachment_kind', sa.String(length=24), nullable=True),
    sa.Column('attachment', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('eml_path', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_recipient'), ['recipient'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_release_id'), ['release_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_status'), ['status'], unique=False)

    op.create_table('release_from_version',
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('firmware_version', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('release_id', 'firmware_version')
    )
    op.create_table('release_hub',
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.BigInteger(), nullable=False),
    sa.Column('import_supplier', sa.String(length=16), nullable=True),
    sa.Column('gas_supplier', sa.String(length=16), nullable=True),
    sa.Column('csp_region', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('hub_group', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('planned_activation', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('release_id', 'hub_id')
    )
    with op.batch_alter_table('release_hub', schema=None) as batch_op:
        batch_op.create_index('ix_release_hub_gas', ['release_id', 'gas_supplier'], unique=False)
        batch_op.create_index('ix_release_hub_hub', ['hub_id'], unique=False)
        batch_op.create_index('ix_release_hub_import', ['release_id', 'import_supplier'], unique=False)

    op.create_table('release_note_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('release_note', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('release_note_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_note_change_release_id'), ['release_id'], unique=False)

    op.create_table('release_tally',
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('hubs', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('release_id', 'dimension', 'key')
    )

    # The audit trail is append-only: the database itself refuses edits and deletions.
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )
    op.execute("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '" + "0" * 64 + "')")
    # The three CSP regions and their providers are fixed by the DCC's contracts.
    op.execute(
        "INSERT INTO party (id, name, kind) VALUES "
        "('ARQIVA', 'Arqiva', 'csp'), ('TELEFONICA', 'Telefonica', 'csp')"
    )
    op.execute(
        "INSERT INTO region (name, csp_id) VALUES "
        "('North', 'ARQIVA'), ('Central', 'TELEFONICA'), ('South', 'TELEFONICA')"
    )


def downgrade() -> None:
    op.drop_table('release_tally')
    with op.batch_alter_table('release_note_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_note_change_release_id'))

    op.drop_table('release_note_change')
    with op.batch_alter_table('release_hub', schema=None) as batch_op:
        batch_op.drop_index('ix_release_hub_import')
        batch_op.drop_index('ix_release_hub_hub')
        batch_op.drop_index('ix_release_hub_gas')

    op.drop_table('release_hub')
    op.drop_table('release_from_version')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_status'))
        batch_op.drop_index(batch_op.f('ix_notice_release_id'))
        batch_op.drop_index(batch_op.f('ix_notice_recipient'))

    op.drop_table('notice')
    op.drop_table('user_role')
    op.drop_table('release')
    op.drop_table('region')
    op.drop_table('setting')
    op.drop_table('party')
    with op.batch_alter_table('hub', schema=None) as batch_op:
        batch_op.drop_index('ux_hub_guid')

    op.drop_table('hub')
    op.drop_table('estate_tally')
    op.drop_table('cpl_entry')
    op.drop_table('audit_head')
    op.drop_table('audit')
    op.drop_table('app_user')
