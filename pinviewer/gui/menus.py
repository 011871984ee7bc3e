"""The window's menus (File, View, Profile, Help) and their actions, with shortcuts and mnemonics.

``build_menus(window)`` fills the four menus the skeleton made and returns ``Actions``: the items other parts
enable, check or hide. A disabled item says why in its tooltip and status tip (``set_enabled``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from pinviewer.gui import settings


def tr(text: str) -> str:
    return QCoreApplication.translate("Menus", text)


@dataclass
class Actions:
    import_: QAction
    history: QAction
    connect: QAction
    sync: QAction
    demo: QAction
    leave_demo: QAction
    print_: QAction
    pdf: QAction
    impressions: QAction
    pages: list[QAction] = field(default_factory=list)
    profiles: list[QAction] = field(default_factory=list)


def set_enabled(action: QAction, enabled: bool, why: str = "") -> None:
    """Enable ``action``, or disable it and say why (tooltip and status bar tip), in words."""
    action.setEnabled(bool(enabled))
    tip = "" if enabled else why
    action.setToolTip(tip or action.text().replace("&", "").rstrip("…"))
    action.setStatusTip(tip)


def _action(window, menu, text, slot, shortcut=None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(window) -> Actions:
    """The menus of ``window`` (a MainWindow with its controllers)."""
    menus, imports, paper, profiles, sync = (window.menus, window.imports, window.paper, window.profiles,
                                             window.sync)
    file_menu = menus["file"]
    file_menu.setToolTipsVisible(True)
    # the actions in menu order, then Actions with all of them
    import_ = _action(window, file_menu, tr("&Import…"), imports.choose_files, QKeySequence.StandardKey.Open)
    history = _action(window, file_menu, tr("Import &history…"), imports.show_history)
    connect = _action(window, file_menu, tr("&Connect Pinterest…"), sync.open_dialog)
    sync_now = _action(window, file_menu, tr("&Sync with Pinterest"), sync.start, "Ctrl+R")
    demo = _action(window, file_menu, tr("Try the &sample data"), profiles.open_demo)
    leave_demo = _action(window, file_menu, tr("&Back to my blog"), profiles.open_own)
    leave_demo.setVisible(False)
    file_menu.addSeparator()
    print_ = _action(window, file_menu, tr("&Print…"), paper.print_summary, QKeySequence.StandardKey.Print)
    pdf = _action(window, file_menu, tr("Save summary as P&DF…"), paper.save_pdf, "Ctrl+Shift+S")
    file_menu.addSeparator()
    _action(window, file_menu, tr("&Quit"), window.close, QKeySequence.StandardKey.Quit)

    view_menu = menus["view"]
    view_menu.setToolTipsVisible(True)
    group = QActionGroup(window)
    pages = []
    for i, label in enumerate((tr("&Overview"), tr("&Pins"), tr("P&osts"), tr("I&nsights"))):
        action = _action(window, view_menu, label, lambda page=i: window.show_page(page), f"Ctrl+{i + 1}")
        action.setCheckable(True)
        group.addAction(action)
        pages.append(action)
    view_menu.addSeparator()
    impressions: QAction = _action(window, view_menu, tr("Show &impressions in the chart"),
                                   lambda: window.set_impressions_visible(impressions.isChecked()))
    impressions.setCheckable(True)
    impressions.setChecked(bool(settings.get_bool(settings.SHOW_IMPRESSIONS, True)))
    actions = Actions(import_=import_, history=history, connect=connect, sync=sync_now, demo=demo,
                      leave_demo=leave_demo, print_=print_, pdf=pdf, impressions=impressions, pages=pages)

    profile_menu = menus["profile"]
    profile_menu.setToolTipsVisible(True)
    actions.profiles = [_action(window, profile_menu, tr("&New profile…"), profiles.new),
                        _action(window, profile_menu, tr("&Rename profile…"), profiles.rename),
                        _action(window, profile_menu, tr("&Delete profile…"), profiles.delete),
                        _action(window, profile_menu, tr("&Currency of revenue…"), profiles.ask_currency)]

    help_menu = menus["help"]
    _action(window, help_menu, tr("&What these numbers mean"), lambda: show_numbers_help(window),
            QKeySequence.StandardKey.HelpContents)
    _action(window, help_menu, tr("&About PinViewer"), lambda: show_about(window))
    return actions


def show_numbers_help(window) -> None:
    from pinviewer.gui.help import NumbersHelp

    NumbersHelp(window).exec()


def show_about(window) -> None:
    from pinviewer.gui.help import about

    about(window)
