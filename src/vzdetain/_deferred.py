"""Defer the import of a dependency's module that vzdetain never uses (private)."""

from __future__ import annotations

import importlib.util
import sys

#: Imported by pendulum for one purpose only, the fallback of ``pendulum.parse(text,
#: strict=False)``, which vzdetain never calls. With ``dateutil.tz`` and
#: ``importlib.resources`` behind it, it was about a sixth of ``import vzdetain``.
DEFERRED: tuple[str, ...] = ("dateutil.parser",)


def defer_unused_imports() -> None:
    """Make the modules of :data:`DEFERRED` load on first use, not when pendulum is imported.

    Each becomes a module of the standard library's :class:`importlib.util.LazyLoader`: it
    is in ``sys.modules`` and set on its package, as an import leaves it, and is executed
    the first time one of its attributes is read, by pendulum's fallback or by any other
    code. Nothing is changed when pendulum or the module was imported already, or when the
    module cannot be found (the import then fails where it always did).
    """
    if "pendulum" in sys.modules:
        return
    for name in DEFERRED:
        if name in sys.modules:
            continue
        package, _, child = name.rpartition(".")
        try:
            spec = importlib.util.find_spec(name)  # imports the package, not the module
        except ImportError:
            continue
        if spec is None or spec.loader is None:
            continue
        loader = importlib.util.LazyLoader(spec.loader)
        spec.loader = loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loader.exec_module(module)  # executed on first attribute access
        # `from package import child` reads the attribute: set, it does not import again
        setattr(sys.modules[package], child, module)
