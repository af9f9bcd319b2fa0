"""What the map page draws: the 34 provinces, the archipelagos, and records as points.

Records reach the map only as :func:`heritage.geo.public_coordinates` gives
them, and only public ones: the map is one page for every visitor.
"""

from dataclasses import dataclass, field

from heritage.geo import map_frame, public_coordinates, vietnam_map
from heritage.text import sort_key


@dataclass
class MapRecord:
    record: object
    url: str
    anchor: str
    coordinates: object  # PublicCoordinates or None


@dataclass
class MapProvince:
    province: object
    path: str
    anchor: str
    section_url: str = ""
    former_names: list = field(default_factory=list)
    records: list = field(default_factory=list)


@dataclass
class MapPoint:
    x: int
    y: int
    records: list = field(default_factory=list)

    @property
    def anchors(self):
        return " ".join(r.anchor for r in self.records)

    @property
    def label(self):
        return "; ".join(r.record.title for r in self.records)


def province_anchor(province):
    return f"p-{province.slug}"


def build_map(request, *, records, provinces, section_urls):
    """The map's provinces (in Vietnamese dictionary order), points and archipelagos.

    ``records`` are the visible records of the page's language with their
    ``province``; ``provinces`` the current ones with ``former_units``
    prefetched; ``section_urls`` maps a province's pk to its section's URL.
    """
    data = vietnam_map()
    frame = map_frame()
    by_name = {p.name_vi: p for p in provinces}
    shapes = {}
    for shape in data["provinces"]:
        province = by_name[shape["name"]]
        shapes[province.pk] = MapProvince(
            province=province,
            path=shape["d"],
            anchor=province_anchor(province),
            section_url=section_urls.get(province.pk, ""),
            former_names=sorted(
                (f.display_name for f in province.former_units.all()), key=sort_key
            ),
        )
    points = {}
    for record in sorted(records, key=lambda r: sort_key(r.title)):
        item = MapRecord(
            record=record,
            url=record.get_url(request),
            anchor=f"r-{record.record_id}",
            coordinates=public_coordinates(record),
        )
        shape = shapes.get(record.province_id)
        if shape is not None:
            shape.records.append(item)
        if item.coordinates is not None:
            x, y = frame.point(item.coordinates.latitude, item.coordinates.longitude)
            point = points.setdefault((round(x), round(y)), MapPoint(round(x), round(y)))
            point.records.append(item)
    ordered = sorted(shapes.values(), key=lambda s: sort_key(s.province.display_name))
    return {
        "view_box": " ".join(str(v) for v in data["view_box"]),
        "provinces": ordered,
        "points": list(points.values()),
        "archipelagos": [_archipelago(group, shapes, by_name) for group in data["archipelagos"]],
        "island_radius": data["island_radius"],
    }


def _archipelago(group, shapes, by_name):
    from django.utils.translation import get_language

    english = (get_language() or "vi").startswith("en")
    islands = group["islands"]
    return {
        "name": group["name_en"] if english else group["name_vi"],
        "province": shapes[by_name[group["province"]].pk],
        "islands": islands,
        # The label ends above the group's easternmost island, clear of the mainland.
        "label_x": max(i["x"] for i in islands),
        "label_y": min(i["y"] for i in islands) - 36,
    }
