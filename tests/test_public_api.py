"""The public surface: ``vzdetain.__all__`` lists exactly the public top-level names."""

from __future__ import annotations

import types

import vzdetain


def test_all_is_exactly_the_public_names() -> None:
    # dir() lists the lazily imported names too
    public = {
        name
        for name in dir(vzdetain)
        if not name.startswith("_")
        and not (
            isinstance(getattr(vzdetain, name), types.ModuleType) and name not in vzdetain.__all__
        )
    }
    public.add("__version__")
    assert set(vzdetain.__all__) == public
    assert len(vzdetain.__all__) == len(set(vzdetain.__all__))
    assert list(vzdetain.__all__) == sorted(vzdetain.__all__)


def test_every_name_resolves_and_is_documented() -> None:
    for name in vzdetain.__all__:
        value = getattr(vzdetain, name)
        if name != "__version__":
            assert (getattr(value, "__doc__", None) or "").strip(), name


def test_py_typed_is_shipped() -> None:
    from importlib.resources import files

    assert files("vzdetain").joinpath("py.typed").is_file()
    assert files("vzdetain").joinpath("schema/dataset.schema.json").is_file()


def test_unknown_attribute() -> None:
    import pytest

    with pytest.raises(AttributeError, match="nope"):
        vzdetain.nope  # type: ignore[attr-defined]  # noqa: B018


def test_lazy_names_resolve_to_their_modules() -> None:
    from vzdetain import reconcile, releases

    assert vzdetain.compare is reconcile.compare
    assert vzdetain.Stall is releases.Stall
