"""Deployment (R3, R4, R5): supplier instructions, DCC batches, and what the tick does with them."""
