"""`chconsole user`: DCC users and their roles."""

from __future__ import annotations

import argparse

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.facade import Engine


def add_user(commands: Commands) -> None:
    """`user add NAME --role ROLE ...`, `user set NAME --role ROLE ...` and `user list`."""
    actions = Actions(commands.add("user", "DCC users and their roles"))
    sp = actions.add("add", "give a DCC user roles", add)
    sp.add_argument("name")
    sp.add_argument("--role", action="append", required=True,
                    help="operator, release-manager, panel-secretary or admin (repeatable)")
    sp = actions.add("set", "make these a user's only roles (administrators)", set_roles)
    sp.add_argument("name")
    sp.add_argument("--role", action="append", required=True,
                    help="operator, release-manager, panel-secretary or admin (repeatable)")
    actions.add("list", "list users and roles", list_users)


def add(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Give a DCC user roles."""
    u = committed(engine.admin.add_user(args.name, args.role))
    emit({"name": u.name, "roles": list(u.roles)}, f"{u.name}: {', '.join(u.roles)}")
    return 0


def list_users(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Every DCC user and their roles."""
    users = engine.admin.users()
    emit([{"name": u.name, "roles": list(u.roles)} for u in users],
         "\n".join(f"{u.name}: {', '.join(u.roles)}" for u in users))
    return 0


def set_roles(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Make the roles given a user's only roles."""
    u = committed(engine.admin.set_roles(args.name, args.role))
    emit({"name": u.name, "roles": list(u.roles)}, f"{u.name}: {', '.join(u.roles)}")
    return 0
