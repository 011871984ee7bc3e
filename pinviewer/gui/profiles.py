"""Profiles: one per blog or business. Switch, create, rename, delete (never without a confirmation)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QLineEdit, QMessageBox

from pinviewer.gui.formatting import by_count


def tr(text: str) -> str:
    return QCoreApplication.translate("Profiles", text)


class ProfileBox(QComboBox):
    """The profile switcher in the top bar."""

    chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Profile"))
        self.setToolTip(self.tr("Your profiles: one for each blog or business"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(11)
        self.setMaximumWidth(280)
        self.activated.connect(lambda i: self.chosen.emit(self.itemText(i)))

    def set_profiles(self, names: list[str], current: str) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItems(names)
        if current in names:
            self.setCurrentIndex(names.index(current))
        self.blockSignals(False)


def ask_name(parent, title: str, label: str, current: str = "") -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, current)
    text = text.strip()
    return text if ok and text else None


def ask_new(parent) -> str | None:
    return ask_name(parent, tr("New profile"),
                    tr("Name of the blog or business (you can change it later):"))


def ask_rename(parent, current: str) -> str | None:
    name = ask_name(parent, tr("Rename profile"), tr("New name for '{name}':").format(name=current),
                    current)
    return None if name == current else name


def confirm_delete(parent, name: str, imports: int) -> bool:
    """Ask before deleting; Cancel is the default button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Delete profile"))
    box.setText(tr("Delete the profile '{name}' and its whole history?").format(name=name))
    what = by_count(imports, tr("Its one import and every figure it brought"),
                  tr("Its {n} imports and every figure they brought")) if imports else tr("It")
    box.setInformativeText(tr("{what} will be removed from this computer. Your export files are not touched, "
                              "so you could import them again.").format(what=what))
    delete = box.addButton(tr("Delete '{name}'").format(name=name), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete
