"""Pilot tracking (R2): one release's pilot group, from the nominations to DCC's decision."""
