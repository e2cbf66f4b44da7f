"""Adapters for people: pandas frames, notebook HTML, matplotlib charts, Mermaid and DOT text.

* :mod:`~pmsm_core.viz.frames`: ``to_dataframe`` for projects, schedules and other results
  (the ``pandas`` extra).
* :mod:`~pmsm_core.viz.html`: the ``_repr_html_`` tables notebooks show (no extra needed).
* :mod:`~pmsm_core.viz.gantt`, :mod:`~pmsm_core.viz.network`, :mod:`~pmsm_core.viz.flow`,
  :mod:`~pmsm_core.viz.resources`: Gantt chart, activity-on-node network diagram,
  process-flow diagram and resource histogram (the ``plot`` extra).
* :mod:`~pmsm_core.viz.text`: Mermaid and Graphviz DOT text for wikis and docs.

Optional libraries are imported inside the functions that use them; a missing one raises
:class:`~pmsm_core.exceptions.MissingExtraError` naming the extra to install.
"""
