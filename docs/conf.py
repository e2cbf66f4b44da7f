"""Sphinx configuration for the pmsm_core documentation."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.abspath("../src"))

from pmsm_core import __version__

project = "pmsm_core"
author = "pmsm_core developers"
copyright = "2026, pmsm_core developers"
release = __version__
version = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "matplotlib.sphinxext.plot_directive",
]
# figures of the tutorials are drawn from the code beside them at build time
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_rcparams = {"figure.dpi": 110}
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_preprocess_types = False
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_member_order = "bysource"
autodoc_default_options: dict[str, object] = {}
autosummary_generate = False

# The build machines have no network access, so intersphinx inventories cannot be fetched;
# references to other projects' types stay plain text instead of failing the -n build.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(datetime|date|timedelta|enum|collections|typing|os|pathlib|argparse|io)\..*"),
    (r"py:.*", r"(concurrent|statistics)\..*"),
    (r"py:mod", r"warnings"),
    (r"py:.*", r"(np|numpy|npt|nx|networkx|pd|pandas|matplotlib|plt|attrs|attr|cattrs)\..*"),
    (
        r"py:.*",
        r"(JsonConverter|NDArray|ArrayLike|T|Any|Callable|Iterator|Iterable|Sequence|Mapping)",
    ),
    (r"py:.*", r"(datetime|date|timedelta|Path|PathLike|TextIO|Executor|Figure|Axes|DataFrame)"),
    (r"py:.*", r"(DiGraph|MultiDiGraph|Graph|optional|default|array-like|callable|iterable)"),
    (r"py:.*", r"(str|int|float|bool|None|tuple|list|dict|set|frozenset|object|type|bytes)"),
    (r"py:.*", r"(ValueError|RuntimeError|ImportError|KeyError|TypeError|Exception)"),
    (r"py:.*", r"(numpy.typing|numpy.ndarray|np.ndarray|NDArray\[.*\])"),
    (r"py:.*", r".*\.(np|npt|nx)\..*"),
    (r"py:.*", r"(of|or|and|shape|\(n,\)|\(n, k\)|instance)"),
    (r"py:.*", r"pmsm_core\..*\.T"),
    (r"py:.*", r"(ndarray|int64|int8|bool_|NONE|ids)"),
]

html_theme = "furo"
html_title = f"pmsm_core {release}"


def _resolve_public_name(app, env, node, contnode):  # type: ignore[no-untyped-def]
    """Resolve ``WorkCalendar`` or ``pmsm_core.calendars.WorkCalendar.add`` to ``pmsm_core.X``.

    The public API is documented once, under the package (``pmsm_core.WorkCalendar``);
    docstrings may name a class by its defining module or without any module.
    """
    import pmsm_core

    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    parts = target.split(".")
    domain = env.get_domain("py")

    def attempt(new_target: str):  # type: ignore[no-untyped-def]
        for role in ("class", "exc", "func", "meth", "attr", "data", "obj"):
            node["reftarget"] = new_target
            found = domain.resolve_xref(
                env, node.get("refdoc", ""), app.builder, role, new_target, node, contnode
            )
            if found is not None:
                return found
        node["reftarget"] = target
        return None

    for i, part in enumerate(parts):
        if part in pmsm_core.__all__:
            new_target = ".".join(["pmsm_core", *parts[i:]])
            return None if new_target == target else attempt(new_target)
    # a name documented in exactly one module (a result type kept out of the package)
    matches = [name for name in domain.objects if name.endswith("." + parts[-1])]
    if len(parts) == 1 and len(matches) == 1:
        return attempt(matches[0])
    return None


def setup(app):  # type: ignore[no-untyped-def]
    app.connect("missing-reference", _resolve_public_name)
