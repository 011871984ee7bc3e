"""PinViewer: what your Pinterest work turns into."""

APP_ID = "io.github.pinviewer.PinViewer"
APP_NAME = "PinViewer"
ORG_NAME = "PinViewer"


def __getattr__(name: str) -> str:
    # __version__ is read from the installed metadata only when asked for: importlib.metadata costs
    # ~30 ms, which the window's first paint does not need to pay.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("pinviewer")
        except PackageNotFoundError:  # a source tree that was never installed
            value = "0.0.0+unknown"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'pinviewer' has no attribute {name!r}")
