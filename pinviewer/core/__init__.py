"""Qt-free core: readers, store, analysis, insights, report, API client.

Nothing under this package may import PySide6, shiboken6 or pyqtgraph (tests/test_core_is_qt_free.py).
"""
