"""Incidents and triage (R6): incidents, the emergency stop's outcome, triage, the Panel, resume."""
