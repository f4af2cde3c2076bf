"""`chconsole cpl`: the Central Products List."""

from __future__ import annotations

import argparse

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.facade import Engine


def add_cpl(commands: Commands) -> None:
    """`cpl add --model M --firmware-version V --image-hash H ...` and `cpl list`."""
    actions = Actions(commands.add("cpl", "the Central Products List"))
    sp = actions.add("add", "record a CPL entry", add)
    sp.add_argument("--model", required=True)
    sp.add_argument("--firmware-version", required=True)
    sp.add_argument("--image-hash", required=True)
    sp.add_argument("--manufacturer", default="")
    sp.add_argument("--hardware-version", default="")
    actions.add("list", "list CPL entries", list_entries)


def add(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Record a CPL entry."""
    e = committed(engine.admin.add_cpl_entry(args.model, args.firmware_version, args.image_hash,
                                             args.manufacturer, args.hardware_version))
    emit(e, f"CPL entry {e.id}: {e.model} firmware {e.firmware_version}")
    return 0


def list_entries(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Every CPL entry."""
    entries = engine.admin.cpl()
    emit(entries, "\n".join(f"{e.model:24} {e.firmware_version}  {e.image_hash}" for e in entries))
    return 0
