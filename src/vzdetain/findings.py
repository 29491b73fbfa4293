"""Consistency findings: the common result type of :func:`vzdetain.checks.check`.

A :class:`Finding` says what kind of inconsistency was found, how serious it is, a plain
sentence a journalist can quote, and the tallies involved.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import ClassVar

import attrs

from vzdetain.model import TallyRef, _lang_index

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
    """Statements of one figure (same source and cut-off: relays, or the source itself
    more than once) give incompatible counts."""
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
        sentence: Writes the sentence in a language (``"en"`` or ``"es"``), for
            :meth:`text`; the findings of :func:`~vzdetain.checks.check` have one. Not
            compared: equality and hashing use the other attributes.
    """

    kind: FindingKind
    severity: Severity
    message: str
    tallies: tuple[TallyRef, ...] = ()
    _sentence: Callable[[str], str] | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False, alias="sentence"
    )

    __vz_fields__: ClassVar = ("kind", "severity", "message", "tallies")

    def text(self, lang: str = "en") -> str:
        """The sentence in English (``"en"``, :attr:`message`) or Spanish (``"es"``).

        A finding built without a ``sentence`` has only its English message. Another
        language raises ``ValidationError``, as everywhere a language is asked for.

        >>> from vzdetain import Count, Dataset, Report, Tally, When
        >>> from vzdetain.checks import check
        >>> day = When.parse("2026-01-19")
        >>> ds = Dataset([Report("r1", "foro-penal", day, [
        ...     Tally("political_prisoners", Count.exact(900), day),
        ...     Tally("arbitrarily_detained", Count.parse("fewer than 800"), day),
        ... ])])
        >>> (finding,) = check(ds)
        >>> print(finding.text("es"))
        La cifra de 900 presos políticos el 19 ene 2026 según Foro Penal supera la de menos \
de 800 personas detenidas arbitrariamente el 19 ene 2026 según Foro Penal, aunque "presos \
políticos" es una medida más estrecha que "personas detenidas arbitrariamente".
        >>> finding.text("en") == finding.message
        True
        """
        if _lang_index(lang) == 0 or self._sentence is None:
            return self.message
        return self._sentence("es")
