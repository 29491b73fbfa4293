"""Helpers for building many objects at once (private)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building objects that all stay alive.

    Its passes over a growing heap find nothing to free in a bulk build (loading a file,
    indexing a dataset) and, on a large dataset, cost a third of the build. Reference
    counting still frees everything it always frees; the previous state is restored, and a
    collector that was already paused stays paused.

    Work that builds temporary structures (the release analysis) is best done in a function
    called inside the block: they are then freed by reference counting before the collector
    resumes, and its first pass does not scan them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was built stays alive: leave it to the oldest generation (freeze, then
        # unfreeze), or the collector's first pass would visit every object of it. Not done
        # when the caller has frozen objects of its own, which unfreezing would release.
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
