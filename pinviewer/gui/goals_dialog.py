"""Monthly goals: outbound clicks, saves and conversions the blogger aims for (stored per profile)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout

# the figures' one name each, as core.insights.goals.GOAL_METRICS has them (conversions = key_events)
GOALS = (("outbound_clicks", "Outbound clicks a month"), ("saves", "Saves a month"),
         ("key_events", "Conversions (sign-ups, sales) a month"))


class GoalsDialog(QDialog):
    """Asks for the three monthly targets; 0 means no goal."""

    def __init__(self, goals: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Monthly goals"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Set what you aim for each month. PinViewer tells you on the Insights page whether "
                               "you are on pace. Leave 0 for no goal."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.boxes: dict[str, QSpinBox] = {}
        for key, label in GOALS:
            box = QSpinBox()
            box.setRange(0, 10_000_000)
            box.setGroupSeparatorShown(True)
            box.setSingleStep(50 if key != "key_events" else 5)
            box.setValue(int(goals.get(key) or 0))
            form.addRow(self.tr(label), box)
            self.boxes[key] = box
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def goals(self) -> dict[str, float | None]:
        """The changes for insights.goals.set_goals: None removes a goal."""
        return {key: (float(box.value()) or None) for key, box in self.boxes.items()}
