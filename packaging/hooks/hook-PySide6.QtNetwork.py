# PinViewer's override of PyInstaller's QtNetwork hook. The app uses QtNetwork only for QLocalServer/QLocalSocket
# (pinviewer.gui.single_instance); HTTP goes through the Python standard library. So: no TLS backends, no
# network-information plugins, no OpenSSL that Qt would load for them.
import sys
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from qt_trim import trim  # noqa: E402

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = trim(binaries)
datas = trim(datas)
