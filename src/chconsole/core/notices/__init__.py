"""Notices: what the console tells suppliers and CSPs, kept in the outbox table."""
