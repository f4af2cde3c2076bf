"""The `chconsole` program: the console window, or a scripted command.

Only the window needs Qt, so it is imported only when a window is asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

WINDOW_COMMANDS = {"demo", "snapshot", "tour"}
# Options that take a value: their value is not a command word.
VALUED = {"--db", "--as", "--hubs", "--out"}


def first_word(args: Sequence[str]) -> str | None:
    """The first command word, skipping options and the values they take."""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.startswith("-"):
            skip = arg in VALUED  # "--db=URL" carries its own value
            continue
        return arg
    return None


def wants_window(args: Sequence[str]) -> bool:
    word = first_word(args)
    if "--help" in args or "-h" in args:
        return word in WINDOW_COMMANDS
    return word is None or word in WINDOW_COMMANDS or "--demo" in args


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_window(args):
        from chconsole.ui.app import main as window_main

        return window_main(args)
    from chconsole.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
