"""The built-in catalogue: Venezuelan monitors and official bodies, and the standard measures.

Datasets may reference these by id without listing them.

>>> from vzdetain.catalogue import SOURCES, MEASURES
>>> SOURCES["foro-penal"].name
'Foro Penal'
>>> MEASURES["political_prisoners"].within
('arbitrarily_detained',)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from vzdetain.model import Measure, MeasureKind, Source, SourceKind

__all__ = ["MEASURES", "SOURCES"]

_NGO = SourceKind.NGO
_GOV = SourceKind.GOVERNMENT

_SOURCES: Final = (
    Source(
        "foro-penal",
        "Foro Penal",
        _NGO,
        url="https://foropenal.com",
        notes="Venezuelan NGO; publishes verified, case-by-case counts of political prisoners.",
    ),
    Source(
        "clippve",
        "Comité por la Libertad de los Presos Políticos en Venezuela (Clippve)",
        _NGO,
        notes="Counts people arbitrarily detained, a broader measure than Foro Penal's.",
    ),
    Source("jep", "Justicia, Encuentro y Perdón", _NGO, url="https://jepvenezuela.com"),
    Source(
        "ovp",
        "Observatorio Venezolano de Prisiones",
        _NGO,
        url="https://oveprisiones.com",
    ),
    Source("provea", "Provea", _NGO, url="https://provea.org"),
    Source(
        "ministerio-publico", "Ministerio Público de Venezuela", _GOV, url="https://www.mp.gob.ve"
    ),
    Source(
        "gobierno-venezuela",
        "Government of Venezuela (official figures)",
        _GOV,
        notes="Official statements not attributed to a named office.",
    ),
    Source(
        "un-ffm",
        "UN Independent International Fact-Finding Mission on Venezuela",
        SourceKind.INTERGOVERNMENTAL,
    ),
    Source(
        "ohchr", "UN Office of the High Commissioner for Human Rights", SourceKind.INTERGOVERNMENTAL
    ),
)

_STOCK = MeasureKind.STOCK
_FLOW = MeasureKind.FLOW

_MEASURES: Final = (
    Measure(
        "arbitrarily_detained",
        _STOCK,
        description="People held in detention that a source considers arbitrary, at a cut-off.",
        label_en="people arbitrarily detained",
        label_es="personas detenidas arbitrariamente",
        feminine_es=True,
    ),
    Measure(
        "political_prisoners",
        _STOCK,
        description="People held for political reasons, at a cut-off.",
        within=("arbitrarily_detained",),
        label_en="political prisoners",
        label_es="presos políticos",
    ),
    Measure(
        "arrests",
        _FLOW,
        description="Arrests or detentions over a period.",
        label_en="arrests",
        label_es="detenciones",
        feminine_es=True,
    ),
    Measure(
        "releases",
        _FLOW,
        description="Releases from detention over a period (excarcelaciones), of any kind.",
        label_en="releases",
        label_es="excarcelaciones",
        feminine_es=True,
    ),
    Measure(
        "full_releases",
        _FLOW,
        description="Releases into full freedom (libertad plena) over a period.",
        within=("releases",),
        label_en="full releases",
        label_es="liberaciones plenas",
        feminine_es=True,
    ),
    Measure(
        "newly_documented",
        _FLOW,
        description="Earlier detentions newly registered by a source over a period.",
        label_en="newly documented detentions",
        label_es="detenciones recién documentadas",
        feminine_es=True,
    ),
    Measure(
        "measure_reviews",
        _FLOW,
        description="Court reviews of detention measures over a period; not releases.",
        label_en="reviews of detention measures",
        label_es="revisiones de medidas",
        feminine_es=True,
    ),
)

#: Built-in sources, by id.
SOURCES: Final[Mapping[str, Source]] = MappingProxyType({s.id: s for s in _SOURCES})
#: Built-in measures, by name.
MEASURES: Final[Mapping[str, Measure]] = MappingProxyType({m.name: m for m in _MEASURES})
