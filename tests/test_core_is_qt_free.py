"""pinviewer.core runs without Qt: importing every core module with PySide6 and pyqtgraph blocked."""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import importlib, pkgutil, sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6"):
                raise ImportError(f"core imported {name}")
            return None

    sys.meta_path.insert(0, Block())
    import pinviewer.core
    names = [m.name for m in pkgutil.walk_packages(pinviewer.core.__path__, "pinviewer.core.")]
    for name in names:
        importlib.import_module(name)
    import pinviewer.cli, pinviewer.paths, pinviewer.logs
    print(len(names))
""")


def test_core_imports_without_qt():
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout.strip()) >= 8  # the core's modules were really walked


def test_headless_summary_never_loads_qt(tmp_path):
    script = "import runpy, sys; sys.argv=['pinviewer','summary','--demo','--json']\n" \
             "try:\n    runpy.run_module('pinviewer', run_name='__main__')\nexcept SystemExit:\n    pass\n" \
             "print('QT' if any(m.startswith(('PySide6','pyqtgraph')) for m in sys.modules) else 'NOQT')"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.stdout.strip().endswith("NOQT"), run.stdout[-500:] + run.stderr[-2000:]
