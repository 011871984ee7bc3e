"""Colours, palette and style sheet: calm white cards on a light background, one accent colour.

The Okabe-Ito colours are colour-blind safe; each metric keeps its colour everywhere (cards, chart,
funnel). The theme follows the system's light or dark scheme (``PINVIEWER_THEME=dark|light`` forces one).

Asking Qt for the system's scheme creates PySide6's whole ``Qt`` namespace (~20 ms here, more than the rest of
the window's own start-up), so the window's first paint uses the scheme it had last time (``apply_remembered``)
and ``follow_system`` asks, corrects and remembers right after that paint. Nothing here imports ``Qt`` at the
top for the same reason.
"""
from __future__ import annotations

import os

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from pinviewer.core.palette import METRIC_COLOURS  # one colour per metric, for window and paper

OUTBOUND = METRIC_COLOURS["outbound_clicks"]
SAVES = METRIC_COLOURS["saves"]
CONVERSIONS = METRIC_COLOURS["key_events"]
VISITS = METRIC_COLOURS["sessions"]


class Theme:
    """The colours of one scheme (a plain class: a dataclass costs start-up time for nothing here)."""

    def __init__(self, **colours):
        self.__dict__.update(colours)

    dark: bool
    window: str  # the background behind cards
    surface: str  # cards, top bar, navigation
    surface_alt: str  # muted cards, inputs, alternate rows
    border: str
    border_soft: str
    text: str
    text_muted: str
    text_faint: str
    accent: str  # actions: the one accent colour
    accent_hover: str
    accent_text: str  # accent used as text (links) on the surface
    selected: str  # selected navigation item, table selection
    up: str  # arrows are the first cue; colour only repeats them
    down: str
    impressions: str  # impressions are context: grey
    grid: str
    provisional: str
    banner: str  # demo banner
    banner_border: str
    notice: str
    notice_border: str
    problem: str
    problem_border: str

    def metric(self, name: str) -> str:
        if name == "impressions":
            return self.impressions
        return METRIC_COLOURS.get(name, self.text)


LIGHT = Theme(
    dark=False, window="#f6f7f9", surface="#ffffff", surface_alt="#f0f2f5", border="#dde1e6",
    border_soft="#e9ecf0", text="#1f2933", text_muted="#52606d", text_faint="#7b8794", accent="#0072B2",
    accent_hover="#005d92", accent_text="#0067a3", selected="#e6f0f7", up="#007a5a", down="#b3261e",
    impressions="#9aa5b1", grid="#eef0f3", provisional="#eef1f4", banner="#fff6e0", banner_border="#f1d79a",
    notice="#e8f1f8", notice_border="#b9d5ea", problem="#fdecea", problem_border="#f1b8b2")

DARK = Theme(
    dark=True, window="#15181c", surface="#1e2227", surface_alt="#262b31", border="#323840",
    border_soft="#2a2f36", text="#e8ebee", text_muted="#b2bbc4", text_faint="#8893a0", accent="#0072B2",
    accent_hover="#1a86c4", accent_text="#56B4E9", selected="#1d3445", up="#4cc497", down="#ff8a80",
    impressions="#7d8793", grid="#272c32", provisional="#2a3037", banner="#3a3220", banner_border="#5c4c25",
    notice="#1c2f3d", notice_border="#2d4b61", problem="#3d2220", problem_border="#6b3430")

_current: Theme = LIGHT

MIN_TEXT_CONTRAST = 4.5  # WCAG AA for normal text


def _luminance(colour: str) -> float:
    """Relative luminance of "#rrggbb" (WCAG 2)."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two "#rrggbb" colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(colour: str, theme: Theme | None = None, background: str | None = None) -> str:
    """``colour`` as text: the same hue, darkened (light scheme) or lightened (dark scheme) just enough for a
    contrast of 4.5:1 on the theme's cards and page (the Okabe-Ito orange is 2.2:1 on white as it is)."""
    theme = theme or _current
    backgrounds = (background,) if background else (theme.surface, theme.window)
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    target = (255, 255, 255) if theme.dark else (0, 0, 0)
    for step in range(0, 21):
        f = step / 20
        mixed = "#" + "".join(f"{round(c + (t - c) * f):02x}" for c, t in zip((r, g, b), target))
        if min(contrast(mixed, back) for back in backgrounds) >= MIN_TEXT_CONTRAST:
            return mixed
    return theme.text


def current() -> Theme:
    return _current


def forced_dark() -> bool | None:
    """PINVIEWER_THEME=dark|light, or None when the system decides."""
    forced = os.environ.get("PINVIEWER_THEME", "").lower()
    return forced == "dark" if forced in ("dark", "light") else None


_platform_dark: bool | None = None  # the system palette's lightness, seen before our palette replaced it


def system_prefers_dark(app: QGuiApplication) -> bool:
    forced = forced_dark()
    if forced is not None:
        return forced
    from PySide6.QtCore import Qt

    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return _platform_dark if _platform_dark is not None else _palette_is_dark(app)


def _palette_is_dark(app: QGuiApplication) -> bool:
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def palette_for(theme: Theme) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: theme.window, role.WindowText: theme.text, role.Base: theme.surface,
        role.AlternateBase: theme.surface_alt, role.ToolTipBase: theme.surface, role.ToolTipText: theme.text,
        role.PlaceholderText: theme.text_faint, role.Text: theme.text, role.Button: theme.surface,
        role.ButtonText: theme.text, role.BrightText: "#ffffff", role.Highlight: theme.accent,
        role.HighlightedText: "#ffffff", role.Link: theme.accent_text, role.LinkVisited: theme.accent_text,
        role.Mid: theme.border, role.Midlight: theme.border_soft, role.Dark: theme.text_faint,
        role.Light: theme.surface, role.Shadow: theme.border,
    }
    for r, colour in colours.items():
        p.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(theme.text_faint))
    return p


_CHEVRON = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">'
            '<path d="M1.5 3.5 L5 7 L8.5 3.5" fill="none" stroke="{colour}" stroke-width="1.6" '
            'stroke-linecap="round" stroke-linejoin="round"/></svg>')


def _chevron(t: Theme) -> str:
    """The combo boxes' arrow, written once into the cache folder (a style sheet needs a file for it)."""
    from pinviewer import paths

    colour = t.text_muted
    try:
        path = paths.cache_dir() / "ui" / f"chevron-{colour.lstrip('#')}.svg"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            paths.write_text(path, _CHEVRON.format(colour=colour))  # whole or not at all (a full disk)
    except OSError:  # a read-only or full cache: Qt draws no arrow, the box still works
        return ""
    return path.as_posix()


def style_sheet(t: Theme) -> str:
    # Over 80 lines on purpose: the whole style sheet is one template, read top to bottom like CSS; split
    # up, the rules for one widget would be scattered and their order (which decides what wins) hidden.
    chevron = _chevron(t)
    return f"""
QMainWindow, QWidget#page, QScrollArea#pageScroll, QWidget#pageBody {{ background: {t.window}; }}
QToolTip {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; padding: 6px; }}

QWidget#topBar {{ background: {t.surface}; border-bottom: 1px solid {t.border}; }}
QLabel#appName {{ font-size: 15pt; font-weight: 700; color: {t.text}; }}
QWidget#nav {{ background: {t.surface}; border-right: 1px solid {t.border}; }}
QListWidget#navList {{ background: transparent; border: none; outline: none; font-size: 11pt; }}
QListWidget#navList::item {{ color: {t.text_muted}; padding: 8px 12px; margin: 2px 0; border-radius: 6px; }}
QListWidget#navList::item:selected {{ background: {t.selected}; color: {t.accent_text}; font-weight: 600; }}
QListWidget#navList::item:hover:!selected {{ background: {t.surface_alt}; }}
QListWidget#navList::item:focus {{ border: 2px solid {t.accent}; padding: 6px 10px; }}
QLabel#navFooter {{ color: {t.text_faint}; font-size: 8.5pt; }}

QPushButton {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; border-radius: 6px;
              padding: 5px 14px; min-height: 18px; }}
QPushButton:hover {{ background: {t.surface_alt}; }}
QPushButton:focus {{ border: 1px solid {t.accent}; }}
QPushButton:disabled {{ color: {t.text_faint}; }}
QPushButton#primary {{ background: {t.accent}; color: #ffffff; border: 1px solid {t.accent}; font-weight: 600; }}
QPushButton#primary:hover {{ background: {t.accent_hover}; }}
QPushButton#primary:focus {{ border: 2px solid {t.text}; }}
QPushButton#link {{ background: transparent; border: none; color: {t.accent_text}; padding: 2px 4px; }}
QPushButton#link:hover {{ text-decoration: underline; }}
QPushButton#link:focus {{ border: 1px dotted {t.accent_text}; }}
QPushButton#pinLink {{ background: transparent; border: 1px solid transparent; color: {t.accent_text};
    padding: 1px 2px; text-align: left; }}
QPushButton#pinLink:hover {{ text-decoration: underline; }}
QPushButton#pinLink:focus {{ border: 1px dotted {t.accent_text}; }}

QComboBox {{ background: {t.surface_alt}; color: {t.text}; border: 1px solid {t.border}; border-radius: 6px;
             padding: 4px 24px 4px 10px; min-height: 18px; }}
QComboBox:focus {{ border: 1px solid {t.accent}; }}
QComboBox:disabled {{ color: {t.text_muted}; }}
QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right; width: 22px;
             border: none; background: transparent; }}
QComboBox::down-arrow {{ image: url("{chevron}"); width: 10px; height: 10px; }}
QComboBox::down-arrow:disabled {{ image: none; }}
QComboBox QAbstractItemView {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border};
             selection-background-color: {t.selected}; selection-color: {t.text}; outline: none; }}
QLineEdit, QDateEdit {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; border-radius: 6px;
             padding: 5px 8px; selection-background-color: {t.accent}; }}
QLineEdit:focus, QDateEdit:focus {{ border: 1px solid {t.accent}; }}

QFrame#card {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; }}
QFrame#card QLabel {{ background: transparent; }}
QFrame#mutedCard {{ background: {t.window}; border: 1px dashed {t.border}; border-radius: 10px; }}
QFrame#card:focus, QFrame#mutedCard:focus {{ border: 1px solid {t.accent}; }}
QLabel#cardTitle {{ color: {t.text_muted}; font-size: 9pt; }}
QLabel#cardValue {{ font-size: 21pt; font-weight: 700; }}
QLabel#cardValueRate {{ font-size: 18pt; font-weight: 700; color: {t.text}; }}
QLabel#cardValueMuted {{ font-size: 14pt; color: {t.text_faint}; }}
QLabel#cardNote, QLabel#mutedNote {{ color: {t.text_faint}; font-size: 8.5pt; }}
QLabel#sectionTitle {{ font-size: 11.5pt; font-weight: 700; color: {t.text}; }}
QLabel#sectionNote {{ color: {t.text_faint}; font-size: 8.5pt; }}
QLabel#tableHead {{ color: {t.text_faint}; font-size: 9pt; }}
QLabel#headline {{ font-size: 11.5pt; color: {t.text}; }}
QFrame#headlineStrip {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; }}
QLabel#nextSteps {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; padding: 7px 14px; }}
QLabel#muted {{ color: {t.text_muted}; }}
QLabel#faint {{ color: {t.text_faint}; }}
QLabel#emptyNote {{ color: {t.text_muted}; font-size: 11pt; background: {t.surface}; border: 1px dashed {t.border};
             border-radius: 10px; padding: 24px; }}
QLabel a {{ color: {t.accent_text}; }}

QFrame#banner {{ background: {t.banner}; border: 1px solid {t.banner_border}; border-radius: 8px; }}
QFrame#notice {{ background: {t.notice}; border: 1px solid {t.notice_border}; border-radius: 8px; }}
QFrame#notice[problem="true"] {{ background: {t.problem}; border: 1px solid {t.problem_border}; }}
QFrame#banner QLabel, QFrame#notice QLabel {{ background: transparent; color: {t.text}; }}

QFrame#dropTarget {{ background: {t.surface}; border: 2px dashed {t.border}; border-radius: 16px; }}
QFrame#dropTarget[hover="true"] {{ border: 2px dashed {t.accent}; background: {t.selected}; }}
QLabel#dropTitle {{ font-size: 18pt; font-weight: 600; color: {t.text}; }}
QLabel#dropHint {{ color: {t.text_muted}; font-size: 10.5pt; }}
QFrame#dropOverlay {{ background: rgba(0, 114, 178, 28); border: 3px dashed {t.accent}; border-radius: 16px; }}
QLabel#dropOverlayText {{ font-size: 18pt; font-weight: 600; color: {t.accent_text}; background: {t.surface};
             border-radius: 10px; padding: 16px 28px; }}

QTableView {{ background: {t.surface}; alternate-background-color: {t.surface}; color: {t.text};
             border: 1px solid {t.border}; border-radius: 10px; gridline-color: {t.border_soft};
             selection-background-color: {t.selected}; selection-color: {t.text}; outline: none; }}
QTableView::item {{ padding: 0 8px; border-bottom: 1px solid {t.border_soft}; }}
QTableView:focus {{ border: 2px solid {t.accent}; }}
QTableView::item:focus {{ border: 1px dotted {t.accent_text}; }}
QHeaderView::section {{ background: {t.surface}; color: {t.text_faint}; border: none;
             border-bottom: 1px solid {t.border}; padding: 6px 20px 6px 8px; font-size: 9pt; }}
QHeaderView {{ background: {t.surface}; border: none; }}
QTableCornerButton::section {{ background: {t.surface}; border: none; }}
QCheckBox:focus, QRadioButton:focus {{ outline: 1px dotted {t.accent_text}; }}

QCalendarWidget QTableView {{ border: none; border-radius: 0; padding: 0; background: {t.surface};
             alternate-background-color: {t.surface}; selection-background-color: {t.accent};
             selection-color: #ffffff; }}
QCalendarWidget QTableView::item {{ padding: 0; border: none; }}
QCalendarWidget QTableView:focus {{ border: none; }}
QCalendarWidget QWidget#qt_calendar_navigationbar {{ background: {t.surface_alt}; }}
QCalendarWidget QToolButton {{ color: {t.text}; background: transparent; padding: 2px 6px; }}
QCalendarWidget QToolButton:focus {{ border: 1px solid {t.accent}; }}
QCalendarWidget QSpinBox {{ color: {t.text}; background: {t.surface}; }}

QCheckBox {{ color: {t.text_muted}; spacing: 6px; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: {t.border}; border-radius: 3px; min-height: 24px; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle:horizontal {{ background: {t.border}; border-radius: 3px; min-width: 24px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QSplitter::handle {{ background: transparent; }}
"""


STYLE = "Fusion"


def apply(app, dark: bool | None = None) -> Theme:
    """Set the Fusion style, the palette and the style sheet: dark or light as ``dark`` says, or for the system's
    scheme when it is None. PINVIEWER_THEME wins over both."""
    global _current, _platform_dark
    if _platform_dark is None:
        _platform_dark = _palette_is_dark(app)
    forced = forced_dark()
    if forced is not None:
        dark = forced
    elif dark is None:
        dark = system_prefers_dark(app)
    _current = DARK if dark else LIGHT
    app.setStyle(STYLE)
    app.setPalette(palette_for(_current))
    app.setStyleSheet(style_sheet(_current))
    return _current


def apply_remembered(app) -> Theme:
    """``apply`` with the scheme of the last run, without asking the system (the first run asks)."""
    from pinviewer.gui import settings

    return apply(app, settings.get_bool(settings.DARK_THEME, None))


def follow_system(app) -> bool:
    """Switch to the system's scheme if another is shown, and remember it for the next start. True if switched."""
    from pinviewer.gui import settings

    dark = system_prefers_dark(app)
    switched = dark != _current.dark
    if switched:
        apply(app, dark)
    if forced_dark() is None and settings.get_bool(settings.DARK_THEME, None) is not dark:
        settings.put(settings.DARK_THEME, dark)
    return switched
