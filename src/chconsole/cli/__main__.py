"""`python -m chconsole.cli`: the command line without the launcher."""

import sys

from chconsole.cli import main

sys.exit(main())
