"""The facade: the one door the console and the command line go through."""
