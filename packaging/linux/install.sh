#!/bin/sh
# Install @APP_NAME@ for this user: the app under ~/.local/lib/pinviewer, a `pinviewer` command in ~/.local/bin,
# and the menu entry, "Open With" for CSV files, icons and software-centre details in your data folder
# ($XDG_DATA_HOME, normally ~/.local/share). No root needed; nothing outside your home folder changes.
# Run it again to update; uninstall.sh removes it. (On Debian and Ubuntu, the .deb package is the easier way.)
#
#   ./install.sh                     (from the unpacked @APP_NAME@ folder)
#   PREFIX=/somewhere ./install.sh   (PREFIX/lib, PREFIX/bin and PREFIX/share instead, e.g. for a test)
set -eu

APP_ID="@APP_ID@"
APP_NAME="@APP_NAME@"
GLIBC_MIN="@GLIBC_MIN@"

# 1. Can this system run the bundle at all? It carries its libraries but not the C library (glibc).
glibc_version() {
    version=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
    if [ -z "$version" ]; then
        version=$(ldd --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9]*\.[0-9][0-9]*\)$/\1/p')
    fi
    printf '%s' "$version"
}
at_least() {  # at_least 2.39 2.36: is the first major.minor version the second one or newer?
    a=${1%%.*} b=${1#*.} c=${2%%.*} d=${2#*.}
    [ "$a" -gt "$c" ] || { [ "$a" -eq "$c" ] && [ "${b%%.*}" -ge "${d%%.*}" ]; }
}
HAVE=$(glibc_version)
if [ -z "$HAVE" ] || ! at_least "$HAVE" "$GLIBC_MIN"; then
    echo "$APP_NAME needs the GNU C library (glibc) $GLIBC_MIN or newer, and this system has" \
         "${HAVE:-none}. It runs on @GLIBC_SYSTEMS@. Nothing was installed." >&2
    exit 1
fi

SOURCE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
if [ -n "${PREFIX:-}" ]; then
    SHARE="$PREFIX/share"
else
    PREFIX="$HOME/.local"
    SHARE=${XDG_DATA_HOME:-"$HOME/.local/share"}
fi
APP_DIR="$PREFIX/lib/pinviewer"
BIN_DIR="$PREFIX/bin"
CONFIG=${XDG_CONFIG_HOME:-"$HOME/.config"}
MARKER=".pinviewer-bundle"

if [ ! -x "$SOURCE/pinviewer" ] || [ ! -d "$SOURCE/share" ]; then
    echo "install.sh: run me from the unpacked $APP_NAME folder (it holds 'pinviewer' and 'share/')." >&2
    exit 1
fi

# 2. Replace an earlier install, but only a folder this script made (it carries the marker file).
if [ -e "$APP_DIR" ]; then
    if [ ! -f "$APP_DIR/$MARKER" ]; then
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

# 3. Which app opens a CSV file on a double-click today? Asked before our menu entry exists, so that PinViewer is
#    only added to "Open With": where no default is set, the desktop would otherwise pick PinViewer (a user's
#    own menu entries come first), so the app it picks today is written down as the default.
rm -f "$SHARE/applications/$APP_ID.desktop"
csv_default_in() {  # the first app a mimeapps.list names as the default for CSV files
    [ -f "$1" ] || return 0
    awk -F= '/^\[/ { on = ($0 == "[Default Applications]") }
             on && $1 == "text/csv" { split($2, apps, ";"); print apps[1]; exit }' "$1"
}
desktop_file_exists() {
    for dir in "$SHARE" $(printf '%s' "${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" | tr ':' ' '); do
        [ -f "$dir/applications/$1" ] && return 0
    done
    return 1
}
current_csv_default() {
    desktops=$(printf '%s' "${XDG_CURRENT_DESKTOP:-}" | tr ':' ' ' | tr '[:upper:]' '[:lower:]')
    # A default chosen anywhere (the user's, the desktop's, the distribution's) stays the default: nothing to do.
    for dir in "$CONFIG" $(printf '%s' "${XDG_CONFIG_DIRS:-/etc/xdg}" | tr ':' ' '); do
        for name in $(for d in $desktops; do echo "$d-mimeapps.list"; done) mimeapps.list; do
            app=$(csv_default_in "$dir/$name")
            if [ -n "$app" ] && [ "$app" != "$APP_ID.desktop" ]; then echo "explicit $app"; return; fi
        done
    done
    for dir in "$SHARE" $(printf '%s' "${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" | tr ':' ' '); do
        for name in $(for d in $desktops; do echo "$d-mimeapps.list"; done) mimeapps.list defaults.list; do
            app=$(csv_default_in "$dir/applications/$name")
            if [ -n "$app" ] && [ "$app" != "$APP_ID.desktop" ]; then echo "explicit $app"; return; fi
        done
    done
    # None chosen: the desktop picks one of the apps that can open CSV files. Ask it which, if it can say ...
    app=""
    if command -v xdg-mime >/dev/null 2>&1; then
        app=$(xdg-mime query default text/csv 2>/dev/null || true)
    fi
    if [ -z "$app" ] && command -v gio >/dev/null 2>&1; then
        app=$(LC_ALL=C gio mime text/csv 2>/dev/null | sed -n 's/^Default application for .*: *//p')
    fi
    # ... else the first app the MIME caches list that is still installed.
    if [ -z "$app" ]; then
        for dir in "$SHARE" $(printf '%s' "${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" | tr ':' ' '); do
            for candidate in $(sed -n 's/^text\/csv=//p' "$dir/applications/mimeinfo.cache" 2>/dev/null | tr ';' ' '); do
                if [ "$candidate" != "$APP_ID.desktop" ] && desktop_file_exists "$candidate"; then
                    app=$candidate
                    break 2
                fi
            done
        done
    fi
    if [ -n "$app" ] && [ "$app" != "$APP_ID.desktop" ]; then echo "implicit $app"; fi
}
PINNED=""
FOUND=$(current_csv_default)
case "$FOUND" in
    "implicit "*)
        PINNED=${FOUND#implicit }
        MIMEAPPS="$CONFIG/mimeapps.list"
        mkdir -p "$CONFIG"
        if [ -f "$MIMEAPPS" ] && grep -q '^\[Default Applications\]' "$MIMEAPPS"; then
            awk -v line="text/csv=$PINNED" '{ print } $0 == "[Default Applications]" { print line }' \
                "$MIMEAPPS" > "$MIMEAPPS.pinviewer-new" && mv "$MIMEAPPS.pinviewer-new" "$MIMEAPPS"
        else
            { [ -s "$MIMEAPPS" ] && echo; echo "[Default Applications]"; echo "text/csv=$PINNED"; } >> "$MIMEAPPS"
        fi
        ;;
esac

# 4. The command, the menu entry, the icons and the software-centre details.
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

# What uninstall.sh needs to undo exactly this, wherever the folders were.
{
    echo "BIN_DIR=$BIN_DIR"
    echo "SHARE=$SHARE"
    [ -z "$PINNED" ] || { echo "CSV_DEFAULT=$PINNED"; echo "MIMEAPPS=$CONFIG/mimeapps.list"; }
} > "$APP_DIR/$MARKER"

# Let the desktop notice now rather than at the next login (each tool is optional).
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$SHARE/icons/hicolor" || true
command -v kbuildsycoca6 >/dev/null 2>&1 && kbuildsycoca6 >/dev/null 2>&1 || true
command -v kbuildsycoca5 >/dev/null 2>&1 && kbuildsycoca5 >/dev/null 2>&1 || true

echo "$APP_NAME is installed: open it from your applications menu, or right-click a CSV file > Open With > $APP_NAME."
[ -z "$PINNED" ] || echo "CSV files still open with $PINNED on a double-click."
echo "To remove it: $APP_DIR/uninstall.sh (your figures are kept)."
