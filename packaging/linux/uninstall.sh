#!/bin/sh
# Remove what install.sh installed (the app, the `pinviewer` command, the menu entry, icons and details).
# Your history, settings, cache and logs are kept; the folders are named at the end.
#
#   ~/.local/lib/pinviewer/uninstall.sh                 asks whether to remove your Pinterest token too
#   ~/.local/lib/pinviewer/uninstall.sh --disconnect    removes the token without asking (pinviewer disconnect)
#   ~/.local/lib/pinviewer/uninstall.sh --keep-token    does not ask, keeps the token
set -eu

APP_ID="@APP_ID@"
APP_NAME="@APP_NAME@"
MARKER=".pinviewer-bundle"

TOKEN=ask
for argument in "$@"; do
    case "$argument" in
        --disconnect) TOKEN=remove ;;
        --keep-token) TOKEN=keep ;;
        -h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "uninstall.sh: unknown option $argument (try --help)" >&2; exit 2 ;;
    esac
done

HERE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
# install.sh writes where it put things into the installed folder's marker; the downloaded folder's is empty.
if grep -qs '^SHARE=' "$HERE/$MARKER"; then
    APP_DIR=$HERE  # run from the installed folder (the usual way)
else
    APP_DIR="${PREFIX:-"$HOME/.local"}/lib/pinviewer"
fi
if ! grep -qs '^SHARE=' "$APP_DIR/$MARKER"; then
    echo "uninstall.sh: no $APP_NAME installed by install.sh in $APP_DIR; nothing was removed." >&2
    exit 1
fi
setting() { sed -n "s/^$1=//p" "$APP_DIR/$MARKER" | head -n 1; }
BIN_DIR=$(setting BIN_DIR)
SHARE=$(setting SHARE)
: "${BIN_DIR:="${PREFIX:-"$HOME/.local"}/bin"}" "${SHARE:="${PREFIX:-"$HOME/.local"}/share"}"

# 1. The Pinterest token lives in the keyring, not in a file: only the program can remove it, so before it goes.
if [ "$TOKEN" = ask ] && [ -t 0 ] && [ -t 1 ]; then
    printf 'Also remove your Pinterest token from the keyring (pinviewer disconnect)? [y/N] '
    read -r answer || answer=""
    case "$answer" in [yY]*) TOKEN=remove ;; *) TOKEN=keep ;; esac
fi
if [ "$TOKEN" = remove ]; then
    "$APP_DIR/pinviewer" disconnect || echo "The token could not be removed (see above); removing $APP_NAME anyway."
fi

# 2. What install.sh put in place.
if [ -L "$BIN_DIR/pinviewer" ] && [ "$(readlink "$BIN_DIR/pinviewer")" = "$APP_DIR/pinviewer" ]; then
    rm -f "$BIN_DIR/pinviewer"
fi
rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
rm -f "$SHARE"/icons/hicolor/*/apps/"$APP_ID".png "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
# The CSV default install.sh wrote down (the app that opened CSV files before): out again, unless changed since.
PINNED=$(setting CSV_DEFAULT)
MIMEAPPS=$(setting MIMEAPPS)
if [ -n "$PINNED" ] && [ -f "$MIMEAPPS" ]; then
    awk -v line="text/csv=$PINNED" '/^\[/ { on = ($0 == "[Default Applications]") }
        !(on && $0 == line && !done) { print; next } { done = 1 }' "$MIMEAPPS" > "$MIMEAPPS.pinviewer-new" &&
        mv "$MIMEAPPS.pinviewer-new" "$MIMEAPPS"
fi
rm -rf "$APP_DIR"

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$SHARE/icons/hicolor" || true

# 3. What stays, and where (the folders PinViewer uses: pinviewer/paths.py).
if [ -n "${PINVIEWER_HOME:-}" ]; then
    DATA="$PINVIEWER_HOME/data" SETTINGS="$PINVIEWER_HOME/config" CACHE="$PINVIEWER_HOME/cache"
    LOGS="$PINVIEWER_HOME/logs"
else
    DATA="${XDG_DATA_HOME:-"$HOME/.local/share"}/$APP_NAME"
    SETTINGS="${XDG_CONFIG_HOME:-"$HOME/.config"}/$APP_NAME"
    CACHE="${XDG_CACHE_HOME:-"$HOME/.cache"}/$APP_NAME"
    LOGS="${XDG_STATE_HOME:-"$HOME/.local/state"}/$APP_NAME/log"
fi
echo "$APP_NAME is removed. Your figures were kept:"
echo "  history   $DATA"
echo "  settings  $SETTINGS"
echo "  cache     $CACHE"
echo "  logs      $LOGS"
echo "Delete those folders to remove them too."
if [ "$TOKEN" != remove ]; then
    echo "If you connected Pinterest, your token is still in the keyring: 'secret-tool clear service $APP_NAME'" \
         "removes it (or delete the \"$APP_NAME\" entries in Passwords and Keys)."
fi
