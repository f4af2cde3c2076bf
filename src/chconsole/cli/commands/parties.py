"""`chconsole party`: suppliers and CSPs, their names and notice addresses."""

from __future__ import annotations

import argparse

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.facade import Engine


def add_party(commands: Commands) -> None:
    """`party set ID [--name N] [--email ADDR]` and `party list`."""
    actions = Actions(commands.add("party", "suppliers and CSPs: names and notice addresses"))
    sp = actions.add("set", "name a party and give the address its notices go to", set_party)
    sp.add_argument("id")
    sp.add_argument("--name")
    sp.add_argument("--email")
    actions.add("list", "list suppliers", list_suppliers)


def set_party(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Name a party and give its notice address."""
    committed(engine.admin.set_party(args.id, args.name, args.email))
    emit({"id": args.id.upper()}, f"Updated {args.id.upper()}.")
    return 0


def list_suppliers(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Every supplier: id and name."""
    parties = engine.admin.suppliers()
    emit([{"id": i, "name": n} for i, n in parties], "\n".join(f"{i:8} {n}" for i, n in parties))
    return 0
