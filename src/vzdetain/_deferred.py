"""Defer the import of a dependency's module that vzdetain never uses (private)."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

#: Imported by pendulum for one purpose only, the fallback of ``pendulum.parse(text,
#: strict=False)``, which vzdetain never calls. With ``dateutil.tz`` and
#: ``importlib.resources`` behind it, it was about a sixth of ``import vzdetain``.
DEFERRED: tuple[str, ...] = ("dateutil.parser",)


class _Deferred(types.ModuleType):
    """Stands for a module until one of its attributes is read, then imports it.

    It is what ``sys.modules`` and the module's package hold meanwhile, so ``from package
    import module`` (as pendulum does) binds it. Reading any attribute it lacks imports the
    real module (once, under a lock, so threads that get there together wait for the same
    import; the standard library's ``LazyLoader`` takes no lock before Python 3.12.3), puts
    the real module back in ``sys.modules`` and on the package, and copies its attributes
    here, so that names bound to this object keep working at full speed.
    """

    def __init__(self, name: str, spec: Any) -> None:
        super().__init__(name)
        self.__spec__ = spec
        self.__dict__["_vz_lock"] = threading.Lock()
        self.__dict__["_vz_real"] = None

    def __getattr__(self, attr: str) -> Any:
        real = self.__dict__["_vz_real"]
        if real is None:
            with self.__dict__["_vz_lock"]:
                real = self.__dict__["_vz_real"]
                if real is None:
                    real = self._vz_import()
        return getattr(real, attr)

    def _vz_import(self) -> types.ModuleType:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)  # sets itself on the package, as any import
        for key, value in real.__dict__.items():
            if key not in ("_vz_lock", "_vz_real"):
                self.__dict__[key] = value
        self.__dict__["_vz_real"] = real
        return real


def defer_unused_imports() -> None:
    """Make the modules of :data:`DEFERRED` import on first use, not with pendulum.

    Each is replaced by a :class:`_Deferred` module until one of its attributes is first
    read, by pendulum's fallback or by any other code. Nothing is changed when pendulum or
    the module was imported already, or when the module cannot be found (the import then
    fails where it always did).
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
        stand_in = _Deferred(name, spec)
        sys.modules[name] = stand_in
        # `from package import child` reads the attribute: set, it does not import again
        setattr(sys.modules[package], child, stand_in)
