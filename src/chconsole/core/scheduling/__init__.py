"""The scheduler: APScheduler hosts the engine's passes, in the console or headless."""
