"""`chconsole verify-audit`: check the audit trail's hash chain."""

from __future__ import annotations

import argparse

from chconsole.cli.commands import Commands
from chconsole.cli.output import Emit
from chconsole.core.engine.facade import Engine


def add_verify_audit(commands: Commands) -> None:
    """`verify-audit`."""
    commands.add("verify-audit", "check the audit trail's hash chain", verify_audit)


def verify_audit(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Check the audit trail; exit status 1 when it has been tampered with."""
    r = engine.admin.verify_audit()
    emit(r, f"The audit trail is intact: {r.entries:,} entries." if r.intact else
         f"The audit trail has been tampered with at entry {r.first_bad_id}: {r.problem}.")
    return 0 if r.intact else 1
