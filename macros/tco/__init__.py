"""The TCO model: prices, scenarios, the pure cost model and its renderers.

* :mod:`macros.tco.prices` reads ``pricing.yaml`` (the one source of prices).
* :mod:`macros.tco.model` holds the pure cost functions, mirrored in the
  calculator's JavaScript.
* :mod:`macros.tco.scenarios` defines named and inline scenarios.
* :mod:`macros.tco.render` renders results and assumptions tables.
"""
