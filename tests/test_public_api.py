"""The public surface: ``vzdetain.__all__`` lists exactly the public top-level names."""

from __future__ import annotations

import types

import vzdetain


def test_all_is_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(vzdetain).items()
        if not name.startswith("_")
        and not (isinstance(value, types.ModuleType) and name not in vzdetain.__all__)
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
