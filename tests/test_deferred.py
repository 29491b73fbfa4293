"""``import vzdetain`` defers pendulum's import of ``dateutil.parser`` to its first use.

Each case runs in a fresh interpreter, since what is imported is process-wide.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def run(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_and_load_leave_the_parser_unexecuted() -> None:
    out = run(
        """
        import sys
        import vzdetain
        from vzdetain.datasets import venezuela_2026_01
        ds = venezuela_2026_01()
        assert vzdetain.compare(ds, "political_prisoners", "2026-01-19").best == 777
        print(type(sys.modules["dateutil.parser"]).__name__)
        print(sorted(m for m in ("dateutil.parser._parser", "dateutil.tz") if m in sys.modules))
        """
    )
    assert out.splitlines() == ["_Deferred", "[]"]


def test_pendulum_fallback_still_parses_free_text() -> None:
    out = run(
        """
        import sys
        import vzdetain, pendulum
        print(pendulum.parse("3 March 2025 10:00", strict=False).isoformat())
        print(type(sys.modules["dateutil.parser"]).__name__, "dateutil.tz" in sys.modules)
        """
    )
    assert out.splitlines() == ["2025-03-03T10:00:00+00:00", "module True"]


def test_threads_that_first_use_it_together_all_get_it() -> None:
    """The first use imports under a lock: no thread sees a module half executed."""
    out = run(
        """
        import threading
        import vzdetain, pendulum
        errors = []
        barrier = threading.Barrier(8)
        def work():
            barrier.wait()
            try:
                pendulum.parse("3 March 2025 10:00", strict=False)
            except Exception as exc:
                errors.append(repr(exc))
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(errors)
        """
    )
    assert out.strip() == "[]"


def test_submodules_specs_and_pickles_still_work() -> None:
    out = run(
        """
        import importlib.util, pickle
        import vzdetain
        print(importlib.util.find_spec("dateutil.parser").name)
        import dateutil.parser.isoparser as iso
        print(iso.isoparse("2025-01-01").isoformat())
        from dateutil.parser import parse
        print(pickle.loads(pickle.dumps(parse)) is parse)
        """
    )
    assert out.splitlines() == ["dateutil.parser", "2025-01-01T00:00:00", "True"]


@pytest.mark.parametrize(
    "statement",
    [
        "from dateutil.parser import isoparse",
        "import dateutil.parser; isoparse = dateutil.parser.isoparse",
        "from dateutil import parser; isoparse = parser.isoparse",
    ],
)
def test_other_code_imports_the_parser_as_usual(statement: str) -> None:
    out = run(
        f"""
        import vzdetain
        {statement}
        print(isoparse("2025-01-19T21:45:00-04:00").isoformat())
        """
    )
    assert out.strip() == "2025-01-19T21:45:00-04:00"


@pytest.mark.parametrize("first", ["import dateutil.parser", "import pendulum"])
def test_nothing_is_deferred_when_imported_before(first: str) -> None:
    out = run(
        f"""
        import sys
        {first}
        import vzdetain
        print(type(sys.modules["dateutil.parser"]).__name__)
        """
    )
    assert out.strip() == "module"
