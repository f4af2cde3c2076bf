"""The database: connection, schema, migrations, the audit chain, the clock, lease rows."""
