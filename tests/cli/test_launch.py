"""`chconsole` opens the window without a command word, and runs commands without Qt."""

from __future__ import annotations

import pytest

from chconsole.launch import wants_window


@pytest.mark.parametrize("args", [[], ["--db", "sqlite:///x.db"], ["--as", "alice"], ["demo"],
                                  ["--demo"], ["snapshot", "--out", "d"], ["--db", "u", "demo"]])
def test_these_open_the_window(args):
    assert wants_window(args)


@pytest.mark.parametrize("args", [["release", "list"], ["--db", "u", "release", "show", "1"],
                                  ["--as", "demo", "tick"], ["--json", "outbox", "list"], ["--help"]])
def test_these_run_a_command(args):
    assert not wants_window(args)
