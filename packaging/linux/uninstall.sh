#!/bin/sh
# Remove what install.sh put under ~/.local (or PREFIX). Your history, settings and logs are kept
# (~/.local/share/PinViewer, ~/.config/PinViewer...): delete those folders yourself to remove them too.
set -eu

APP_ID="@APP_ID@"
APP_NAME="@APP_NAME@"
PREFIX=${PREFIX:-"$HOME/.local"}
APP_DIR="$PREFIX/lib/pinviewer"
SHARE="$PREFIX/share"

# ~/.local/bin/pinviewer only if it is our link
if [ -L "$PREFIX/bin/pinviewer" ] && [ "$(readlink "$PREFIX/bin/pinviewer")" = "$APP_DIR/pinviewer" ]; then
    rm -f "$PREFIX/bin/pinviewer"
fi
rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
rm -f "$SHARE"/icons/hicolor/*/apps/"$APP_ID".png "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
if [ -f "$APP_DIR/.pinviewer-bundle" ]; then
    rm -rf "$APP_DIR"
fi

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$SHARE/icons/hicolor" || true

echo "$APP_NAME is removed. Your figures are still in ~/.local/share/$APP_NAME; delete that folder to remove them."
