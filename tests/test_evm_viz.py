"""The S-curve chart and the earned-value frames."""

from __future__ import annotations

import io

import matplotlib
import numpy as np

from pmsm_core import Activity, Duration, Progress, Project, earned_value, s_curve, save_baseline
from pmsm_core.examples import load_example

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def pixels(figure) -> np.ndarray:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=40)
    plt.close(figure)
    buffer.seek(0)
    return plt.imread(buffer)


def has_colour(image: np.ndarray, hex_colour: str) -> bool:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    flat = image[..., :3].reshape(-1, 3)
    return bool(np.any(np.all(np.abs(flat - rgb) < 0.03, axis=1)))


def test_s_curve_of_the_example() -> None:
    """PV over the whole baseline, EV and AC up to the status date, status line, BAC, EAC."""
    ev = earned_value(load_example("intranet-status"))
    ax = s_curve(ev)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert len(lines["PV (planned value)"].get_xdata()) == len(ev.series)
    measured = [p for p in ev.series if p.ev is not None]
    assert list(lines["EV (earned value)"].get_ydata()) == [p.ev for p in measured]
    assert max(lines["AC (actual cost)"].get_xdata()) <= ev.status_date
    assert "BAC 26,980" in lines and "EAC (cpi) 37,054" in lines
    image = pixels(ax.figure)
    assert all(has_colour(image, c) for c in ("#0072B2", "#009E73", "#D55E00"))


def test_s_curve_of_an_undated_project() -> None:
    """Undated projects plot plain time units; a project is measured on the fly."""
    p = save_baseline(Project("U", activities=[Activity("A", duration=Duration(4), cost=8.0)]))
    p = p.__class__(
        "U",
        activities=[
            Activity("A", duration=Duration(4), cost=8.0, progress=Progress(0, percent_complete=25))
        ],
        baselines=p.baselines,
        status_date=2,
    )
    ax = s_curve(p, title="U")
    assert ax.get_xlabel() == "time units" and ax.get_title() == "U"
    plt.close(ax.figure)
