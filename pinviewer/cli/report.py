"""report: the one-page summary as a PDF, with no window at all.

    python -m pinviewer report --pdf OUT.pdf [--from DATE] [--to DATE] [--profile NAME] [--demo]
                               [--paper a4|letter] [--all-pins] [--compare previous|year]

Qt is imported only when the command runs, so the other commands (and ``summary``) never load it.
"""
from __future__ import annotations

import os
from pathlib import Path

from pinviewer.cli.data import add_period_arguments, open_dataset, resolve_period


def register(sub) -> None:
    p = sub.add_parser("report", help="save a one-page summary of a period as a PDF (no window needed)")
    p.add_argument("--pdf", type=Path, required=True, metavar="OUT.pdf", help="where to save the PDF")
    add_period_arguments(p)
    p.add_argument("--compare", choices=("previous", "year"), default="previous",
                   help="compare with the previous period (default) or the same period last year")
    p.add_argument("--paper", choices=("a4", "letter"), type=str.lower,
                   help="paper size (default: the usual one where you live)")
    p.add_argument("--all-pins", action="store_true", help="add the full Pin list on the pages after the summary")
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    # A one-page report does no linear algebra: one BLAS thread makes importing numpy ~60 ms faster here.
    # Set before anything imports numpy (nothing has, in a run of this command); an explicit value wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from pinviewer.core.report import build_report, describe_sources

    store, profile, dataset = open_dataset(args)
    with store:
        period = resolve_period(dataset, args)
        from pinviewer.core import currency
        from pinviewer.core.insights.goals import load_goals

        sources = describe_sources(store.batches(profile, include_undone=False))
        report = build_report(dataset, period, compare=args.compare, sources=sources,
                              goals=load_goals(store, profile), currency=currency.load(store, profile))
    from pinviewer.render.pdf import ensure_app, write_pdf

    ensure_app()
    path = write_pdf(report, args.pdf, paper=args.paper, full_pin_list=args.all_pins)
    print(f"Saved the summary of {report.period_text} for {report.profile} to {path}.")
    return 0
