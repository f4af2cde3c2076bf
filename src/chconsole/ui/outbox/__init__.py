"""The outbox: every notice the console produced, and its files."""
