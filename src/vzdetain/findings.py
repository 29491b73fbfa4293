"""Consistency findings: the common result type of :func:`vzdetain.checks.check`.

A :class:`Finding` says what kind of inconsistency was found, how serious it is, a plain
sentence a journalist can quote, and the tallies involved.
"""

from __future__ import annotations

import enum

import attrs

from vzdetain.model import TallyRef

__all__ = ["Finding", "FindingKind", "Severity"]


class Severity(enum.Enum):
    """How much a finding matters."""

    INFO = "info"
    """Worth knowing; nothing is wrong with the figures."""
    WARNING = "warning"
    """The figures may be inconsistent, or need a closer look."""
    ERROR = "error"
    """The figures cannot all be true as recorded."""


class FindingKind(enum.Enum):
    """What a finding is about."""

    NARROWER_ABOVE_BROADER = "narrower_above_broader"
    """A narrower measure is above a broader one at the same time."""
    SUBGROUP_ABOVE_TOTAL = "subgroup_above_total"
    """A subgroup's figure is above the figure for everyone."""
    CUMULATIVE_DECREASE = "cumulative_decrease"
    """A cumulative flow of one source and period start went down between cut-offs."""
    NEGATIVE_DERIVED_FLOW = "negative_derived_flow"
    """A flow derived by differencing figures is below zero."""
    RELAYS_DISAGREE = "relays_disagree"
    """Relays of one figure (same source and cut-off) give incompatible counts."""
    AS_OF_AFTER_PUBLICATION = "as_of_after_publication"
    """A figure's cut-off is later than its report's publication."""
    STOCK_FLOW_RESIDUAL = "stock_flow_residual"
    """A source's stocks and flows leave an unexplained change that cannot be zero."""
    RELEASE_DURING_STALL = "release_during_stall"
    """Releases are reported in a period that zero-release statements cover entirely."""


@attrs.frozen(slots=True)
class Finding:
    """One consistency finding.

    Attributes:
        kind: What it is about.
        severity: How much it matters.
        message: One plain English sentence.
        tallies: The tallies involved.
    """

    kind: FindingKind
    severity: Severity
    message: str
    tallies: tuple[TallyRef, ...] = ()
