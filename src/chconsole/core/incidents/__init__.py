"""Incidents and decisions (R6): the emergency stop, incidents, triage with Panel confirmation, resume, and the failure guard."""
