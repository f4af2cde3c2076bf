"""The SMI estate: importing extracts, browsing it, and each supplier's estate status (R5)."""
