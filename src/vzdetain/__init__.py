"""vzdetain: reconcile conflicting tallies of political prisoners and arbitrary detentions.

>>> import vzdetain as vz
>>> ds = vz.datasets.venezuela_2026_01()
>>> len(ds.reports)
2
"""

from vzdetain import datasets, errors
from vzdetain.counts import Count, Qualifier, Vagueness
from vzdetain.errors import VzdetainError
from vzdetain.files import LoadResult, dump, load
from vzdetain.model import (
    Basis,
    ConditionKind,
    Dataset,
    Measure,
    MeasureKind,
    ReleaseCondition,
    ReleaseKind,
    Report,
    Source,
    SourceKind,
    Tally,
)
from vzdetain.when import Precision, When

__version__ = "0.1.0"

__all__ = [
    "Basis",
    "ConditionKind",
    "Count",
    "Dataset",
    "LoadResult",
    "Measure",
    "MeasureKind",
    "Precision",
    "Qualifier",
    "ReleaseCondition",
    "ReleaseKind",
    "Report",
    "Source",
    "SourceKind",
    "Tally",
    "Vagueness",
    "VzdetainError",
    "When",
    "__version__",
    "datasets",
    "dump",
    "errors",
    "load",
]
