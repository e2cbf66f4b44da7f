"""matplotlib helpers shared by the charts (imported only when a chart is drawn)."""

from __future__ import annotations

from typing import Any, Final

from pmsm_core._util import require

#: Colours shared by the charts (colour-blind safe pairs from the Okabe-Ito palette).
CRITICAL: Final = "#D55E00"
NORMAL: Final = "#0072B2"
FLOAT: Final = "#9ECAE1"
SUMMARY: Final = "#333333"
MILESTONE: Final = "#222222"
STATUS: Final = "#009E73"
OVER: Final = "#D55E00"
GRID: Final = "#DDDDDD"


def axes(ax: Any, figsize: tuple[float, float]) -> tuple[Any, Any]:
    """Return ``(figure, axes)``: the given axes, or new ones from pyplot (shown in notebooks)."""
    require("matplotlib", "plot")
    if ax is not None:
        return ax.figure, ax
    import matplotlib.pyplot as plt

    fig, new = plt.subplots(figsize=figsize, layout="constrained")
    return fig, new


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def date_axis(ax: Any) -> None:
    """Concise date ticks on the x axis."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
