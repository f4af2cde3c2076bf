"""Typed requests the desks take, and how the command line's words become them.

The console builds these from its widgets; the command line reads them from words
(`count=300 spread=regions`, `region=North size=50000`) with the parsers here.
"""

from __future__ import annotations

from chconsole.core.deployment.batches import RULES_HELP as BATCH_RULES_HELP
from chconsole.core.deployment.batches import BatchRule
from chconsole.core.deployment.batches import parse_rule as batch_rule
from chconsole.core.pilots.rules import RULES_HELP as PILOT_RULES_HELP
from chconsole.core.pilots.rules import PilotRule
from chconsole.core.pilots.rules import parse as pilot_rule
from chconsole.core.releases.lifecycle import ReleaseDraft

__all__ = ["BATCH_RULES_HELP", "PILOT_RULES_HELP", "BatchRule", "PilotRule", "ReleaseDraft", "batch_rule",
           "pilot_rule"]
