"""Batch control (R3, R4): a release's batches and supplier instructions."""
