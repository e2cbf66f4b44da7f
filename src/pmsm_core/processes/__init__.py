"""Process catalogues (ITIL 2011, ITIL 4, PMBOK 6 and 7), process-flow analysis, maturity.

* :mod:`~pmsm_core.processes.catalog`: load the shipped catalogues and your own, extend and
  tailor them, cross-walk two of them.
* :mod:`~pmsm_core.processes.flow`: the process-flow graph (``nx.MultiDiGraph``) and its
  analysis.
* :mod:`~pmsm_core.processes.maturity`: maturity levels from assessment answers, roll-ups,
  gaps and priorities, and the KPI hierarchy evaluated at each level.
* :mod:`~pmsm_core.processes.render`: Mermaid and Graphviz text for a catalogue's flow.
"""
