"""Text renderings of a catalogue's process flow: Mermaid flowcharts and Graphviz DOT.

The implementation lives in :mod:`pmsm_core.viz.text` with the other text diagrams; these
names stay here so existing imports keep working.
"""

from __future__ import annotations

from pmsm_core.viz.text import flow_to_dot, flow_to_mermaid

__all__ = ["flow_to_dot", "flow_to_mermaid"]
