"""The command line's subcommands, each a few lines over the engine."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from chconsole.core.engine.facade import Engine
from chconsole.core.releases.lifecycle import ReleaseDraft
from chconsole.core.vocabulary.london import parse_time, show

Emit = Callable[[Any, str], None]


def dispatch(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    from chconsole.cli import _release_json, _release_text

    c, a = args.command, getattr(args, "action", None)
    if c == "user" and a == "add":
        u = engine.admin.add_user(args.name, args.role).value
        emit({"name": u.name, "roles": list(u.roles)}, f"{u.name}: {', '.join(u.roles)}")
    elif c == "user" and a == "list":
        users = engine.admin.users()
        emit([{"name": u.name, "roles": list(u.roles)} for u in users],
             "\n".join(f"{u.name}: {', '.join(u.roles)}" for u in users))
    elif c == "import-estate":
        r = engine.admin.import_estate(args.file, full=args.full, skip_invalid=args.skip_invalid).value
        data = {"rows": r.rows, "added": r.added, "updated": r.updated, "gone": r.gone,
                "supplier_changes": r.supplier_changes, "new_suppliers": r.new_suppliers,
                "left_releases": len(r.left_releases), "skipped": r.skipped}
        text = (f"Imported {r.rows:,} rows: {r.added:,} new hubs, {r.updated:,} updated"
                + (f", {r.gone:,} gone from the SMI" if args.full else "")
                + (f"; {len(r.skipped):,} rows skipped:\n" + "\n".join(f"  {p}" for p in r.skipped)
                   if r.skipped else "."))
        emit(data, text)
    elif c == "cpl" and a == "add":
        e = engine.admin.add_cpl_entry(args.model, args.firmware_version, args.image_hash,
                                 args.manufacturer, args.hardware_version).value
        emit(e, f"CPL entry {e.id}: {e.model} firmware {e.firmware_version}")
    elif c == "cpl" and a == "list":
        entries = engine.admin.cpl()
        emit(entries, "\n".join(f"{e.model:24} {e.firmware_version}  {e.image_hash}" for e in entries))
    elif c == "party" and a == "set":
        engine.admin.set_party(args.id, args.name, args.email)
        emit({"id": args.id.upper()}, f"Updated {args.id.upper()}.")
    elif c == "party" and a == "list":
        parties = engine.admin.suppliers()
        emit([{"id": i, "name": n} for i, n in parties], "\n".join(f"{i:8} {n}" for i, n in parties))
    elif c == "release" and a == "create":
        draft = ReleaseDraft(
            model=args.model, from_versions=args.from_version, to_version=args.to_version,
            severity=args.severity, priority=args.priority, release_note=args.release_note,
            release_type=args.type,
            deployment_date=parse_time(args.deployment_date, "deployment date") if args.deployment_date else None,
            pilot_cap=args.pilot_cap, distribution_lead_days=args.lead_days)
        v = engine.releases.create(draft).value
        emit({"id": v.id, "state": v.state}, f"Drafted release {v.id}.")
    elif c == "release" and a == "notify":
        v = engine.releases.notify(args.id).value
        emit(_release_json(v), _release_text(v))
    elif c == "release" and a == "revoke":
        v = engine.releases.revoke(args.id, args.reason).value
        emit(_release_json(v), _release_text(v))
    elif c == "release" and a == "note":
        v = engine.releases.update_note(args.id, args.release_note).value
        emit(_release_json(v), _release_text(v))
    elif c == "release" and a == "show":
        v = engine.releases.get(args.id)
        emit(_release_json(v), _release_text(v))
    elif c == "release" and a == "list":
        vs = engine.releases.all()
        emit([_release_json(v) for v in vs], "\n".join(
            f"{v.id:>4}  {v.state:16} {v.model} {', '.join(v.from_versions)} -> {v.to_version}  "
            f"eligible {v.eligible:,}" for v in vs) or "No releases.")
    elif c == "export":
        n = engine.reports.export(args.report, args.supplier, args.out, args.release).value
        emit({"report": args.report, "supplier": args.supplier.upper(), "rows": n, "file": str(args.out)},
             f"Wrote {args.out} ({n:,} hubs).")
    elif c == "hub" and a == "show":
        h = engine.queries.hub(args.guid)
        text = (f"{h.guid}  {h.device_model} firmware {h.firmware_version}  {h.smi_status}  {h.csp_region}\n"
                f"  Import supplier {h.import_supplier or '-'}, gas supplier {h.gas_supplier or '-'}"
                + ("" if h.in_smi else "\n  No longer in the SMI")
                + "".join(f"\n  Release {r.release} ({r.release_state}): {r.state} [{r.group}]"
                          + (f" reason {r.reason}" if r.reason else "")
                          + (f", planned activation {show(r.planned_activation)}" if r.planned_activation else "")
                          for r in h.releases))
        emit(h, text)
    elif c == "tick":
        at = engine.time.tick(parse_time(args.now, "--now time") if args.now else None, downtime=args.downtime).value
        emit({"now": at}, f"Done everything due up to {show(at)}.")
    elif c == "outbox" and a == "list":
        ns = engine.queries.notices(args.release, args.recipient)
        emit([{"id": n.id, "recipient": n.recipient, "kind": n.kind, "release": n.release,
               "subject": n.subject, "created_at": n.created_at, "status": n.status,
               "attachment": n.attachment, "file": n.eml_path} for n in ns],
             "\n".join(f"{n.id:>6}  {show(n.created_at)}  {n.recipient:10} {n.kind:22} {n.subject}"
                       for n in ns) or "The outbox is empty.")
    elif c in ("instruct", "instructions", "batch", "grace-period"):
        from chconsole.commands_deploy import dispatch_deploy

        return dispatch_deploy(engine, args, emit)
    elif c in ("pilot", "network"):
        from chconsole.commands_pilot import dispatch_pilot

        return dispatch_pilot(engine, args, emit)
    elif c == "verify-audit":
        r = engine.admin.verify_audit()
        emit(r, f"The audit trail is intact: {r.entries:,} entries." if r.intact else
             f"The audit trail has been tampered with at entry {r.first_bad_id}: {r.problem}.")
        return 0 if r.intact else 1
    else:  # argparse only lets known commands through
        raise AssertionError(f"unhandled command {c} {a}")
    return 0
