"""The emergency stop's two dialogs: its one confirmation, and what it did (with the reason, after).

R6: the stop needs no form to fill first. Its confirmation asks one thing, which release
(the one on screen, or every live release), and says what will happen; the reason comes
afterwards, beside the account of what the stop did.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QPlainTextEdit, QWidget

from chconsole.core.engine.dto import ReleaseInfo, StopInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import label
from chconsole.ui.common.pickers import release_title
from chconsole.ui.common.widgets import icon_or_drawn

EVERY = -1  # the picker's entry for every live release
# A stop sign: a white octagon with a bar, for the red toolbar button (if resources/icons has none).
STOP_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" '
            b'stroke="#ffffff" stroke-width="2" stroke-linejoin="round">'
            b'<path d="M8.2 2.8h7.6l5.4 5.4v7.6l-5.4 5.4H8.2l-5.4-5.4V8.2z"/>'
            b'<path d="M7.5 12h9" stroke-linecap="round" stroke-width="2.4"/></svg>')


def stop_icon() -> QIcon:
    return icon_or_drawn("emergency-stop", STOP_SVG)


class StopDialog(QDialog):
    """The stop's one confirmation: which release, and what stopping it does."""

    def __init__(self, releases: Sequence[ReleaseInfo], default: int | None, known: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Emergency stop")
        self.setObjectName("stopDialog")
        self.setMinimumWidth(620)
        self.release = QComboBox()
        self.release.setObjectName("stopRelease")
        for r in releases:
            self.release.addItem(release_title(r), r.id)
        if len(releases) != 1 or not known:
            self.release.addItem(f"Every live release ({len(releases)})" if known else "Every live release", EVERY)
        index = self.release.findData(default if default is not None else EVERY)
        self.release.setCurrentIndex(index if index >= 0 else 0)
        self.buttons, self.stop_button = dialogs.dialog_buttons(self, "Stop now")
        self.stop_button.setObjectName("dangerButton")
        self.stop_button.setDefault(True)  # Enter confirms: an emergency is no time for the mouse
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.addRow("Suspend", self.release)
        box = dialogs.dialog_column(self)
        box.addWidget(label("Emergency stop: suspend the rollout now?", "dialogTitle", rich=False))
        if known and not releases:
            box.addWidget(label("No release is live, so there is nothing to stop."))
            self.release.setEnabled(False)
            self.stop_button.setEnabled(False)
        else:
            box.addLayout(form)
            box.addWidget(label(
                "<p>The stop takes effect at once: from this moment <b>no further command leaves</b> for the "
                "release. Activations already at the CSP network are called back, and every hub not yet "
                "activated is held where it is. Images already distributed stay on the hubs; they do "
                "nothing until activated.</p>"
                "<p>It stays suspended until the Panel (or its Sub-Committee) confirms a decision and a DCC "
                "user other than you resumes it. You can give the reason afterwards.</p>"))
        box.addWidget(self.buttons)

    def chosen(self) -> int | None:
        """The release to suspend; None for every live release."""
        data = self.release.currentData()
        return None if data is None or int(data) == EVERY else int(data)


class StopDoneDialog(QDialog):
    """What the stop did, and a place for its reason (recorded on the release's incident)."""

    def __init__(self, info: StopInfo, releases: Sequence[ReleaseInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Emergency stop pressed")
        self.setObjectName("stopDoneDialog")
        self.setMinimumWidth(620)
        self.info = info
        titles = {r.id: f"release {r.id} ({escape(r.model)} \u2192 {escape(r.to_version)})" for r in releases}
        which = ", ".join(titles.get(i, f"release {i}") for i in info.releases)
        calls = (f"<b>{info.calls:,} call-backs</b> went to the CSP network for activations already there; "
                 "their answers arrive over the coming hours (a hub can be silent for days), and the "
                 "Incidents view counts them." if info.calls else
                 "No activation was at the CSP network, so nothing needed calling back.")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("stopReason")
        self.reason.setPlaceholderText("Optional: why it was stopped. It is recorded on the release's incident "
                                       "(one is raised for DCC if none is open).")
        self.reason.setFixedHeight(84)
        self.buttons, self.record_button = dialogs.dialog_buttons(self, "Record reason")
        self.record_button.setObjectName("primaryButton")
        close = self.buttons.button(self.buttons.StandardButton.Cancel)
        close.setText("Close")
        self.reason.textChanged.connect(lambda: self.record_button.setEnabled(bool(self.reason_text())))
        self.record_button.setEnabled(False)
        box = dialogs.dialog_column(self)
        box.addWidget(label(f"Emergency stop {info.id} took effect at {show(info.pressed_at)}", "dialogTitle",
                            rich=False))
        box.addWidget(label(
            f"<p><b>Suspended:</b> {which}. No further command leaves for "
            f"{'it' if len(info.releases) == 1 else 'them'}.</p><p>{calls}</p>"
            f"<p><b>{info.held:,} hubs</b> not yet activated are held where they are.</p>"))
        caption = QLabel("Reason")
        caption.setObjectName("caption")
        box.addWidget(caption)
        box.addWidget(self.reason)
        box.addWidget(self.buttons)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()
