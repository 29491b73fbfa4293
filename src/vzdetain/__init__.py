"""vzdetain: reconcile conflicting tallies of political prisoners and arbitrary detentions.

>>> import vzdetain as vz
>>> ds = vz.datasets.venezuela_2026_01()
>>> len(ds.reports)
2
>>> vz.compare(ds, "political_prisoners", "2026-01-19").best
777

The model (counts, times, tallies, datasets) is imported with the package; the analysis
functions, file formats and bundled data are imported on first use, which keeps
``import vzdetain`` fast for command-line use. For the same reason, ``dateutil.parser``,
which pendulum imports only for ``pendulum.parse(text, strict=False)``, is executed on its
first use rather than with pendulum (unless pendulum was imported first).
"""

import importlib as _importlib
import typing as _typing

from vzdetain._bulk import paused_gc as _paused_gc
from vzdetain._deferred import defer_unused_imports as _defer_unused_imports

_defer_unused_imports()  # before pendulum is imported

# Importing builds thousands of objects that live as long as the process (classes,
# functions, zone data): the collector's passes over them find nothing to free, and were a
# tenth of the import. Paused meanwhile, and resumed as it was.
with _paused_gc():
    from vzdetain import errors
    from vzdetain.counts import Count, Qualifier, Vagueness
    from vzdetain.errors import VzdetainError
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
        TallyRef,
    )
    from vzdetain.when import Precision, When

if _typing.TYPE_CHECKING:
    from vzdetain import datasets
    from vzdetain.checks import check
    from vzdetain.files import LoadResult, dump, load
    from vzdetain.findings import Finding, FindingKind, Severity
    from vzdetain.reconcile import (
        Bound,
        Claim,
        Comparison,
        Conflict,
        Policy,
        Related,
        SetAside,
        SetAsideTally,
        VerificationGap,
        compare,
    )
    from vzdetain.releases import (
        Certainty,
        ConditionCount,
        ConditionsSummary,
        ReleaseBin,
        ReleaseEvidence,
        ReleaseEvidenceKind,
        ReleaseKindCount,
        Stall,
        conditions_summary,
        days_since_last_release,
        release_evidence,
        release_series,
        stalls,
    )
    from vzdetain.stockflow import (
        FlowEvidence,
        FlowMethod,
        FlowTerm,
        StockFlow,
        StockLevel,
        roll_forward,
        stock_flow,
    )

_LAZY: dict[str, str] = {
    "datasets": "vzdetain.datasets",
    "check": "vzdetain.checks",
    "LoadResult": "vzdetain.files",
    "dump": "vzdetain.files",
    "load": "vzdetain.files",
    "Finding": "vzdetain.findings",
    "FindingKind": "vzdetain.findings",
    "Severity": "vzdetain.findings",
    **dict.fromkeys(
        [
            "Bound",
            "Claim",
            "Comparison",
            "Conflict",
            "Policy",
            "Related",
            "SetAside",
            "SetAsideTally",
            "VerificationGap",
            "compare",
        ],
        "vzdetain.reconcile",
    ),
    **dict.fromkeys(
        [
            "Certainty",
            "ConditionCount",
            "ConditionsSummary",
            "ReleaseBin",
            "ReleaseEvidence",
            "ReleaseEvidenceKind",
            "ReleaseKindCount",
            "Stall",
            "conditions_summary",
            "days_since_last_release",
            "release_evidence",
            "release_series",
            "stalls",
        ],
        "vzdetain.releases",
    ),
    **dict.fromkeys(
        [
            "FlowEvidence",
            "FlowMethod",
            "FlowTerm",
            "StockFlow",
            "StockLevel",
            "roll_forward",
            "stock_flow",
        ],
        "vzdetain.stockflow",
    ),
}


def __getattr__(name: str) -> _typing.Any:
    """Import the analysis functions, file formats and bundled data on first use."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'vzdetain' has no attribute {name!r}")
    with _paused_gc():
        module = _importlib.import_module(module_name)
    value = module if module_name == f"vzdetain.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__version__ = "0.1.0"

__all__ = [
    "Basis",
    "Bound",
    "Certainty",
    "Claim",
    "Comparison",
    "ConditionCount",
    "ConditionKind",
    "ConditionsSummary",
    "Conflict",
    "Count",
    "Dataset",
    "Finding",
    "FindingKind",
    "FlowEvidence",
    "FlowMethod",
    "FlowTerm",
    "LoadResult",
    "Measure",
    "MeasureKind",
    "Policy",
    "Precision",
    "Qualifier",
    "Related",
    "ReleaseBin",
    "ReleaseCondition",
    "ReleaseEvidence",
    "ReleaseEvidenceKind",
    "ReleaseKind",
    "ReleaseKindCount",
    "Report",
    "SetAside",
    "SetAsideTally",
    "Severity",
    "Source",
    "SourceKind",
    "Stall",
    "StockFlow",
    "StockLevel",
    "Tally",
    "TallyRef",
    "Vagueness",
    "VerificationGap",
    "VzdetainError",
    "When",
    "__version__",
    "check",
    "compare",
    "conditions_summary",
    "datasets",
    "days_since_last_release",
    "dump",
    "errors",
    "load",
    "release_evidence",
    "release_series",
    "roll_forward",
    "stalls",
    "stock_flow",
]
