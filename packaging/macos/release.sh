#!/bin/sh
# macOS release: sign, notarise and staple the app, then put it in a DMG with an Applications link to drag it
# onto, and sign, notarise and staple the DMG too. Run after `python packaging/build.py` (which signs every
# binary as PyInstaller collects it, with the same identity) on macOS 13 or later with Xcode 15 or later.
#
#   export PINVIEWER_CODESIGN_IDENTITY="Developer ID Application: Your Name (TEAMID)"
#   packaging/macos/release.sh            -> dist/PinViewer-<version>-macos.dmg
#
# The notarisation credentials are a keychain profile made once with
#   xcrun notarytool store-credentials pinviewer-notary --apple-id ... --team-id ...
# (PINVIEWER_NOTARY_PROFILE names another). Both the app and the DMG are notarised and stapled: the app keeps its
# ticket after it is dragged out of the DMG, so Gatekeeper accepts it offline too.
set -eu

fail() { echo "release.sh: $*" >&2; exit 1; }
if [ -z "${PINVIEWER_CODESIGN_IDENTITY:-}" ]; then
    fail "PINVIEWER_CODESIGN_IDENTITY is not set. Without a Developer ID Application identity the app cannot be
signed or notarised, and macOS refuses to open it on other Macs. 'security find-identity -v -p codesigning'
lists yours; set the variable, rebuild (python packaging/build.py) and run this again. Nothing was done."
fi
IDENTITY=$PINVIEWER_CODESIGN_IDENTITY
PROFILE=${PINVIEWER_NOTARY_PROFILE:-pinviewer-notary}
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
NAME=$("$PY" packaging/appinfo.py name)
VERSION=$("$PY" packaging/appinfo.py version)
APP="dist/$NAME.app"
DMG="dist/$NAME-$VERSION-macos.dmg"
ENTITLEMENTS=packaging/macos/entitlements.plist
[ -d "$APP" ] || fail "$APP is not there: build it first (python packaging/build.py)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

notarise() {  # notarise FILE: submit, wait, and stop unless Apple accepted it
    result=$(xcrun notarytool submit "$1" --keychain-profile "$PROFILE" --wait --output-format json) \
        || fail "notarytool could not submit $1: $result"
    case "$result" in
        *'"status":"Accepted"'*|*'"status": "Accepted"'*) ;;
        *) fail "Apple did not accept $1: $result
See why: xcrun notarytool log <id> --keychain-profile $PROFILE" ;;
    esac
}

# 1. The app: the bundle's own signature (hardened runtime, timestamp, entitlements) over the signed binaries.
codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" --sign "$IDENTITY" "$APP"
codesign --verify --deep --strict --verbose=2 "$APP"
ditto -c -k --keepParent "$APP" "$WORK/$NAME.zip"
notarise "$WORK/$NAME.zip"
xcrun stapler staple "$APP"
spctl --assess --type execute --verbose=2 "$APP"

# 2. The DMG: the stapled app and a link to /Applications, so the window says what to do (drag one onto the other).
mkdir "$WORK/dmg"
ditto "$APP" "$WORK/dmg/$NAME.app"
ln -s /Applications "$WORK/dmg/Applications"
rm -f "$DMG"
hdiutil create -volname "$NAME" -srcfolder "$WORK/dmg" -ov -format UDZO "$DMG"
codesign --force --timestamp --sign "$IDENTITY" "$DMG"
notarise "$DMG"
xcrun stapler staple "$DMG"
spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
echo "$DMG: signed, notarised and stapled (and so is the app inside)."
