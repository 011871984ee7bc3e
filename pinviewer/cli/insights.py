"""insights: plain sentences on drops, goals, seasons, conversions, impressions, boards and concentration.

    pinviewer insights [--from DAY] [--to DAY] [--profile NAME] [--demo] [--json]
    pinviewer insights --set-goal outbound_clicks=1200 --set-goal conversions=40   (monthly goals)
    pinviewer insights --set-goal saves=0                                         (removes that goal)
    pinviewer insights --goals                                                    (lists the goals)

Goals are kept per profile; NAME is outbound_clicks, saves or conversions (Google Analytics key events).
"""
from __future__ import annotations

import sys

from pinviewer.cli import emit_json


def register(sub) -> None:
    from pinviewer.cli.data import add_period_arguments

    p = sub.add_parser("insights", help="what your figures say: drops, goals, seasons to pin for, conversions per "
                                        "post, hidden gems, boards",
                       description="Plain sentences on what your Pinterest work brings, for a period "
                                   "(default: the last 30 days with data). Monthly goals are kept per profile.")
    add_period_arguments(p)
    p.add_argument("--set-goal", action="append", default=[], metavar="NAME=NUMBER",
                   help="set a monthly goal: outbound_clicks, saves or conversions (0 removes it); repeatable")
    p.add_argument("--goals", action="store_true", help="list the profile's monthly goals and stop")
    p.add_argument("--json", action="store_true", help="print everything as JSON (sentences, figures, chart data)")
    p.set_defaults(func=cmd_insights)


def cmd_insights(args) -> int:
    from pinviewer.cli.data import open_dataset, resolve_period
    from pinviewer.core import insights

    changes = dict(insights.parse_goal(text) for text in args.set_goal)  # parsed before anything is opened
    store, profile, dataset = open_dataset(args)
    with store:
        goals = insights.set_goals(store, profile, changes) if changes else insights.load_goals(store, profile)
        if changes or args.goals:
            said = ", ".join(f"{insights.goals.LABELS[m]} {v:,.0f}" for m, v in goals.items()) or "none"
            print(f"Monthly goals for '{profile.name}': {said}.", file=sys.stderr if args.json else sys.stdout)
            if args.goals:
                if args.json:
                    emit_json(goals)
                return 0
        period = resolve_period(dataset, args)
        data = insights.all_insights(dataset, period, goals)
    if args.json:
        emit_json(data, ensure_ascii=False)
    else:
        print(format_insights(data))
    return 0


def format_insights(data: dict) -> str:
    p = data["period"]
    lines = [f"{data['profile']}: {p['start']} to {p['end']} ({p['days']} days)", ""]
    if data["headlines"]:
        lines.append("In short:")
        lines += [f"  * {text}" for text in data["headlines"]]
        lines.append("")
    for insight in data["insights"].values():
        sentences = [s["text"] for s in insight.get("sentences", [])]
        if not sentences:
            continue
        lines.append(insight["title"])
        lines += [f"  - {text}" for text in sentences]
        lines += [f"    ({note})" for note in insight.get("notes", [])]
        lines += _lists(insight)
        lines.append("")
    return "\n".join(lines).rstrip()


def _lists(insight: dict) -> list[str]:
    out = []
    if insight["id"] == "impressions":
        for key, label in (("hidden_gems", "Seen little, clicked a lot (pin them again, to more boards):"),
                           ("seen_not_clicked", "Seen a lot, clicked little (try a new image or title):")):
            rows = insight.get(key) or []
            if rows:
                out.append(f"    {label}")
                out += [f"      {r['outbound_clicks'] or 0:>6,.0f} clicks / {r['impressions'] or 0:>9,.0f} "
                        f"impressions  {r['title'] or r['pin_id']}" for r in rows[:5]]
    if insight["id"] == "seasons":
        rows = insight.get("findings") or []
        if rows:
            out.append("    Pin by     rose last year   peaked        what")
            out += [f"      {r['pin_by']}  {r['last_start']}       {r['last_peak']}    {r['kind']}: {r['label']} "
                    f"({'clicks' if r['metric'] == 'outbound_clicks' else 'saves'})" for r in rows]
    if insight["id"] == "boards":
        rows = [r for r in insight.get("boards") or [] if r.get("click_verdict") != "usual"
                or r.get("save_verdict") != "usual"]
        if rows:
            out.append("    Boards against your average:  clicks / saves per impression")
            out += [f"      {r['click_verdict']:>6} / {r['save_verdict']:<6} {r['name']}" for r in rows[:8]]
    if insight["id"] == "conversions":
        rows = [r for r in insight.get("posts") or [] if r.get("key_events")]
        if rows:
            out.append("    Posts by conversions:  conversions / visits / outbound clicks")
            out += [f"      {r['key_events']:>6,.0f} / {r['sessions'] or 0:>7,.0f} / "
                    f"{r['outbound_clicks'] or 0:>7,.0f}  {r['url']}" for r in rows[:5]]
    return out
