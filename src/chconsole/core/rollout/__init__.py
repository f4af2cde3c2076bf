"""The per-hub rollout: its state machine, tallies, eligibility, GUID checks and the CSP network."""
