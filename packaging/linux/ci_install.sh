#!/usr/bin/env bash
# CI (.ci/run, as root, after build.py): both Linux install routes, used as a person would use them.
#
# The .deb: apt-get install ./dist/pinviewer_<version>_<arch>.deb; the menu entry and metainfo validate; the menu
# entry's Exec line runs --smoke on a real X server and opens a CSV file (it is imported, as a double-click in
# the file manager would); apt-get remove; then nothing of the program is left, and the user's history is.
# The tarball: install.sh as a user, the command works, uninstall.sh removes it and names the kept folders.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
APP_ID=$("$PY" packaging/appinfo.py app_id)
APP_NAME=$("$PY" packaging/appinfo.py name)
ARCH=$(dpkg --print-architecture)
WORK=$(mktemp -d)
fail() { echo "ci_install: FAILED: $*" >&2; exit 1; }
step() { echo "ci_install: $*"; }

debs=(dist/pinviewer_*_"$ARCH".deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one dist/pinviewer_*_$ARCH.deb, found: ${debs[*]}"
DEB=${debs[0]}
dpkg-query -W pinviewer >/dev/null 2>&1 && fail "pinviewer is already installed here; CI needs a clean system"

# ------------------------------------------------------------------------------------------------ the .deb
step "apt-get install ./$DEB ($(du -m "$DEB" | cut -f1) MiB, Installed-Size $(dpkg-deb -f "$DEB" Installed-Size) KiB)"
apt-get install -y -qq --no-install-recommends "./$DEB" >/dev/null
dpkg-query -L pinviewer | sort > "$WORK/files"
DESKTOP=/usr/share/applications/$APP_ID.desktop
[ -x /usr/bin/pinviewer ] || fail "/usr/bin/pinviewer is not there"
desktop-file-validate "$DESKTOP"
appstreamcli validate --no-net "/usr/share/metainfo/$APP_ID.metainfo.xml" >/dev/null
for size in 16x16 48x48 256x256 scalable; do
    ls /usr/share/icons/hicolor/$size/apps/"$APP_ID".* >/dev/null || fail "no $size icon"
done
grep -q "^text/csv=.*$APP_ID.desktop" /usr/share/applications/mimeinfo.cache \
    || fail "the MIME cache does not list $APP_NAME for CSV files (postinst did not refresh it)"

# The menu entry's Exec line, expanded as a desktop does it (%F: the files chosen, each one argument).
exec_line() {  # exec_line FILE...: the command, one argument per line
    "$PY" - "$DESKTOP" "$@" <<'PYTHON'
import shlex, sys
entry = dict(line.split("=", 1) for line in open(sys.argv[1], encoding="utf-8") if "=" in line)
argv = []
for word in shlex.split(entry["Exec"].strip()):
    if word in ("%F", "%U"):
        argv += sys.argv[2:]
    elif word in ("%f", "%u"):
        argv += sys.argv[2:3]
    elif not (len(word) == 2 and word[0] == "%"):
        argv.append(word.replace("%%", "%"))
print("\n".join(argv))
PYTHON
}
# A person using the installed app: a home of their own, no folder overrides.
export HOME="$WORK/home"
mkdir -p "$HOME/Downloads"
unset PINVIEWER_HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME
mapfile -t SMOKE < <(exec_line)
step "menu entry: ${SMOKE[*]} --smoke (X server)"
xvfb-run -a env QT_QPA_PLATFORM=xcb "${SMOKE[@]}" --smoke > "$WORK/smoke.log" 2>&1 || { cat "$WORK/smoke.log"; fail "--smoke"; }
grep -q "smoke: all passed" "$WORK/smoke.log" || { cat "$WORK/smoke.log"; fail "--smoke did not pass"; }

# A Pinterest export as it is downloaded (its name has spaces: each must reach the app as one argument).
CSV_NAME="Pinterest Analytics overview 20260101-20260131 outbound clicks.csv"
CSV="$HOME/Downloads/$CSV_NAME"
cp "resources/demo/$CSV_NAME" "$CSV"
mapfile -t OPEN < <(exec_line "$CSV")
step "menu entry with a CSV file: ${OPEN[*]}"
setsid xvfb-run -a env QT_QPA_PLATFORM=xcb "${OPEN[@]}" > "$WORK/open.log" 2>&1 &
GUI=$!
imported=""
for _ in $(seq 1 120); do
    if pinviewer imports --json > "$WORK/imports.json" 2>/dev/null \
            && grep -qF "\"file_name\": \"$CSV_NAME\"" "$WORK/imports.json"; then
        imported=yes
        break
    fi
    kill -0 "$GUI" 2>/dev/null || break
    sleep 1
done
kill -TERM -- "-$GUI" 2>/dev/null || true
wait "$GUI" 2>/dev/null || true
[ -n "$imported" ] || { cat "$WORK/open.log"; fail "the CSV opened through the menu entry was not imported"; }
HISTORY="$HOME/.local/share/$APP_NAME/pinviewer.sqlite"
[ -s "$HISTORY" ] || fail "no history at $HISTORY"
sha256sum "$HISTORY" > "$WORK/history.sha256"

step "apt-get remove pinviewer"
apt-get remove -y -qq pinviewer > "$WORK/remove.log" 2>&1 || { cat "$WORK/remove.log"; fail "apt-get remove"; }
cat "$WORK/remove.log"
grep -q "pinviewer disconnect" "$WORK/remove.log" || fail "removal did not say how to remove the Pinterest token"
grep -q "share/$APP_NAME" "$WORK/remove.log" || fail "removal did not name the kept history folder"
left=""
while read -r path; do  # every file and link the package had, and its own folders (not shared ones like /usr)
    if [ -L "$path" ] || [ -f "$path" ]; then
        left="$left $path"
    elif [ -d "$path" ]; then
        case "$path" in /opt/pinviewer*|/usr/share/doc/pinviewer*) left="$left $path" ;; esac
    fi
done < "$WORK/files"
[ -z "$left" ] || fail "left behind after removal:$left"
[ ! -e /opt/pinviewer ] || fail "/opt/pinviewer is still there"
# "config-files": dpkg keeps a removed package's postrm until a purge (there are no config files to keep).
status=$(dpkg-query -W -f='${db:Status-Status}' pinviewer 2>/dev/null || echo not-installed)
case "$status" in not-installed|config-files) ;; *) fail "pinviewer is still $status" ;; esac
apt-get purge -y -qq pinviewer >/dev/null
! grep -rqs "$APP_ID" /usr/share/applications/mimeinfo.cache || fail "the MIME cache still lists $APP_NAME"
sha256sum -c --quiet "$WORK/history.sha256" || fail "the history changed on removal"
step "removed: nothing of the program left; the history is kept ($(du -k "$HISTORY" | cut -f1) KiB)"

# ---------------------------------------------------------------------------------------------- the tarball
tarballs=(dist/"$APP_NAME"-*-linux-*.tar.gz)
step "tarball route: ${tarballs[0]}"
mkdir -p "$WORK/unpacked"
tar -xzf "${tarballs[0]}" -C "$WORK/unpacked"
export XDG_DATA_HOME="$HOME/data home" XDG_CONFIG_HOME="$HOME/config home"
"$WORK/unpacked/$APP_NAME/install.sh"
[ -f "$XDG_DATA_HOME/applications/$APP_ID.desktop" ] || fail "install.sh did not honour XDG_DATA_HOME"
"$HOME/.local/bin/pinviewer" --version | grep -q "$APP_NAME" || fail "~/.local/bin/pinviewer --version"
"$HOME/.local/lib/pinviewer/uninstall.sh" --keep-token < /dev/null | tee "$WORK/uninstall.log"
grep -q "history   $XDG_DATA_HOME/$APP_NAME" "$WORK/uninstall.log" || fail "uninstall.sh did not name the history folder"
[ ! -e "$HOME/.local/lib/pinviewer" ] && [ ! -e "$HOME/.local/bin/pinviewer" ] \
    && [ ! -e "$XDG_DATA_HOME/applications/$APP_ID.desktop" ] || fail "uninstall.sh left the program behind"
[ -s "$HISTORY" ] || fail "uninstall.sh touched the history"
rm -rf "$WORK"
step "both install routes passed"
