"""``pinviewer connect``, ``pinviewer sync`` and ``pinviewer disconnect``.

Secrets are read from standard input (or typed without echo at a terminal), never from the command line or
an environment variable, and are kept only in the system keyring.
"""
from __future__ import annotations

import getpass
import json
import signal
import sys
import threading
import webbrowser

from pinviewer.core.errors import PinviewerError

CLI_NO_KEYRING = (
    "PinViewer found no working keyring on this computer (GNOME Keyring, KWallet, the macOS Keychain or the "
    "Windows Credential Manager), so it can't remember your Pinterest token, and it never writes it to a file. "
    "Set up a keyring and connect again, or use the token for one run only: "
    "`pinviewer sync --token-stdin`.")


def register(subparsers) -> None:
    connect = subparsers.add_parser(
        "connect", help="connect your Pinterest business account (the token goes into the system keyring)",
        description="Checks a Pinterest access token (shows the account name and type) and keeps it in the "
                    "system keyring. Paste the token from your app on developers.pinterest.com, or use your "
                    "own app's id and secret for the browser sign-in (OAuth).")
    connect.add_argument("--token-stdin", action="store_true",
                         help="read the access token from standard input")
    connect.add_argument("--app-id", metavar="ID",
                         help="sign in through the browser with your Pinterest app (the app secret is read from "
                              "standard input); the app must list http://localhost:PORT/ as a redirect URI")
    connect.add_argument("--port", type=int, default=None, metavar="PORT",
                         help="loopback port for the browser sign-in (default 8085)")
    connect.set_defaults(func=_connect)

    sync = subparsers.add_parser(
        "sync", help="fetch your Pinterest analytics into the local history",
        description="Fetches account analytics day by day, the top Pins, every Pin with its 90-day figures, "
                    "boards, and daily figures for the Pins that matter most. Days already final are not "
                    "fetched again.")
    sync.add_argument("--profile", metavar="NAME", help="the profile to store into (created if needed)")
    sync.add_argument("--pins", type=int, metavar="N",
                      help="fetch daily figures for the top N Pins (default: the profile's setting, else 50)")
    sync.add_argument("--token-stdin", action="store_true",
                      help="use an access token from standard input for this run only (nothing is stored)")
    sync.add_argument("--json", action="store_true", help="print the result as JSON")
    sync.set_defaults(func=_sync)

    disconnect = subparsers.add_parser(
        "disconnect", help="remove the Pinterest token from the system keyring (your history stays)")
    disconnect.set_defaults(func=_disconnect)


def _read_secret(prompt: str) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        value = getpass.getpass(prompt)
    else:
        value = (sys.stdin.readline() if sys.stdin is not None else "")
    value = value.strip()
    from pinviewer.logs import hide

    hide(value)  # from now on the log never shows it, whatever its shape
    if not value:
        raise PinviewerError("Nothing was read from standard input. Pipe the token in, for example: "
                             "`pinviewer connect --token-stdin < token.txt`.")
    return value


def _connect(args) -> int:
    from pinviewer.core.api import credentials

    problem = credentials.keyring_problem()
    if problem:  # say so before asking for a secret that could not be kept
        raise PinviewerError(CLI_NO_KEYRING)
    try:
        if args.app_id:
            secret = _read_secret("Pinterest app secret: ")
            port = args.port or credentials.DEFAULT_REDIRECT_PORT

            def open_browser(url: str) -> None:
                print(f"Opening Pinterest in your browser. If nothing opens, visit:\n{url}", file=sys.stderr)
                webbrowser.open(url)

            tokens = credentials.oauth_authorize(args.app_id, secret, port=port, open_browser=open_browser)
            account = credentials.connect(tokens)
        elif args.token_stdin:
            account = credentials.connect(_read_secret("Pinterest access token: "))
        else:
            raise PinviewerError("Say where the token comes from: `pinviewer connect --token-stdin` (paste or pipe "
                                 "the access token), or `pinviewer connect --app-id ID` for the browser sign-in.")
    except credentials.NoKeyring:
        raise PinviewerError(CLI_NO_KEYRING) from None
    print(f"Connected to Pinterest as {account.describe()}. The token is kept in your system keyring.")
    return 0


def _sync(args) -> int:
    from pinviewer.core.api import credentials
    from pinviewer.core.api.client import PinterestClient
    from pinviewer.core.api.sync import sync
    from pinviewer.core.store import Store

    if args.pins is not None and args.pins < 0:
        raise PinviewerError("--pins needs a number of Pins, 0 or more.")
    try:
        if args.token_stdin:
            client = PinterestClient(_read_secret("Pinterest access token: "))
        else:
            client = credentials.client_from_keyring()
    except credentials.NoKeyring:
        raise PinviewerError(CLI_NO_KEYRING) from None

    stop = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        def on_interrupt(signum, frame):  # first Ctrl+C: stop and keep what was fetched; second: quit
            if stop.is_set():
                raise KeyboardInterrupt
            stop.set()
            print("\nStopping; keeping what was fetched...", file=sys.stderr)

        previous = signal.signal(signal.SIGINT, on_interrupt)
    show = sys.stderr.isatty()

    def progress(done: int, total: int, message: str) -> None:
        if show:
            print(f"\r{message}: {done} of {total}   ", end="", file=sys.stderr, flush=True)

    try:
        with Store.open() as store:
            profile = store.ensure_profile(args.profile)
            try:
                result = sync(store, client, profile, top_n=args.pins, progress=progress, cancelled=stop.is_set)
            except PinviewerError as error:
                partial = getattr(error, "sync_result", None)
                if partial is not None and partial.import_result is not None:
                    print(("\n" if show else "") + partial.sentence())
                raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if show:
        print(file=sys.stderr)
    if args.json:
        imported = result.import_result
        print(json.dumps(allow_nan=False, indent=2, obj={
            "account": result.account.username if result.account else None,
            "requests": result.requests, "retries": result.retries, "cancelled": result.cancelled,
            "account_days": result.account_days, "provisional_days": result.provisional_days,
            "pins_listed": result.pins_listed, "pins_daily": result.pins_daily, "boards": result.boards,
            "batch_id": result.batch_id,
            "already_imported": bool(imported is not None and getattr(imported, "already_imported", None)),
            "unchanged": result.unchanged, "dropped": result.dropped, "notes": result.notes,
            "stored": result.stored_sentence(),
        }))
    else:
        print(result.sentence())
    if result.dropped:  # said on stderr too, where a script's warnings go
        print(result.dropped_sentence(), file=sys.stderr)
    return 0


def _disconnect(args) -> int:
    from pinviewer.core.api import credentials

    try:
        removed = credentials.forget()
    except credentials.NoKeyring:
        raise PinviewerError("PinViewer could not open the system keyring to remove the Pinterest token. Unlock "
                             "it and try again.") from None
    if removed:
        print("Disconnected: PinViewer removed your Pinterest token from the system keyring. "
              "Your history stays.")
    else:
        print("PinViewer was not connected to Pinterest; nothing to remove.")
    return 0
