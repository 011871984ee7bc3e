"""The pieces every wizard page shows: the preview table of parsed rows, problems in plain words, and the
words for formats, confidence, figures and column roles."""
from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QFrame, QLabel, QTableView, QVBoxLayout,
                               QWizardPage)

from pinviewer.core import metrics
from pinviewer.gui import formatting as fmt
from pinviewer.gui.table_model import COUNT, MONEY, RATE, TEXT, Column, FrameTableModel, setup_table_view

if TYPE_CHECKING:
    from pinviewer.gui.wizard import ImportWizard

NUMBER = "number"  # a figure that is neither a count nor a rate (seconds, events per session): shown as read
ROW_HEIGHT = 26
MAX_LINES = 12  # problems listed one by one; the rest are counted


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


# ------------------------------------------------------------------------------------------------ words
def confidence_words(confidence: float) -> str:
    from pinviewer.core.importer import CERTAIN, LIKELY

    if confidence >= CERTAIN:
        return tr("I'm sure")
    if confidence >= LIKELY:
        return tr("fairly sure")
    if confidence >= 0.4:
        return tr("not sure")
    return tr("I don't recognise it")


def metric_label(name: str) -> str:
    metric = metrics.BY_NAME.get(name)
    if metric is None:
        return name
    label = tr(metric.label.replace(" (site)", ""))
    return tr("{label} (website)").format(label=label) if metric.source == "site" else label


def metric_list(names) -> str:
    return ", ".join(metric_label(n) for n in names)


def problem_line(problem) -> str:
    """'Row 14: '12.4.2025' is not a date I can read.' with the column named when the message does not."""
    message = problem.message
    column = problem.column
    where = ""
    if problem.row:
        where = tr("Row {row}").format(row=fmt.locale().toString(int(problem.row)))
        if column and column not in message:
            where += tr(", column “{column}”").format(column=column)
    elif column and column not in message:
        where = tr("Column “{column}”").format(column=column)
    return f"{where}: {message}" if where else message


def period_text(start: str | None, end: str | None) -> str:
    import datetime as dt

    if not start:
        return ""
    try:
        first = dt.date.fromisoformat(start)
        last = dt.date.fromisoformat(end or start)
    except ValueError:
        return start if start == end else f"{start} {fmt.DASH} {end}"
    return fmt.period(first, last)


def entity_text(kind: str, entity_id: str) -> str:
    """What a row is about: the whole account or website, or a Pin, page or source by its id."""
    if kind == "account":
        return tr("Whole account")
    if kind == "site":
        return tr("Whole website")
    return str(entity_id)


def entity_label(label: str) -> str:
    """store.Overlap's example labels ('Account', 'Pin 123', 'Source pinterest.com / referral') in words."""
    if label == "Account":
        return tr("Whole account")
    kind, _, rest = label.partition(" ")
    names = {"Pin": tr("Pin {id}"), "Board": tr("Board {id}"), "Source": tr("{id}"), "Channel": tr("{id}"),
             "Post": tr("{id}"), "Page": tr("{id}"), "Site": tr("Whole website")}
    return names[kind].format(id=rest) if kind in names and rest else label


# role -> label for the mapping page, in the order the choices are offered
def role_choices() -> list[tuple[str | None, str, str]]:
    """(role, label, tooltip); role None is a separator."""
    out: list[tuple[str | None, str, str]] = [
        ("ignore", tr("Ignore this column"), tr("PinViewer does not use this column.")),
        ("date", tr("Date (the day of each row)"), tr("The day the figures on this row are for.")),
        (None, "", "")]
    pinterest = [m for m in metrics.METRICS if m.source != "site"]
    site = [m for m in metrics.METRICS if m.source == "site"]
    for group in (pinterest, site):
        for m in group:
            out.append((m.name, metric_label(m.name), tr(m.explain)))
        out.append((None, "", ""))
    out += [
        ("pin_id", tr("Pin id or Pin URL"), tr("Which Pin the row is about: its number or its address.")),
        ("title", tr("Title"), tr("The Pin's title.")),
        ("link", tr("Link"), tr("The address the Pin leads to (your post).")),
        ("board", tr("Board"), tr("The board the Pin is on.")),
        ("created", tr("Date the Pin was created"), tr("When the Pin was published.")),
        ("format", tr("Pin format"), tr("Standard, video, idea Pin…")),
        ("description", tr("Description"), tr("The Pin's description.")),
    ]
    return out


def role_label(role: str) -> str:
    for name, label, _tip in role_choices():
        if name == role:
            return label
    return role


# ------------------------------------------------------------------------------------------------ table
class PreviewModel(FrameTableModel):
    """FrameTableModel plus plain numbers (seconds, events per session) shown with their decimals."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and 0 <= index.column() < len(self._columns) \
                and self._columns[index.column()].kind == NUMBER:
            value = self._arrays[self._columns[index.column()].key][int(self._order[index.row()])]
            if role == Qt.ItemDataRole.DisplayRole:
                return _number(value)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self._columns) and self._columns[section].kind == NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)


def _number(value) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    if math.isnan(v):
        return fmt.DASH
    text = fmt.locale().toString(v, "f", 2)
    point = fmt.locale().decimalPoint()
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return text


_KIND = {metrics.COUNT: COUNT, metrics.RATE: RATE, metrics.MONEY: MONEY}
_WHAT = {"pin": "Pin", "source": "Source / medium", "channel": "Channel", "post": "Page", "page": "Page",
         "board": "Board", "site": "Website", "account": "Account"}


def frame_and_columns(preview):
    """The frame to show and its columns, for a wizard_jobs.Preview (parsed rows, or the file's text)."""
    frame = preview.rows
    if frame is None:
        return None, []
    if preview.raw:
        titles = preview.header
        columns = [Column(key, titles[i] if i < len(titles) else key, TEXT, width=110)
                   for i, key in enumerate(frame.columns)]
        return frame, columns
    frame = frame.copy()
    frame["_dates"] = [period_text(s, e) for s, e in zip(frame["_start"], frame["_end"])]
    frame["_what"] = [entity_text(k, i) for k, i in zip(frame["_kind"], frame["_what"])]
    daily = bool(len(frame)) and bool((frame["_start"] == frame["_end"]).all())
    columns = [Column("_dates", tr("Day") if daily else tr("Dates"), TEXT, width=150)]
    kinds = set(frame["_kind"]) if len(frame) else set()
    if kinds - {"account"}:
        title = tr(_WHAT[next(iter(kinds))]) if len(kinds) == 1 and next(iter(kinds)) in _WHAT else tr("About")
        columns.append(Column("_what", title, TEXT, width=170))
    if frame["_title"].notna().any():
        columns.append(Column("_title", tr("Title"), TEXT, width=220))
    for name in frame.columns:
        metric = metrics.BY_NAME.get(name)
        if metric is not None:
            columns.append(Column(name, metric_label(name), _KIND.get(metric.unit, NUMBER), tip=tr(metric.explain)))
    return frame, columns


class PreviewTable(QTableView):
    """The first rows of a file as PinViewer read them: dates and numbers already parsed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model_ = PreviewModel([], filter_keys=(), parent=self)
        self.setModel(self.model_)
        setup_table_view(self, ROW_HEIGHT, sortable=False, selectable=False)  # rows stay in the file's order
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAcceptDrops(False)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        self.setAccessibleName(tr("The first rows of the file, as PinViewer read them"))

    def show_preview(self, preview) -> None:
        frame, columns = frame_and_columns(preview) if preview is not None else (None, [])
        if frame is None:
            import pandas as pd

            frame = pd.DataFrame()
        self.model_.set_frame(frame, columns)
        metrics_ = self.fontMetrics()
        header = self.horizontalHeader()
        for i, column in enumerate(columns):
            if column.kind == TEXT:
                width = column.width
            else:
                width = max(metrics_.horizontalAdvance(column.title) + 40, 90)
            header.resizeSection(i, width)

    def rows(self) -> list[list[str]]:
        """What the table shows, as text (tests and screen readers)."""
        model = self.model_
        return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]

    def titles(self) -> list[str]:
        return [c.title for c in self.model_.columns()]


# ------------------------------------------------------------------------------------------------ pages
class WizardPage(QWizardPage):
    """A page with its own heading (large title, muted line under it) above ``self.body``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        self.heading = QLabel()
        self.heading.setObjectName("wizardTitle")
        self.heading.setWordWrap(True)
        self.subheading = QLabel()
        self.subheading.setObjectName("wizardSubtitle")
        self.subheading.setWordWrap(True)
        outer.addWidget(self.heading)
        outer.addWidget(self.subheading)
        outer.addSpacing(10)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(10)
        outer.addLayout(self.body, 1)

    def set_heading(self, title: str, subtitle: str = "") -> None:
        self.heading.setText(title)
        self.subheading.setText(subtitle)
        self.subheading.setVisible(bool(subtitle))
        self.setAccessibleName(title)

    def wizard(self) -> ImportWizard:
        """The import wizard this page is on (every WizardPage is one of its pages)."""
        return cast("ImportWizard", super().wizard())


def style_sheet() -> str:
    """The wizard's own additions to the application's style sheet (pinviewer.gui.style)."""
    from pinviewer.gui import style

    t = style.current()
    return f"""
QWizard {{ background: {t.window}; }}
QLabel#wizardTitle {{ font-size: 15pt; font-weight: 700; color: {t.text}; }}
QLabel#wizardSubtitle {{ color: {t.text_muted}; }}
QScrollArea#plain {{ background: transparent; border: none; }}
QWidget#plainBody {{ background: transparent; }}
QListWidget#fileList {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; outline: none;
             padding: 6px; }}
QListWidget#fileList::item {{ color: {t.text}; padding: 7px 8px; margin: 1px 0; border-radius: 6px; }}
QListWidget#fileList::item:selected {{ background: {t.selected}; color: {t.accent_text}; font-weight: 600; }}
QListWidget#fileList::item:hover:!selected {{ background: {t.surface_alt}; }}
QFrame#card QCheckBox, QFrame#card QRadioButton {{ color: {t.text}; spacing: 8px; }}
QRadioButton::indicator {{ width: 14px; height: 14px; border-radius: 8px; border: 1px solid {t.text_faint};
             background: {t.surface}; }}
QRadioButton::indicator:checked {{ border: 1px solid {t.accent}; background: qradialgradient(cx: 0.5, cy: 0.5,
             radius: 0.5, fx: 0.5, fy: 0.5, stop: 0 {t.accent}, stop: 0.5 {t.accent}, stop: 0.6 {t.surface},
             stop: 1 {t.surface}); }}
QRadioButton::indicator:focus {{ border: 1px solid {t.accent}; }}
QProgressBar {{ background: {t.surface_alt}; border: 1px solid {t.border}; border-radius: 6px; height: 12px; }}
QProgressBar::chunk {{ background: {t.accent}; border-radius: 5px; }}
"""


def plain_scroll(widget):
    """A frameless scroll area over ``widget`` that shows the background behind it."""
    from PySide6.QtWidgets import QScrollArea

    scroll = QScrollArea()
    scroll.setObjectName("plain")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    widget.setObjectName("plainBody")
    scroll.setWidget(widget)
    scroll.viewport().setAutoFillBackground(False)
    widget.setAutoFillBackground(False)
    return scroll


# ------------------------------------------------------------------------------------------------ problems
class ProblemBox(QFrame):
    """The sentences that say why a file cannot be imported (red), or what is good to know (blue)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notice")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)
        self.lines: list[str] = []
        self.heading = ""
        self.setVisible(False)

    def show_lines(self, heading: str, lines: list[str], problem: bool, bold: bool = True) -> None:
        self.lines = list(lines)
        if not lines and not heading:
            self.setVisible(False)
            return
        shown = lines[:MAX_LINES]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in shown)
        if len(lines) > len(shown):
            items += "<li>" + html.escape(tr("…and {n} more.").format(n=len(lines) - len(shown))) + "</li>"
        body = f"<ul style='margin: 4px 0 0 -20px;'>{items}</ul>" if items else ""
        head = f"<b>{html.escape(heading)}</b>" if bold else html.escape(heading)
        self.label.setText(f"{head}{body}")
        self.heading = heading
        self.setProperty("problem", "true" if problem else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(True)

    def text(self) -> str:
        parent = self.parentWidget()
        return "\n".join([self.heading, *self.lines]) if parent is not None and self.isVisibleTo(parent) else ""
