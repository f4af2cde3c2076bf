"""`chconsole outbox`: the notices produced, to whom and about what."""

from __future__ import annotations

import argparse

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show


def add_outbox(commands: Commands) -> None:
    """`outbox list [--release ID] [--recipient PARTY]`."""
    actions = Actions(commands.add("outbox", "notices produced"))
    sp = actions.add("list", "notices: to whom, about what", list_notices)
    sp.add_argument("--release", type=int)
    sp.add_argument("--recipient")


def list_notices(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """The notices, newest first, one line each."""
    ns = engine.queries.notices(args.release, args.recipient)
    emit([{"id": n.id, "recipient": n.recipient, "kind": n.kind, "release": n.release,
           "subject": n.subject, "created_at": n.created_at, "status": n.status,
           "attachment": n.attachment, "file": n.eml_path} for n in ns],
         "\n".join(f"{n.id:>6}  {show(n.created_at)}  {n.recipient:10} {n.kind:22} {n.subject}"
                   for n in ns) or "The outbox is empty.")
    return 0
