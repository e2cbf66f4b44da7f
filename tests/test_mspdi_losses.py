"""What MSPDI cannot hold is never lost silently: each loss comes with a warning."""

from __future__ import annotations

from datetime import datetime

import pytest

from pmsm_core import Activity, Duration, Project, Resource, Supplier, WorkCalendar
from pmsm_core.io import mspdi
from pmsm_core.io.mspdi import MspdiWarning


def test_calendar_ids_and_resource_suppliers_warn() -> None:
    """Calendars come back under the slug of their name; resources lose their supplier.
    Both are announced when the file is written, and happen as announced."""
    p = Project(
        "P",
        start=datetime(2026, 3, 2, 8),
        calendar=WorkCalendar.standard("std", name="Office"),
        calendars=[WorkCalendar.night_shift("night-shift", name="Night shift")],
        suppliers=[Supplier("ACME", "Acme Ltd")],
        resources=[Resource("R", supplier="ACME"), Resource("S")],
        activities=[Activity("A", duration=Duration.from_days(1), calendar="night-shift")],
    )
    with pytest.warns(MspdiWarning) as caught:
        text = mspdi.writes(p)
    messages = [str(w.message) for w in caught]
    assert "reading the file back names calendar 'std' as 'office'" in " ".join(messages)
    assert not any("'night-shift' as" in m for m in messages)  # its id is its name's slug
    assert any("suppliers of resources (1 resource: R)" in m for m in messages)
    back = mspdi.reads(text)
    assert back.calendar.id == "office"
    assert [c.id for c in back.calendars] == ["night-shift"]
    assert back.activity("A").calendar == "night-shift"
    assert [r.supplier for r in back.resources] == [None, None]
