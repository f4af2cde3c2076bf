"""Releases and notices (R1): the list, one release's details, and its operations."""
