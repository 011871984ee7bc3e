"""Under a German or French desktop: a window, an import and a PDF say the same as under English.

Creating a QApplication sets the C library's locale to the user's; from then on ``%b``/``%B`` and ``strptime``
month names follow it. Each case runs in its own process with LC_ALL/LANG set (CI generates de_DE.UTF-8 and
fr_FR.UTF-8, see .ci/run); where the locale is missing, the case is skipped.
"""
from __future__ import annotations

import json
import locale
import os
import subprocess
import sys
import textwrap

import pytest

LOCALES = ("de_DE.UTF-8", "fr_FR.UTF-8")

SCRIPT = textwrap.dedent(r'''
    import datetime as dt, json, subprocess, sys, time
    from pathlib import Path
    from PySide6.QtWidgets import QApplication

    app = QApplication([])  # sets the C library's locale to the user's
    out = {"strftime": time.strftime("%B", (2025, 3, 1, 0, 0, 0, 0, 60, 0))}
    folder = Path(sys.argv[1])
    csv = folder / "overview.csv"
    rows = ["Date,Impressions,Outbound clicks,Saves,Pin clicks,Engagements"]
    day = dt.date(2025, 2, 1)
    for i in range(59):  # February and March 2025, dates as an English export writes them
        d = day + dt.timedelta(days=i)
        month = ("Jan", "Feb", "Mar")[d.month - 1]
        rows.append(f'"{month} {d.day}, {d.year}",{1000 + i},{40 + i % 7},{90 + i % 5},{60 + i % 3},{150 + i}')
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")

    from pinviewer.core.importer import import_files
    from pinviewer.core.store import Store
    from pinviewer.core.analysis import Period
    from pinviewer.core import period_summary
    store = Store.open(folder / "history.sqlite")
    profile = store.ensure_profile("Mein Blog")
    import_files(store, profile, [csv])
    ds = store.load(profile)
    march = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    s = period_summary.summarise(ds, march)
    out["days_with_data"] = s.days_with_data
    out["outbound_clicks"] = s.value("outbound_clicks")
    out["label"] = march.label()

    from pinviewer.core import period_figures
    from pinviewer.gui.dashboard import Dashboard
    board = Dashboard()
    board.resize(1200, 800)
    board.show_figures(period_figures.compute(ds, march, "previous"))
    out["card"] = board.cards["outbound_clicks"].value_label.text()
    out["card_value"] = board.cards["outbound_clicks"].value
    out["headline"] = board.headline.text()

    from pinviewer.core.report import build_report
    from pinviewer.render.pdf import write_pdf
    pdf = write_pdf(build_report(ds, march, made_on=dt.date(2025, 4, 2)), folder / "summary.pdf")
    out["pdf"] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    print(json.dumps(out))
''')


def _available(name: str) -> bool:
    try:
        old = locale.setlocale(locale.LC_ALL)
        locale.setlocale(locale.LC_ALL, name)
        locale.setlocale(locale.LC_ALL, old)
        return True
    except locale.Error:
        return False


@pytest.mark.parametrize("name", LOCALES)
def test_window_import_and_pdf_under_a_foreign_locale(name, tmp_path):
    if not _available(name):
        pytest.skip(f"the {name} locale is not installed here (CI generates it)")
    env = {**os.environ, "LC_ALL": name, "LANG": name, "LANGUAGE": name.split(".")[0],
           "PINVIEWER_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["strftime"] != "March"  # the C library really follows the foreign locale in that process
    # the import read every English date, under any locale
    assert out["days_with_data"] == 31 and out["outbound_clicks"] == out["card_value"]
    assert out["label"] == "1\u201331 Mar 2025"
    # the window writes numbers the user's way (1.284 / 1 284), from the same figure
    digits = "".join(ch for ch in out["card"] if ch.isdigit())
    assert int(digits) == int(round(out["card_value"]))
    # the paper stays in one language: English month names, whatever the desktop's
    text = out["pdf"]
    assert "1\u201331 March 2025" in text and "Made on 2 April 2025" in text
    assert "März" not in text and "mars" not in text.lower().replace("march", "")
    assert f"{int(round(out['card_value'])):,}" in text
