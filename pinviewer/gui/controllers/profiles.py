"""Profiles (one per blog or client) and the sample blog: switch, create, rename, delete, and back.

Each action asks on the GUI thread (pinviewer.gui.profiles' dialogs), then hands the change to the worker
(``pinviewer.core.session``) through ``DataController.run_load``, which shows the profile it returns.
"""
from __future__ import annotations

from PySide6.QtCore import QObject


class ProfilesController(QObject):
    def __init__(self, window, data):
        super().__init__(window)
        self.window, self.data = window, data

    def can_change(self) -> bool:
        """Profiles can be changed on the user's own history, not from the sample blog."""
        return self.data.store is not None and not self.data.demo and self.data.profile is not None

    def switch(self, name: str) -> None:
        from pinviewer.core import session

        data = self.data
        if data.store is None or data.demo or (data.profile is not None and name == data.profile.name):
            return
        store, view = data.store, data.view()
        data.run_load(lambda p, c: session.switch_profile(store, name, view, c),
                      self.tr("Opening {name}…").format(name=name))

    def new(self) -> None:
        from pinviewer.core import session
        from pinviewer.gui import profiles

        name = profiles.ask_new(self.window)
        if name and self.data.store is not None:
            store, view = self.data.store, self.data.view()
            self.data.run_load(lambda p, c: session.create_profile(store, name, view, c),
                               self.tr("Creating {name}…").format(name=name))

    def rename(self) -> None:
        from pinviewer.core import session
        from pinviewer.gui import profiles

        if not self.can_change():
            return
        old = self.data.profile.name
        new = profiles.ask_rename(self.window, old)
        if new:
            store, view = self.data.store, self.data.view()
            self.data.run_load(lambda p, c: session.rename_profile(store, old, new, view, c),
                               self.tr("Renaming {name}…").format(name=old))

    def delete(self) -> None:
        from pinviewer.core import session
        from pinviewer.gui import errors, profiles

        if not self.can_change():
            return
        name = self.data.profile.name
        if len(self.data.profiles) < 2:
            errors.show_problem(self.window, self.tr("'{name}' is your only profile; create another one before "
                                                     "deleting it.").format(name=name))
            return
        if not profiles.confirm_delete(self.window, name, self.data.imports_count):
            return
        store, view = self.data.store, self.data.view()
        self.data.run_load(lambda p, c: session.delete_profile(store, name, view, c),
                           self.tr("Deleting {name}…").format(name=name))

    def ask_currency(self) -> None:
        """Profile > Currency of revenue: the currency the profile's revenue is shown in."""
        from pinviewer.gui import currency_dialog

        currency_dialog.ask(self.window)

    # ------------------------------------------------------------------ the sample blog
    def open_demo(self) -> None:
        from pinviewer.core import session

        view = self.data.view()
        self.data.run_load(lambda p, c: session.open_demo(view, progress=p, cancelled=c),
                           self.tr("Opening the sample blog…"))

    def open_own(self) -> None:
        """The user's own history, on the profile they were on last (start-up, Back to my blog)."""
        from pinviewer.core import session

        from pinviewer.gui import settings

        view, profile = self.data.view(), settings.get_str(settings.PROFILE)
        self.data.run_load(lambda p, c: session.open_user(profile, view, cancelled=c),
                           self.tr("Opening your figures…"))
