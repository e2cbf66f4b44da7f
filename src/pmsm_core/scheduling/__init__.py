"""Scheduling engines: the lean CPM core and the domain-level schedule."""

from pmsm_core.scheduling.network import CPMResult, ConstraintCode, LinkCode, Network

__all__ = ["CPMResult", "ConstraintCode", "LinkCode", "Network"]
