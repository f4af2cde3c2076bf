"""The campaign engine: no Qt, no UI, no simulator imports."""
