"""PinViewer: what your Pinterest work turns into."""
from importlib.metadata import PackageNotFoundError, version as _version

APP_ID = "io.github.pinviewer.PinViewer"
APP_NAME = "PinViewer"
ORG_NAME = "PinViewer"

try:
    __version__ = _version("pinviewer")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
