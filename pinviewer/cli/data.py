"""import, imports, undo, summary, profiles, demo: the history from the command line."""
from __future__ import annotations

import sys
from pathlib import Path

from pinviewer.cli import emit_json
from pinviewer.core.wording import plural
from pinviewer.core.errors import PinviewerError


def register(sub) -> None:
    p = sub.add_parser("import", help="import Pinterest or Google Analytics exports")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--profile", help="profile to import into (created if new; default: the first one)")
    p.add_argument("--mapping", type=Path, help="a column mapping (JSON) for a CSV PinViewer does not recognise")
    p.add_argument("--from", dest="start", help="first day a top-Pins file covers, when the file does not say")
    p.add_argument("--to", dest="end", help="last day a top-Pins file covers, when the file does not say")
    p.add_argument("--accept-guess", action="store_true",
                   help="import a file PinViewer only half recognises, using the columns it does recognise")
    p.add_argument("--keep-existing", action="store_true",
                   help="where the file covers days already stored, keep the stored figures")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("imports", help="list what was imported, newest last")
    p.add_argument("--profile")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_imports)

    p = sub.add_parser("undo", help="undo one import: its figures go, earlier ones come back")
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("summary", help="what your Pinterest work brought in a period")
    add_period_arguments(p)
    p.add_argument("--compare", choices=("previous", "year"), default="previous",
                   help="compare with the previous period (default) or the same period last year")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("profiles", help="list, create, rename or delete profiles, or set a profile's currency")
    p.add_argument("action", nargs="?", choices=("list", "create", "rename", "delete", "currency"), default="list")
    p.add_argument("names", nargs="*")
    p.add_argument("--yes", action="store_true", help="confirm deleting a profile and its history")
    p.set_defaults(func=cmd_profiles)

    p = sub.add_parser("demo", help="write the demo blog's export files into a folder")
    p.add_argument("--write", type=Path, required=True, metavar="FOLDER")
    p.set_defaults(func=cmd_demo)




def add_period_arguments(parser) -> None:
    parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: 30 days before --to)")
    parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: the last day with data)")
    parser.add_argument("--profile", help="profile name (default: the first one)")
    parser.add_argument("--demo", action="store_true", help="use the built-in demo blog")
    parser.add_argument("--series", metavar="NAME",
                        help="the figures of a Pinterest export made with filters, by its name (e.g. \"Organic Pins "
                             "on mobile\"); default: your main figures")


def open_dataset(args):
    """The store, profile and dataset an analysis command works on (the demo's with --demo)."""
    from pinviewer.core.store import Store

    if getattr(args, "demo", False):
        from pinviewer.core.demo import open_demo_store

        store, profile = open_demo_store()
    else:
        store = Store.open()
        _say_recovered(store)
        profile = store.profile(args.profile)
    try:
        series = store.series_key(profile, getattr(args, "series", None))
    except PinviewerError:
        store.close()
        raise
    return store, profile, store.load(profile, series)


def resolve_period(dataset, args):
    from pinviewer.core import analysis

    whole = analysis.data_range(dataset)
    if whole is None:
        raise PinviewerError("There is nothing here yet: import a Pinterest export first (pinviewer import FILE).")
    end = analysis.parse_day(args.end) if args.end else whole.end
    start = analysis.parse_day(args.start) if args.start else end - analysis.dt.timedelta(days=29)
    if start > end:
        raise PinviewerError(f"The period starts ({start}) after it ends ({end}).")
    return analysis.Period(start, end)


def _say_recovered(store) -> None:
    if store.recovered_from is not None:
        print(f"Your history file was damaged, so PinViewer kept it aside as {store.recovered_from.name} "
              "and started a new one. Run “pinviewer recover” to copy back the imports it still holds.",
              file=sys.stderr)


def _fmt_range(batch) -> str:
    rng = batch.date_range()
    return f"{rng[0]} to {rng[1]}" if rng else "no dates"


def cmd_import(args) -> int:
    from pinviewer.core import analysis
    from pinviewer.core.formats.mapping import load_mapping
    from pinviewer.core.importer import LIKELY, import_file
    from pinviewer.core.store import Store

    mapping = load_mapping(args.mapping) if args.mapping else None
    period = None
    if args.start or args.end:
        if not (args.start and args.end):
            raise PinviewerError("Give both --from and --to for the dates the file covers.")
        period = (analysis.parse_day(args.start), analysis.parse_day(args.end))
    with Store.open() as store:
        _say_recovered(store)
        profile = store.ensure_profile(args.profile)
        failures, report, outcomes = 0, [], []
        for path in args.files:
            outcome = import_file(store, profile, path, mapping=mapping, period=period,
                                  keep_existing=args.keep_existing,
                                  min_confidence=0.0 if args.accept_guess else LIKELY)
            entry = {"file": str(path), "ok": outcome.ok}
            if outcome.batch is not None:
                b = outcome.batch
                rng = b.date_range()
                entry.update({"format": b.format, "format_label": b.format_label, "rows": b.rows,
                              "source_rows": b.source_rows,
                              "date_range": [rng[0].isoformat(), rng[1].isoformat()] if rng else None,
                              "metrics": b.metrics(), "unrecognised_columns": b.unrecognised,
                              "warnings": outcome.warnings})
            if outcome.ok:
                r = outcome.result
                assert r is not None  # ok: stored
                entry.update({"batch_id": r.batch_id, "already_imported": r.already_imported is not None,
                              "new_days": r.new_days, "new_periods": r.new_periods,
                              "changed_days": r.changed_days,
                              "changed_values": r.changed_values, "new_entities": r.new_entities,
                              "message": r.sentence()})
            else:
                failures += 1
                entry["error"] = outcome.error
            report.append(entry)
            if not args.json:
                _print_import(path, outcome)
            outcomes.append(outcome)
        from pinviewer.core.checklist import after_import

        steps = after_import(store, profile, [o.batch for o in outcomes if o.ok])
        if args.json:
            for entry, outcome in zip(report, outcomes):
                if outcome.ok and outcome.batch is not None and outcome.batch.format == "pinterest_export":
                    entry["series"] = outcome.batch.meta.get("series_label")
                    entry["next_steps"] = steps
            emit_json(report)
        elif steps:
            print("What to download next:")
            for step in steps:
                print(f"  {step}")
    return 1 if failures else 0


def _print_import(path: Path, outcome) -> None:
    b = outcome.batch
    if b is not None:
        print(f"{path.name}: {b.format_label}, {plural(b.source_rows, 'row')}, {_fmt_range(b)}")
        if b.metrics():
            print(f"  figures: {', '.join(b.metrics())}")
        if b.unrecognised:
            print(f"  columns not used: {', '.join(b.unrecognised)}")
        for warning in outcome.warnings:
            print(f"  note: {warning}")
    if outcome.ok:
        print(f"  {outcome.result.sentence()}")
    else:
        print(f"{path.name}: {outcome.error}", file=sys.stderr)


def cmd_imports(args) -> int:
    from pinviewer.core.store import Store

    with Store.open() as store:
        _say_recovered(store)
        profile = store.profile(args.profile)
        batches = store.batches(profile)
        if args.json:
            emit_json([b.as_dict() for b in batches])
            return 0
        if not batches:
            print(f"Nothing imported into '{profile.name}' yet.")
        for b in batches:
            state = f"  (undone {b.undone_at[:10]})" if b.undone_at else ""
            print(f"#{b.id:<4} {b.imported_at[:16].replace('T', ' ')}  {b.file_name}  {b.format_label}, "
                  f"{plural(b.rows, 'row')}, {b.first_day} to {b.last_day}{state}")
    return 0


def cmd_undo(args) -> int:
    from pinviewer.core.store import Store

    with Store.open() as store:
        info = store.undo(args.batch_id)
    print(f"Undid import #{info.id} ({info.file_name}); earlier figures for those days are back.")
    return 0


def cmd_summary(args) -> int:
    from pinviewer.core import currency, period_summary

    store, profile, dataset = open_dataset(args)
    with store:
        period = resolve_period(dataset, args)
        summary = period_summary.summarise(dataset, period, compare=args.compare,
                                           currency=currency.load(store, profile))
        data = period_summary.summary_json(summary)
    if args.json:
        emit_json(data, ensure_ascii=False)
    else:
        print(format_summary(data))
    return 0


def format_summary(data: dict) -> str:
    """The summary in plain words, from the same JSON (changes with the summary's verbs and arrows)."""
    from pinviewer.core import wording
    from pinviewer.core.period_summary import LABELS

    p = data["period"]
    series = data.get("series") or {}
    shown = "" if series.get("main", True) else f" — {series['name']}"
    lines = [f"{data['profile']}{shown}: {p['start']} to {p['end']} ({p['days']} days"
             + (f", {p['provisional_days']} still being counted" if p["provisional_days"] else "") + ")"]

    def row(name: str, shown: str) -> None:
        change = data["changes"].get(name) or {}
        figure = data["figures"].get(name) or {}
        trend = f"  {change['arrow']} {change['word']} ({change['text']})" if change.get("compared") else ""
        if figure.get("note"):
            trend += f"  [{figure['note']}]"
        lines.append(f"  {LABELS.get(name, name):<20} {shown:>10}{trend}")

    for name in ("outbound_clicks", "saves", "impressions", "pin_clicks", "engagements"):
        row(name, wording.format_count(data["totals"][name]))
    for name, value in data["rates"].items():
        row(name, wording.format_rate(value))
    if data["site"]:
        lines.append("  Pinterest visits on your site (Google Analytics):")
        for name in ("sessions", "key_events"):
            row(name, wording.format_count(data["site"][name]))
        if data["site"]["revenue"] is not None:
            row("revenue", wording.format_money(data["site"]["revenue"], data.get("currency")))
    if data["top_pins"]:
        lines.append("  Pins that bring visitors:")
        for pin in data["top_pins"][:5]:
            lines.append(f"    {wording.format_count(pin['outbound_clicks']):>7}  {pin['title'] or pin['pin_id']}")
    for name, figure in (data.get("audience") or {}).items():
        label = LABELS.get(name, name.replace("_", " ").capitalize())
        lines.append(f"  {label}: {wording.format_count(figure['average_per_day'])} a day on average, "
                     f"{wording.format_count(figure['last'])} on {figure['last_day']} (people repeat from day to day: "
                     "not added up)")
    if data.get("top_boards"):
        lines.append("  Boards that bring visitors:")
        for board in data["top_boards"][:5]:
            name = board["name"] or board["board_id"]
            lines.append(f"    {wording.format_count(board['outbound_clicks']):>7}  {name}")
    lines.extend(f"  {note}" for note in data.get("notes", []))
    steps = (data.get("coverage") or {}).get("steps") or []
    if steps:
        lines.append("  What to download next:")
        lines.extend(f"    {step}" for step in steps[:3])
    return "\n".join(lines)


def cmd_profiles(args) -> int:
    from pinviewer.core.store import Store

    with Store.open() as store:
        if args.action == "list":
            for profile in store.profiles():
                print(profile.name)
        elif args.action == "create" and len(args.names) == 1:
            print(f"Created '{store.create_profile(args.names[0]).name}'.")
        elif args.action == "rename" and len(args.names) == 2:
            print(f"Renamed to '{store.rename_profile(*args.names).name}'.")
        elif args.action == "currency" and len(args.names) in (1, 2):
            from pinviewer.core import currency

            profile = store.profile(args.names[0])
            if len(args.names) == 2:
                print(f"Revenue of '{profile.name}' is now shown in {currency.save(store, profile, args.names[1])}.")
            else:
                print(currency.load(store, profile) or "not set")
        elif args.action == "delete" and len(args.names) == 1:
            if not args.yes:
                raise PinviewerError(f"Deleting '{args.names[0]}' removes its whole history. "
                                     "Add --yes to confirm.")
            store.delete_profile(args.names[0])
            print(f"Deleted '{args.names[0]}'.")
        else:
            raise PinviewerError("Usage: profiles [list | create NAME | rename OLD NEW | delete NAME --yes | "
                                 "currency NAME [CODE]]")
    return 0


def cmd_demo(args) -> int:
    from pinviewer.core.demo import write_exports

    files = write_exports(args.write)
    print(f"Wrote {len(files)} demo export files to {args.write}.")
    return 0
