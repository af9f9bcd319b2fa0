"""The map's projection: longitude and latitude to the shipped SVG's coordinates.

Pure arithmetic, shared by the script that draws the provinces once
(``heritage/data/build_map.py``) and by the pages that place records on them,
so a point lands where the shapes were drawn.
"""

import math
from dataclasses import dataclass


def mercator(lat, lon):
    """Spherical Mercator in radians: ``(x, y)`` with y growing northwards."""
    phi = math.radians(float(lat))
    return math.radians(float(lon)), math.log(math.tan(math.pi / 4 + phi / 2))


@dataclass(frozen=True)
class Frame:
    """Where the projected map sits in the SVG: ``svg = (mercator - origin) * scale``, y flipped."""

    west: float  # Mercator x of the left edge
    north: float  # Mercator y of the top edge
    scale: float  # SVG units per radian

    @classmethod
    def fit(cls, south, west, north, east, width):
        """The frame that fits a latitude/longitude box into ``width`` SVG units."""
        x0, y0 = mercator(south, west)
        x1, y1 = mercator(north, east)
        return cls(west=x0, north=y1, scale=width / (x1 - x0))

    def point(self, lat, lon):
        """SVG ``(x, y)`` of a latitude and longitude."""
        x, y = mercator(lat, lon)
        return (x - self.west) * self.scale, (self.north - y) * self.scale

    def as_dict(self):
        return {"west": self.west, "north": self.north, "scale": self.scale}
