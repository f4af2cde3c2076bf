"""The Outbox with a mail relay: its settings set in its dialog, Send now and Retry failed through
a real SMTP relay (aiosmtpd on 127.0.0.1), failures first, then newest first, and its filters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from mail_relay import NO_MAILBOX, TRY_LATER, Relay, running_relay
from PySide6.QtWidgets import QDialog
from ui_helpers import Answers, Settle, change

from chconsole.core.engine.dto import NoticeInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.main_window import MainWindow
from chconsole.ui.outbox.mail_settings import MailSettingsDialog
from chconsole.ui.outbox.view import OutboxView


def notice_address(party: str) -> str:
    return f"firmware.notices@{party.lower()}.example"  # the demo's suppliers' addresses


@pytest.fixture
def relay() -> Iterator[Relay]:
    with running_relay() as r:
        yield r


@pytest.fixture
def outbox(window: MainWindow, settle: Settle) -> OutboxView:
    window.demo_clock.set_speed(0)  # no clock beats: each change below is the only one
    settle()
    window.show_view(window.views.index(window.outbox))
    settle(lambda: window.outbox.model.rowCount() > 0)
    return window.outbox


def set_relay(outbox: OutboxView, answers: Answers, settle: Settle, relay: Relay) -> None:
    """Set the relay as an administrator does: Mail settings..., fill in, Save."""

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, MailSettingsDialog)
        dialog.host.setText(relay.host)
        dialog.port.setText(str(relay.port))
        dialog.starttls.setChecked(False)  # the test relay has no certificate
        dialog.send()
        return True

    answers.reply = fill
    outbox.settings_button.click()
    settle(lambda: "Sent through" in outbox.relay_label.text())


def sent_out(outbox: OutboxView, console, settle: Settle, relay: Relay) -> list[NoticeInfo]:
    """Release 2 notified after the relay was set, then Send now: its notices go (or fail)."""
    change(console, settle, lambda e: e.releases.notify(2))
    settle(lambda: outbox.send_button.isEnabled())
    outbox.send_button.click()
    settle(lambda: any(n.status in ("SENT", "FAILED") for n in outbox.model.notices))
    return outbox.model.notices


def test_without_a_relay_nothing_can_be_sent_and_notices_say_so(outbox: OutboxView) -> None:
    assert not outbox.send_button.isEnabled() and not outbox.retry_button.isEnabled()
    assert "No mail relay" in outbox.relay_label.text()
    statuses = {outbox.model.data(outbox.model.index(r, 5)) for r in range(outbox.model.rowCount())}
    assert statuses == {"Written (no relay)"}


def test_failures_come_first_then_the_newest(
    outbox: OutboxView, console, answers: Answers, settle: Settle, relay: Relay, make_console, qtbot
) -> None:
    set_relay(outbox, answers, settle, relay)
    relay.refuse[notice_address("OCTO")] = NO_MAILBOX
    relay.refuse[notice_address("BGAS")] = TRY_LATER
    notices = sent_out(outbox, console, settle, relay)
    failed = [n for n in notices if n.status == "FAILED"]
    assert {n.recipient for n in failed} >= {"OCTO", "BGAS"}
    assert notices[:len(failed)] == failed  # every failure before anything else
    assert [n.id for n in failed] == sorted((n.id for n in failed), reverse=True)
    rest = notices[len(failed):]
    assert [n.id for n in rest] == sorted((n.id for n in rest), reverse=True)
    words = {outbox.model.data(outbox.model.index(r, 5)) for r in range(len(failed))}
    assert f"Failed: {NO_MAILBOX}" in words and f"Failed: {TRY_LATER}" in words
    sent = [n for n in rest if n.status == "SENT"]
    assert {n.recipient for n in sent} == {r.message["X-Chconsole-Recipient"] for r in relay.received}
    assert all(outbox.model.status(n) == "Sent" for n in sent)
    said = console.messages.last
    assert said is not None and said[0] == "warning" and f"{len(failed)} failed" in said[1]
    assert outbox.count_label.text().endswith(f", {len(failed)} failed")

    again = make_console()  # the Outbox opened afresh opens on the first failure
    window = MainWindow(again)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: not again.runner.busy and again.roles is not None)
    window.demo_clock.set_speed(0)
    window.show_view(window.views.index(window.outbox))
    qtbot.waitUntil(lambda: not again.runner.busy and window.outbox.model.rowCount() > 0)
    assert [n.id for n in window.outbox.model.notices] == [n.id for n in notices]
    assert window.outbox.selected() == window.outbox.model.notices[0] and notices[0].status == "FAILED"
    window.close()


def test_the_reader_tells_a_failure_and_when_it_is_tried_again(
    outbox: OutboxView, console, answers: Answers, settle: Settle, relay: Relay
) -> None:
    set_relay(outbox, answers, settle, relay)
    relay.refuse[notice_address("OCTO")] = NO_MAILBOX
    relay.refuse[notice_address("BGAS")] = TRY_LATER
    notices = sent_out(outbox, console, settle, relay)
    octo = next(r for r, n in enumerate(notices) if n.recipient == "OCTO" and n.release == 2)
    outbox.table.selectRow(octo)
    assert outbox.delivery.text() == (f"Failed: {NO_MAILBOX}; tried 1 time; not tried again until someone "
                                      "presses Retry failed.")
    bgas = next(r for r, n in enumerate(notices) if n.recipient == "BGAS" and n.release == 2)
    outbox.table.selectRow(bgas)
    five_minutes_on = show(console.engine.now() + timedelta(minutes=5))  # the clock stood still meanwhile
    assert outbox.delivery.text() == f"Failed: {TRY_LATER}; tried 1 time; next try at {five_minutes_on}."


def test_retry_failed_sends_them_again_now(
    outbox: OutboxView, console, answers: Answers, settle: Settle, relay: Relay
) -> None:
    set_relay(outbox, answers, settle, relay)
    relay.refuse[notice_address("OCTO")] = NO_MAILBOX
    sent_out(outbox, console, settle, relay)
    assert outbox.retry_button.isEnabled()
    del relay.refuse[notice_address("OCTO")]  # the supplier's mailbox is back
    outbox.retry_button.click()
    settle(lambda: next(n for n in outbox.model.notices if n.recipient == "OCTO" and n.release == 2).status == "SENT")
    assert len([r for r in relay.received if notice_address("OCTO") in r.rcpt_tos]) == 1


def test_filters_by_recipient_kind_release_and_state(
    outbox: OutboxView, console, answers: Answers, settle: Settle, relay: Relay
) -> None:
    set_relay(outbox, answers, settle, relay)
    relay.refuse[notice_address("OCTO")] = NO_MAILBOX
    everything = sent_out(outbox, console, settle, relay)
    f = outbox.filters

    def shows(rule) -> None:  # type: ignore[no-untyped-def]
        settle()
        assert outbox.model.notices == [n for n in everything if rule(n)]
        assert outbox.model.notices

    f.state.select("FAILED")
    shows(lambda n: n.status == "FAILED")
    f.state.select(None)
    f.recipient.select("OCTO")
    shows(lambda n: n.recipient == "OCTO")
    f.release.select(2)
    shows(lambda n: n.recipient == "OCTO" and n.release == 2)
    f.clear()
    f.kind.select("RELEASE_NOTICE")
    shows(lambda n: n.kind == "RELEASE_NOTICE")
    f.state.select("SENT")
    shows(lambda n: n.kind == "RELEASE_NOTICE" and n.status == "SENT")
    f.recipient.select("TELEFONICA")  # the CSP has no address on file: none of its notices went
    settle()
    assert outbox.model.notices == [] and outbox.count_label.text() == "No notices match these filters."
    f.clear()
    shows(lambda n: True)


def test_a_refused_setting_is_said_in_the_dialog_which_stays_open(
    outbox: OutboxView, answers: Answers, settle: Settle
) -> None:
    seen: list[MailSettingsDialog] = []

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, MailSettingsDialog)
        dialog.host.setText("relay.dcc.example")
        dialog.port.setText("smtp")
        dialog.send()
        seen.append(dialog)
        return False

    answers.reply = fill
    outbox.settings_button.click()
    settle(lambda: seen and seen[0].error.isVisibleTo(seen[0]))
    assert "port 'smtp' is not a number" in seen[0].error.text()
    assert "No mail relay" in outbox.relay_label.text()


def test_only_an_administrator_may_open_the_mail_settings(make_console, qtbot, console, settle: Settle) -> None:
    console.engine.admin.add_user("olive", ["operator"])
    olive = make_console("olive")
    theirs = MainWindow(olive)
    qtbot.addWidget(theirs)
    theirs.show()
    theirs.start()
    qtbot.waitUntil(lambda: not olive.runner.busy and olive.roles is not None)
    theirs.demo_clock.set_speed(0)
    theirs.show_view(theirs.views.index(theirs.outbox))
    qtbot.waitUntil(lambda: not olive.runner.busy and theirs.outbox.page is not None)
    assert not theirs.outbox.settings_button.isEnabled()
    assert "administrator" in theirs.outbox.settings_button.toolTip()
    theirs.close()
