"""`kg timeline`: the events of a build on a time axis, coloured by kind.

Alliance news mixes eras: a treaty of 1953 and a summit of 2023 in one build. One linear axis
spends its width on the empty decades between them, so the axis is broken into panels, one per
era (events closer than `ERA_GAP` share a panel), each as wide as its events need. An event the
articles give no date is drawn at the date of the article that reports it, with its own marker,
so it is placed in time without pretending to a date it does not have.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path

from .project import Facts

KIND_COLOURS = {
    "Meeting": "#4C72B0", "Summit": "#1F3F7F", "Visit": "#64B5CD", "Deal": "#55A868", "Investment": "#8CC084",
    "Memorandum": "#2E7D32", "Treaty": "#C44E52", "Declaration": "#E377C2", "Alliance": "#8172B3",
    "Membership": "#937860", "MilitaryExercise": "#DD8452", "MissileLaunch": "#D62728", "Statement": "#8C8C8C",
    "Position": "#BCBD22", "BasedIn": "#7F7F7F",
}
ERA_GAP = dt.timedelta(days=3 * 365)
"""Events further apart than this go to separate panels of a broken axis."""


@dataclass(frozen=True, order=True)
class Event:
    when: dt.date
    kind: str
    label: str
    articles: str
    precision: str
    """"day", "month", "year", or "article" when the date is the reporting article's"""


def _as_date(text: str) -> dt.date | None:
    try:
        if len(text) == 4:
            return dt.date(int(text), 7, 1)
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 15)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def timeline_events(facts: Facts, include_statements: bool = False) -> tuple[list[Event], list[str]]:
    """The events in date order, undated ones at their earliest article's date; and the labels
    of events no date at all can place (no article date either)."""
    events, unplaced = [], []
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
        articles = ";".join(sorted(record.articles))
        if when is not None:
            precision = {4: "year", 7: "month"}.get(len(own), "day")
            events.append(Event(when, record.relation, label + (f" ({own})" if precision != "day" else ""),
                                articles, precision))
            continue
        reported = sorted(d for a in record.articles if (d := facts.article_dates.get(a)) and _as_date(d))
        if reported:
            events.append(Event(_as_date(reported[0]), record.relation, f"{label} (reported {reported[0]})",
                                articles, "article"))
        else:
            unplaced.append(label)
    return sorted(set(events)), sorted(set(unplaced))


def eras(events: list[Event]) -> list[list[Event]]:
    """Runs of events in date order with no gap wider than `ERA_GAP` inside a run."""
    runs: list[list[Event]] = []
    for event in events:
        if runs and event.when - runs[-1][-1].when <= ERA_GAP:
            runs[-1].append(event)
        else:
            runs.append([event])
    return runs


def draw_timeline(facts: Facts, path: Path, *, title: str = "Timeline of events",
                  include_statements: bool = False, width: float = 15.0) -> Path:
    """Draw the timeline to `path`; `width` in inches (labels take about four of them)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from .draw import save_figure

    events, unplaced = timeline_events(facts, include_statements)
    runs = eras(events) or [[]]
    row_of = {event: row for row, event in enumerate(events)}
    spans = [max((run[-1].when - run[0].when).days, 60) if run else 60 for run in runs]
    widths = [max(1.0, min(4.0, span / 365)) for span in spans]
    with matplotlib.rc_context({"svg.hashsalt": "alliance-kg", "svg.fonttype": "path"}):
        height = max(3.5, 0.3 * len(events) + 2.4)
        fig, axes = plt.subplots(1, len(runs), figsize=(width, height), dpi=110, sharey=True, squeeze=False,
                                 gridspec_kw={"width_ratios": widths, "wspace": 0.06})
        axes = list(axes[0])
        for ax, run, span in zip(axes, runs, spans):
            for event in run:
                colour = KIND_COLOURS.get(event.kind, "#333333")
                marker = "D" if event.precision == "article" else "o"
                filled = event.precision == "day"
                ax.scatter([event.when], [row_of[event]], s=55 if marker == "D" else 70, marker=marker, zorder=3,
                           facecolors=colour if filled else "white", edgecolors=colour, linewidths=2)
            ax.set_facecolor("none")  # labels of an earlier era run across later panels, unhidden
            if run:
                pad = dt.timedelta(days=max(15, span // 25))
                ax.set_xlim(run[0].when - pad, run[-1].when + (pad * 3 if run is runs[-1] else pad))
            if run and span <= 400:  # an era of one year or less: one tick naming it
                ax.set_xticks([mdates.date2num(run[0].when)], [run[0].when.strftime("%b %Y")])
            else:
                locator = mdates.AutoDateLocator(maxticks=max(3, int(6 * len(run) / max(len(events), 1)) + 3))
                ax.xaxis.set_major_locator(locator)
                ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.tick_params(axis="x", labelsize=8)
            ax.grid(axis="x", color="#eeeeee")
            ax.set_yticks([])
            for side in ("top", "right", "left"):
                ax.spines[side].set_visible(False)
        for left, right in zip(axes, axes[1:]):  # the break between two eras: a pair of slashes on the axis
            for ax, x in ((left, 1.0), (right, 0.0)):
                ax.plot([x], [0], transform=ax.transAxes, marker=[(-1, -2), (1, 2)], markersize=10,
                        linestyle="none", color="#555555", mec="#555555", mew=1.2, clip_on=False)
        axes[0].set_ylim(-1, max(len(events), 1))
        axes[0].invert_yaxis()
        for event in events:  # labels on the panel of their event, running into the space to the right
            ax = axes[next(i for i, run in enumerate(runs) if event in run)]
            ax.annotate(event.label, (mdates.date2num(event.when), row_of[event]), xytext=(8, 0),
                        textcoords="offset points", va="center", fontsize=8, annotation_clip=False, zorder=4,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})
        kinds = sorted({e.kind for e in events})
        handles = [Line2D([0], [0], marker="o", color="w", markerfacecolor=KIND_COLOURS.get(k, "#333"),
                          markersize=9, label=k) for k in kinds]
        handles += [Line2D([0], [0], marker="o", color="w", markerfacecolor="white", markeredgecolor="#555",
                           markeredgewidth=2, markersize=9, label="known to month/year"),
                    Line2D([0], [0], marker="D", color="w", markerfacecolor="white", markeredgecolor="#555",
                           markeredgewidth=2, markersize=8, label="undated: at its article's date")]
        fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(1.0, 1 - 1.5 / height), fontsize=8,
                   frameon=False, ncols=1)
        undated = sum(e.precision == "article" for e in events)
        note = (f"{len(events) - undated} dated events, {undated} undated drawn at their article's date (◇)"
                + (f"; axis broken into {len(runs)} eras" if len(runs) > 1 else ""))
        if unplaced:
            note += "\n" + "\n".join(textwrap.wrap(f"{len(unplaced)} with no date and no dated article, not shown: "
                                                   + "; ".join(unplaced), 150, max_lines=2, placeholder=" …"))
        fig.suptitle(f"{title}\n{note}", x=0.01, ha="left", fontsize=11)
        fig.subplots_adjust(left=0.02, right=1 - 4.2 / width, top=1 - 1.5 / height, bottom=0.6 / height)
        save_figure(fig, path)
    return path
