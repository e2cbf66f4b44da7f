"""Resources and their assignment to activities.

Resources are data here; resource levelling (:func:`pmsm_core.level`) uses ``capacity``
and the assignment ``units``.
"""

from __future__ import annotations

import enum

import attrs

from pmsm_core.calendars import Duration
from pmsm_core.model._validators import (
    check_duration,
    check_id,
    check_optional_id,
    check_str,
    instance_of,
    number,
)

__all__ = ["Assignment", "Resource", "ResourceKind"]


class ResourceKind(enum.Enum):
    """Work resources (people, machines) take time; material and cost resources do not."""

    WORK = "work"
    MATERIAL = "material"
    COST = "cost"


@attrs.frozen
class Resource:
    """A person, team, machine, material or cost pool the project draws on.

    Parameters
    ----------
    capacity
        Units available at any instant: 1.0 is one full-time person, 3.0 a team of three.
    calendar
        Id of the calendar the resource works on (default: the project calendar).
    cost_per_hour
        Standard rate for work resources.
    cost_per_use
        Fixed cost each time the resource is assigned.

    Examples
    --------
    >>> Resource("eng", "Engineers", capacity=3.0).capacity
    3.0
    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(default="", validator=check_str)
    kind: ResourceKind = attrs.field(
        default=ResourceKind.WORK, kw_only=True, validator=instance_of(ResourceKind)
    )
    capacity: float = attrs.field(default=1.0, kw_only=True, validator=number(low=0))
    calendar: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)
    cost_per_hour: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))
    cost_per_use: float = attrs.field(default=0.0, kw_only=True, validator=number(low=0))
    supplier: str | None = attrs.field(default=None, kw_only=True, validator=check_optional_id)


@attrs.frozen
class Assignment:
    """A resource assigned to an activity.

    ``units`` is the share of the resource the activity uses while it runs (1.0 = 100 %).
    ``work`` is the effort; when absent it is the activity duration × units.

    Examples
    --------
    >>> Assignment("ENG", 2.0).units
    2.0
    """

    resource: str = attrs.field(validator=check_id)
    units: float = attrs.field(default=1.0, validator=number(low=0))
    work: Duration | None = attrs.field(
        default=None, kw_only=True, validator=check_duration(non_negative=True, optional=True)
    )
