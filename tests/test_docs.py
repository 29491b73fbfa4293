"""The documentation covers the public API, and every example in it is executed.

These checks read the sources under ``docs/`` without building them (the Sphinx builds are
``sphinx-build -n -W -b html docs ...`` and ``-b doctest``):

* every name in ``vzdetain.__all__`` is documented in the API reference, by an autodoc
  directive for it or by ``automodule`` of a module whose ``__all__`` lists it;
* every public module of the package has an ``automodule`` page;
* every Python example in the Markdown pages sits in a ``{doctest}`` block, so that the
  doctest build runs it (no bare ``>>>`` lines, no ``python`` code fences).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import types
from pathlib import Path

import pytest

import vzdetain

DOCS = Path(__file__).resolve().parent.parent / "docs"
API = DOCS / "api"

# ``.. automodule:: X`` (reST) or ```{automodule} X``` (MyST), with the option lines after it.
_DIRECTIVE = re.compile(
    r"^(?:\.\. |```+\{)(?:py:)?(?P<kind>automodule|autoclass|autofunction|autoexception|"
    r"autodata|data|function|class|module|currentmodule)(?:::|\})\s+(?P<target>\S+)\s*$"
)
_OPTION = re.compile(r"^\s*:(?P<name>[a-z-]+):")


def _api_sources() -> list[Path]:
    return sorted(p for p in API.rglob("*") if p.suffix in (".rst", ".md"))


def _directives() -> list[tuple[str, str, set[str], str]]:
    """(kind, fully qualified target, options, current module) of every API directive."""
    found = []
    for path in _api_sources():
        module = ""
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            m = _DIRECTIVE.match(line.strip())
            if m is None:
                continue
            kind, target = m["kind"], m["target"]
            options = set()
            for following in lines[i + 1 :]:
                o = _OPTION.match(following)
                if o is None:
                    break
                options.add(o["name"])
            if kind in ("module", "currentmodule", "automodule"):
                module = target
            elif "." not in target and module:
                target = f"{module}.{target}"
            found.append((kind, target, options, module))
    return found


def _documented() -> tuple[set[str], set[str]]:
    """Modules documented with their members, and objects documented one by one."""
    modules, objects = set(), set()
    for kind, target, options, _ in _directives():
        if kind == "automodule":
            if "no-members" not in options:
                modules.add(target)
        elif kind not in ("module", "currentmodule"):
            objects.add(target)
    return modules, objects


def _public_modules() -> list[str]:
    names = []
    for info in pkgutil.iter_modules(vzdetain.__path__, "vzdetain."):
        last = info.name.rsplit(".", 1)[-1]
        if not last.startswith("_"):
            names.append(info.name)
    return sorted(names)


def test_api_sources_found() -> None:
    assert _api_sources(), f"no API pages under {API}"
    modules, _ = _documented()
    assert "vzdetain.counts" in modules


@pytest.mark.parametrize("name", sorted(vzdetain.__all__))
def test_every_top_level_name_is_documented(name: str) -> None:
    modules, objects = _documented()
    obj = getattr(vzdetain, name)
    if isinstance(obj, types.ModuleType):
        assert obj.__name__ in modules, f"module {obj.__name__} has no automodule page"
        return
    home = getattr(obj, "__module__", None)
    if not isinstance(obj, type) and not callable(obj):  # data such as __version__
        assert f"vzdetain.{name}" in objects, f"vzdetain.{name} is not documented"
        return
    assert home is not None, f"{name} has no __module__"
    assert home.startswith("vzdetain"), f"{name} comes from {home}"
    by_module = home in modules and name in getattr(importlib.import_module(home), "__all__", ())
    by_name = f"{home}.{name}" in objects or f"vzdetain.{name}" in objects
    assert by_module or by_name, (
        f"vzdetain.{name} (defined in {home}) is missing from the API reference: add "
        f"'.. automodule:: {home}' to docs/api/ and list {name!r} in {home}.__all__"
    )


@pytest.mark.parametrize("module", _public_modules())
def test_every_public_module_has_a_page(module: str) -> None:
    modules, _ = _documented()
    assert module in modules, f"{module} has no '.. automodule:: {module}' page in docs/api/"


def _markdown_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)


_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
_EXECUTED = ("{doctest}", "{testcode}", "{testoutput}", "{testsetup}", "{testcleanup}")


@pytest.mark.parametrize("page", _markdown_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_examples_are_executed(page: Path) -> None:
    stack: list[tuple[str, str]] = []  # open fences: (fence, info)
    problems = []
    for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        m = _FENCE.match(line.strip())
        if m is not None:
            fence, info = m["fence"], m["info"].strip()
            if stack and fence == stack[-1][0] and not info:
                stack.pop()
                continue
            if info:
                stack.append((fence, info))
                lang = info.split()[0]
                if lang in ("python", "py", "pycon", "python3", "ipython"):
                    problems.append(
                        f"line {n}: a {lang!r} code block is never run; use {{doctest}}"
                    )
                continue
        executed = any(info.split()[0] in _EXECUTED for _, info in stack)
        if line.lstrip().startswith(">>>") and not executed:
            problems.append(f"line {n}: '>>>' outside a {{doctest}} block is never run")
    assert not problems, f"{page.relative_to(DOCS)}:\n" + "\n".join(problems)
