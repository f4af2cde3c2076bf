"""Releases and their notices (R1): lifecycle and the eligibility report."""
