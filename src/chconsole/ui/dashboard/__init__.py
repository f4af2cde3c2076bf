"""The dashboard (R5): each upgrade in flight and what is waiting for whom."""
