#!/bin/sh
# Install PinViewer for this user: the app under ~/.local/lib/pinviewer, a `pinviewer` command in ~/.local/bin,
# and the menu entry, "Open with" for CSV files, icons and software-centre details under ~/.local/share.
# No root needed; nothing outside your home folder changes. Run it again to update; uninstall.sh removes it.
#
#   ./install.sh                 (from the unpacked PinViewer folder)
#   PREFIX=/somewhere ./install.sh   (another prefix than ~/.local, e.g. for a test)
set -eu

APP_ID="@APP_ID@"
APP_NAME="@APP_NAME@"
SOURCE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
PREFIX=${PREFIX:-"$HOME/.local"}
APP_DIR="$PREFIX/lib/pinviewer"
BIN_DIR="$PREFIX/bin"
SHARE="$PREFIX/share"

if [ ! -x "$SOURCE/pinviewer" ] || [ ! -d "$SOURCE/share" ]; then
    echo "install.sh: run me from the unpacked $APP_NAME folder (it holds 'pinviewer' and 'share/')." >&2
    exit 1
fi

# Replace an earlier install, but only a folder this script made (it carries the marker file).
if [ -e "$APP_DIR" ]; then
    if [ ! -f "$APP_DIR/.pinviewer-bundle" ]; then
        echo "install.sh: $APP_DIR exists and is not a $APP_NAME install; leaving it alone." >&2
        exit 1
    fi
    if [ "$(cd "$APP_DIR" && pwd)" != "$SOURCE" ]; then
        rm -rf "$APP_DIR"
    fi
fi
if [ "$APP_DIR" != "$SOURCE" ] && [ ! -e "$APP_DIR" ]; then
    mkdir -p "$(dirname "$APP_DIR")"
    cp -R "$SOURCE" "$APP_DIR"
fi
touch "$APP_DIR/.pinviewer-bundle"

mkdir -p "$BIN_DIR"
ln -sf "$APP_DIR/pinviewer" "$BIN_DIR/pinviewer"

# The menu entry runs the installed program by its full path: ~/.local/bin is not on every desktop's PATH.
EXEC="$APP_DIR/pinviewer"
case "$EXEC" in
    *[\"\`\$\\]*) EXEC=pinviewer ;;  # characters a desktop entry would need escaped: rely on PATH instead
    *" "*) EXEC="\"$EXEC\"" ;;
esac
sed_escape() { printf '%s' "$1" | sed -e 's/[&|\\]/\\&/g'; }
mkdir -p "$SHARE/applications" "$SHARE/metainfo"
sed -e "s|^Exec=pinviewer |Exec=$(sed_escape "$EXEC") |" \
    -e "s|^TryExec=pinviewer\$|TryExec=$(sed_escape "$APP_DIR/pinviewer")|" \
    "$APP_DIR/share/applications/$APP_ID.desktop" > "$SHARE/applications/$APP_ID.desktop"
cp "$APP_DIR/share/metainfo/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
for icon in "$APP_DIR"/share/icons/hicolor/*/apps/"$APP_ID".*; do
    size=$(basename "$(dirname "$(dirname "$icon")")")
    mkdir -p "$SHARE/icons/hicolor/$size/apps"
    cp "$icon" "$SHARE/icons/hicolor/$size/apps/"
done

# Let the desktop notice now rather than at the next login (each tool is optional).
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$SHARE/icons/hicolor" || true
command -v kbuildsycoca6 >/dev/null 2>&1 && kbuildsycoca6 >/dev/null 2>&1 || true
command -v kbuildsycoca5 >/dev/null 2>&1 && kbuildsycoca5 >/dev/null 2>&1 || true

echo "$APP_NAME is installed: open it from your applications menu, or right-click a CSV file > Open With > $APP_NAME."
echo "To remove it: $APP_DIR/uninstall.sh (your figures in ~/.local/share/$APP_NAME are kept)."
