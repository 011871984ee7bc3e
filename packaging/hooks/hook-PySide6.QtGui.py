# PinViewer's override of PyInstaller's QtGui hook: the same collection, less the plugins packaging/qt_trim.py
# leaves out. Filtering here (not after Analysis) also keeps those plugins' own libraries (GTK...) out.
import sys
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from qt_trim import trim  # noqa: E402

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = trim(binaries)
datas = trim(datas)
