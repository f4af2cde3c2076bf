"""Each actor's dashboard (R5): upgrades in flight, what the actor owes and by when."""
