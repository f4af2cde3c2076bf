"""`chconsole import-estate` and `chconsole hub show`: the SMI estate and one hub in it."""

from __future__ import annotations

import argparse
from pathlib import Path

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.dto import HubInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show


def add_import_estate(commands: Commands) -> None:
    """`import-estate FILE [--full] [--skip-invalid]`."""
    sp = commands.add("import-estate", "load or refresh the SMI extract (.csv or .xlsx)", import_estate)
    sp.add_argument("file", type=Path)
    sp.add_argument("--full", action="store_true", help="the extract is complete: hubs missing from it left the SMI")
    sp.add_argument("--skip-invalid", action="store_true", help="import the good rows, report the bad ones")


def add_hub(commands: Commands) -> None:
    """`hub show GUID`."""
    actions = Actions(commands.add("hub", "one hub"))
    sp = actions.add("show", "the hub, its suppliers, and its state per release", show_hub)
    sp.add_argument("guid")


def import_estate(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Load or refresh the estate from an SMI extract."""
    r = committed(engine.admin.import_estate(args.file, full=args.full, skip_invalid=args.skip_invalid))
    data = {"rows": r.rows, "added": r.added, "updated": r.updated, "gone": r.gone,
            "supplier_changes": r.supplier_changes, "new_suppliers": r.new_suppliers,
            "left_releases": len(r.left_releases), "skipped": r.skipped}
    text = (f"Imported {r.rows:,} rows: {r.added:,} new hubs, {r.updated:,} updated"
            + (f", {r.gone:,} gone from the SMI" if args.full else "")
            + (f"; {len(r.skipped):,} rows skipped:\n" + "\n".join(f"  {p}" for p in r.skipped)
               if r.skipped else "."))
    emit(data, text)
    return 0


def show_hub(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """One hub: its firmware, suppliers and place in each release."""
    hub = engine.queries.hub(args.guid)
    emit(hub, hub_text(hub))
    return 0


def hub_text(h: HubInfo) -> str:
    """A hub for a person: one line for the hub, one for its suppliers, one per release."""
    return (f"{h.guid}  {h.device_model} firmware {h.firmware_version}  {h.smi_status}  {h.csp_region}\n"
            f"  Import supplier {h.import_supplier or '-'}, gas supplier {h.gas_supplier or '-'}"
            + ("" if h.in_smi else "\n  No longer in the SMI")
            + "".join(f"\n  Release {r.release} ({r.release_state}): {r.state} [{r.group}]"
                      + (f" reason {r.reason}" if r.reason else "")
                      + (f", planned activation {show(r.planned_activation)}" if r.planned_activation else "")
                      for r in h.releases))
