"""Embedded example documents, shipped inside the package.

Examples
--------
>>> project = demo_project()
>>> project.name
'Launch of the customer-support service desk'
"""

from __future__ import annotations

from importlib import resources
from typing import Any

__all__ = ["EXAMPLES", "demo_catalogue", "demo_project", "example_text", "load_example"]

#: Example name -> file inside this package.
EXAMPLES: dict[str, str] = {
    "service-desk-launch": "service_desk_launch.json",
    "it-services": "service_catalogue.json",
    "intranet-status": "intranet_status.json",
}


def example_text(name: str) -> str:
    """Return the JSON text of the example ``name``.

    Raises
    ------
    KeyError
        For an unknown example name.
    """
    return resources.files(__name__).joinpath(EXAMPLES[name]).read_text(encoding="utf-8")


def load_example(name: str) -> Any:
    """Load the example ``name`` as a value (a Project, a service catalogue ...)."""
    from pmsm_core.io.json import loads

    return loads(example_text(name))


def demo_project() -> Any:
    """The demo project: launching a customer-support service desk (about 30 activities).

    Examples
    --------
    >>> len(demo_project().activities)
    32
    """
    return load_example("service-desk-launch")


def demo_catalogue() -> Any:
    """The demo service catalogue: the services the launched service desk runs on.

    Services, configuration items with redundancy, agreements with business hours and
    holidays, outage records, tickets with state histories and monthly measurements
    (spring 2026).

    Examples
    --------
    >>> catalogue = demo_catalogue()
    >>> catalogue.service("SD").name, len(catalogue.tickets) > 50
    ('Service desk', True)
    """
    return load_example("it-services")
