"""Pilots (R2): nominations, running the pilot, its gate, notices and reports."""
