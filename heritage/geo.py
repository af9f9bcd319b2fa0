"""Where a record may be shown: the one rule for coordinates leaving the database.

Every public surface (record page, map, JSON-LD, search API, feeds) asks
``public_coordinates(record)`` and never reads ``latitude``/``longitude``
itself. The officers' import/export sheet keeps the exact values: it is the
archive's own copy, read by its team, and must re-import unchanged.
"""

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from heritage.map_projection import Frame
from heritage.models.records import CoordinatePrecision

MAP_DATA = Path(__file__).resolve().parent / "data" / "vietnam_map.json"
# Two decimals of a degree: about 1.1 km north-south, a commune rather than a house.
COMMUNE_PLACES = Decimal("0.01")


PRECISION_NOTES = {
    CoordinatePrecision.EXACT: _("exact point"),
    CoordinatePrecision.COMMUNE: _("approximate, within about 1 km"),
    CoordinatePrecision.PROVINCE: _("the province's centre, not the place itself"),
}


class PublicCoordinates(NamedTuple):
    latitude: Decimal
    longitude: Decimal
    precision: str  # a CoordinatePrecision value: what the numbers stand for

    @property
    def note(self):
        """What the numbers stand for, as a visitor reads it."""
        return PRECISION_NOTES[self.precision]


@lru_cache(maxsize=1)
def vietnam_map():
    """The shipped map (``heritage/data/build_map.py`` draws it), read once per process."""
    return json.loads(MAP_DATA.read_text(encoding="utf-8"))


def map_frame():
    return Frame(**vietnam_map()["frame"])


@lru_cache(maxsize=1)
def _centroids():
    return {
        shape["name"]: tuple(Decimal(str(v)) for v in shape["centroid"])
        for shape in vietnam_map()["provinces"]
    }


def province_centroid(province):
    """``(latitude, longitude)`` of a current province's centre on the map, or None."""
    return _centroids().get(province.name_vi) if province is not None else None


def effective_precision(record):
    """The record's chosen precision, never exact for a restricted record or a sacred site."""
    precision = record.coordinate_precision
    if precision == CoordinatePrecision.EXACT and not record.may_show_exact_location:
        return CoordinatePrecision.COMMUNE
    return precision


def public_coordinates(record):
    """The coordinates a visitor may see, as :class:`PublicCoordinates`, or None.

    Exact: as stored. Commune: rounded to two decimals. Province: the centre of
    the record's current province (its ``province`` should be fetched with the
    record). A record without coordinates has none to show.
    """
    if record.latitude is None or record.longitude is None:
        return None
    precision = effective_precision(record)
    if precision == CoordinatePrecision.EXACT:
        return PublicCoordinates(Decimal(record.latitude), Decimal(record.longitude), precision)
    if precision == CoordinatePrecision.PROVINCE:
        centre = province_centroid(record.province)
        return PublicCoordinates(*centre, precision) if centre else None
    return PublicCoordinates(
        Decimal(record.latitude).quantize(COMMUNE_PLACES),
        Decimal(record.longitude).quantize(COMMUNE_PLACES),
        CoordinatePrecision.COMMUNE,
    )
