"""The `chconsole` program: the console window, or a scripted command.

Only the window needs Qt, so it is imported only when a window is asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

WINDOW_COMMANDS = {"demo", "snapshot", "--demo"}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    words = [a for a in args if not a.startswith("--") or a == "--demo"]
    if not words or words[0] in WINDOW_COMMANDS or (args and args[0] in WINDOW_COMMANDS):
        from chconsole.ui.app import main as window_main

        return window_main(args)
    from chconsole.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
