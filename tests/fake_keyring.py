"""Test-only keyring backend for subprocesses: ``PYTHON_KEYRING_BACKEND=fake_keyring.FileKeyring`` with
``tests/`` on PYTHONPATH and ``PINVIEWER_TEST_KEYRING`` naming a JSON file outside PINVIEWER_HOME.

It stands in for the system keyring across the processes of one test (connect, then sync, then
disconnect). It lives under tests/ only: the app itself never writes a secret to a file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1

    def _path(self) -> Path:
        return Path(os.environ["PINVIEWER_TEST_KEYRING"])

    def _load(self) -> dict:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def _save(self, data: dict) -> None:
        self._path().write_text(json.dumps(data))

    def get_password(self, service, username):
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._save(data)

    def delete_password(self, service, username):
        data = self._load()
        if f"{service}\x00{username}" not in data:
            raise PasswordDeleteError("not found")
        del data[f"{service}\x00{username}"]
        self._save(data)
