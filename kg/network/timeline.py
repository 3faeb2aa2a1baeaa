"""`kg timeline`: the dated events of a build on a time axis, coloured by kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .project import Facts

KIND_COLOURS = {
    "Meeting": "#4C72B0", "Summit": "#1F3F7F", "Visit": "#64B5CD", "Deal": "#55A868", "Investment": "#8CC084",
    "Memorandum": "#2E7D32", "Treaty": "#C44E52", "Declaration": "#E377C2", "Alliance": "#8172B3",
    "Membership": "#937860", "MilitaryExercise": "#DD8452", "MissileLaunch": "#D62728", "Statement": "#8C8C8C",
    "Position": "#BCBD22", "BasedIn": "#7F7F7F",
}


def _as_date(text: str) -> dt.date | None:
    try:
        if len(text) == 4:
            return dt.date(int(text), 7, 1)
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 15)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def timeline_events(facts: Facts, include_statements: bool = False) -> tuple[list[tuple], list[str]]:
    """(date, kind, label, articles) for dated events, and the labels of undated ones."""
    events, undated = [], []
    for record in facts.records:
        if record.relation in ("Position", "BasedIn") or (record.relation == "Statement" and not include_statements):
            continue
        label = record.literals.get("name") or record.literals.get("missile") or record.literals.get("text") or ""
        if not label:
            names = [facts.entities.get(i, (i.rsplit("/", 1)[-1], ""))[0]
                     for role, iris in sorted(record.entities.items()) if role != "subject" for i in iris]
            label = " · ".join(names[:3])
        label = f"{record.relation}: {label}"[:70]
        own = record.literals.get("date") or record.literals.get("year") or record.literals.get("since") or ""
        when = _as_date(own) if own[:4].isdigit() else None
        if when is None:
            undated.append(label)
            continue
        precision = {4: "year", 7: "month"}.get(len(own), "day")
        if precision != "day":
            label += f" ({own})"
        events.append((when, record.relation, label, ";".join(sorted(record.articles)), precision))
    return sorted(events), sorted(set(undated))


def draw_timeline(facts: Facts, path: Path, *, title: str = "Timeline of events",
                  include_statements: bool = False) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from .draw import save_figure

    events, undated = timeline_events(facts, include_statements)
    with matplotlib.rc_context({"svg.hashsalt": "alliance-kg", "svg.fonttype": "path"}):
        height = max(3.5, 0.42 * len(events) + 2.2)
        fig, ax = plt.subplots(figsize=(12, height), dpi=110)
        for row, (when, kind, label, articles, precision) in enumerate(events):
            colour = KIND_COLOURS.get(kind, "#333333")
            hollow = precision != "day"
            ax.scatter([when], [row], s=70, zorder=3, facecolors="white" if hollow else colour, edgecolors=colour,
                       linewidths=2)
            ax.annotate(label, (mdates.date2num(when), row), xytext=(8, 0), textcoords="offset points",
                        va="center", fontsize=8.5)
        ax.set_yticks([])
        ax.set_ylim(-1, max(len(events), 1))
        ax.invert_yaxis()
        ax.grid(axis="x", color="#eeeeee")
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
        if events:
            first, last = events[0][0], events[-1][0]
            span = last - first
            ax.set_xlim(first - max(dt.timedelta(days=20), span * 0.03), last + max(dt.timedelta(days=90), span * 0.35))
        kinds = sorted({e[1] for e in events})
        ax.legend(handles=[Line2D([0], [0], marker="o", color="w", markerfacecolor=KIND_COLOURS.get(k, "#333"),
                                  markersize=9, label=k) for k in kinds], loc="upper left", bbox_to_anchor=(1.0, 1.0),
                  fontsize=8, frameon=False)
        note = f"{len(events)} dated events (hollow: known to the month or year only)"
        if undated:
            listed = "; ".join(undated)
            import textwrap

            listed = listed if len(listed) <= 400 else listed[:399] + "…"
            note += "\n" + "\n".join(textwrap.wrap(f"{len(undated)} undated, not shown: {listed}", 150))
        ax.set_title(f"{title}\n{note}", loc="left", fontsize=11)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()

        save_figure(fig, path)
    return path
