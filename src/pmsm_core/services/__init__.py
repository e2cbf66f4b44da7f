"""Service-management engines: impact, availability, SLA clocks, error budgets, staffing.

Each module takes frozen model values (a :class:`~pmsm_core.ServiceCatalogue`, tickets,
outage records) and returns frozen result values:

* :mod:`~pmsm_core.services.graph` -- dependency graph, impact analysis honouring
  redundancy, the reverse question, single points of failure, blast radius;
* :mod:`~pmsm_core.services.availability` -- availability composed over the graph
  (series, parallel, k-of-n; exact or Monte Carlo) and figures from outage records;
* :mod:`~pmsm_core.services.sla` -- SLA clocks in business time with pause states;
* :mod:`~pmsm_core.services.slo` -- error budgets, burn rates, multi-window alerts;
* :mod:`~pmsm_core.services.consistency` -- how consistently targets are met;
* :mod:`~pmsm_core.services.staffing` -- Erlang C staffing and Little's law.
"""
