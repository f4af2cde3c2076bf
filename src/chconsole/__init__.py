"""chconsole: the operator console for Communications Hub firmware rollouts."""

__version__ = "0.1.0"
