"""Sphinx configuration of the vzdetain documentation.

Build the site with::

    sphinx-build -n -W --keep-going -b html docs docs/_build/html
    sphinx-build -n -W --keep-going -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

import vzdetain  # noqa: E402

# -- Project -----------------------------------------------------------------------------
project = "vzdetain"
author = "The vzdetain developers"
copyright = "2026, The vzdetain developers"
release = vzdetain.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "myst_parser",
    "vzdetain_docs",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_snippets", "Thumbs.db", ".DS_Store"]
language = "en"
nitpicky = True
# No network: intersphinx stays off. Names of third-party packages and of the standard
# library cannot be resolved without it, so they are ignored here -- never vzdetain names.
nitpick_ignore_regex = [
    ("py:.*", r"(pendulum|attrs|attr|cattrs|hypothesis|matplotlib|argparse)(\..*)?"),
    (
        "py:.*",
        r"(datetime|enum|typing|typing_extensions|collections\.abc|os|pathlib|re|fractions)\..*",
    ),
    ("py:.*", r"(DateTime|Duration|Timezone|FixedTimezone|Converter|SearchStrategy|DrawFn)"),
    (
        "py:.*",
        r"(Fraction|Path|PathLike|Pattern|Match|Mapping|Iterator|Iterable|Sequence|Final|Literal|Any)",
    ),
    ("py:.*", r"(dt\.date|dt\.datetime|dt\.tzinfo|datetime|date|tzinfo)"),
]
nitpick_ignore = [
    # builtins (Python's own inventory is not available offline)
    ("py:class", "int"),
    ("py:class", "str"),
    ("py:class", "bool"),
    ("py:class", "bytes"),
    ("py:class", "object"),
    ("py:class", "dict"),
    ("py:class", "list"),
    ("py:class", "tuple"),
    ("py:class", "frozenset"),
    ("py:class", "set"),
    ("py:class", "type"),
    ("py:class", "None"),
    ("py:obj", "None"),
    ("py:data", "None"),
    ("py:class", "Exception"),
    ("py:class", "BaseException"),
    ("py:class", "ValueError"),
    ("py:class", "FileNotFoundError"),
    ("py:exc", "ValueError"),
    ("py:exc", "FileNotFoundError"),
    ("py:class", "Ellipsis"),
]

# -- autodoc / napoleon ----------------------------------------------------------------
# The plot module needs matplotlib (the ``plot`` extra), which the docs do not install.
autodoc_mock_imports = ["matplotlib"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "all"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True}
autodoc_class_signature = "mixed"
autodoc_preserve_defaults = False
python_use_unqualified_type_names = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = False
napoleon_use_rtype = True
napoleon_attr_annotations = True

# -- doctest -----------------------------------------------------------------------------
# Examples in the pages are ``doctest`` directives; docstring examples (plain ``>>>``
# blocks rendered by autodoc) are run by ``pytest --doctest-modules`` with their module's
# globals, so the doctest builder does not run them a second time.
doctest_test_doctest_blocks = ""
# Exception messages are part of what the examples show, so they are checked too.
doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1
# No global setup: every page imports what it uses, so readers can copy its examples.
doctest_global_setup = ""

# -- MyST ------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

# -- HTML --------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"vzdetain {release}"
html_static_path: list[str] = []
