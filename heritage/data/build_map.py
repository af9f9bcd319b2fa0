"""Draw the 34 provinces of 2025 once, from a 63-province map: ``heritage/data/vietnam_map.json``.

No package ships Vietnam's provinces as they stand since 1 July 2025, and every
merger of that reform joined whole provinces, so dissolving the former shapes
along ``merged_from`` in ``provinces.csv`` gives the new ones exactly.

Source: amCharts geodata ``vietnamHigh`` from the npm package
``@amcharts/amcharts4-geodata`` (the 63 provinces of 2008-2025 plus Hà Tây,
merged into Hà Nội in 2008), under amCharts' free linkware licence: the
licence file ships beside the output and the map page credits amCharts. The
source has no shapes for the Hoàng Sa and Trường Sa archipelagos; their main
islands are added here at their real coordinates, as parts of Đà Nẵng and
Khánh Hòa.

Run from the repository root with the project's virtualenv (it needs
``shapely``, and ``npm`` to fetch the source unless ``--source`` names the
file)::

    .venv/bin/python heritage/data/build_map.py [--source vietnamHigh.json]
"""

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from heritage.map_projection import Frame  # noqa: E402

DATA = Path(__file__).resolve().parent
PROVINCES_CSV = DATA / "provinces.csv"
OUTPUT = DATA / "vietnam_map.json"
LICENCE_OUTPUT = DATA / "vietnam_map.LICENSE.md"
PACKAGE = "@amcharts/amcharts4-geodata@4.1.32"
SOURCE_MEMBER = "package/json/vietnamHigh.json"
LICENCE_MEMBER = "package/LICENSE"

# Source names that differ from the province list's spelling, and Hà Tây, which
# joined Hà Nội in 2008 (before the list's former provinces were drawn).
SOURCE_ALIASES = {
    "Thừa Thiên–Huế": "Thừa Thiên Huế",
    "Bà Rịa–Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Hồ Chí Minh": "Thành phố Hồ Chí Minh",
    "Hà Tây": "Hà Nội",
}

# The archipelagos' main islands (latitude, longitude), and the province each belongs to.
ARCHIPELAGOS = [
    {
        "name_vi": "Quần đảo Hoàng Sa",
        "name_en": "Hoàng Sa (Paracel) Islands",
        "province": "Đà Nẵng",
        "islands": [
            ("Hoàng Sa", 16.533, 111.608),
            ("Quang Hòa", 16.447, 111.707),
            ("Phú Lâm", 16.834, 112.339),
            ("Linh Côn", 16.667, 112.733),
            ("Tri Tôn", 15.783, 111.203),
        ],
    },
    {
        "name_vi": "Quần đảo Trường Sa",
        "name_en": "Trường Sa (Spratly) Islands",
        "province": "Khánh Hòa",
        "islands": [
            ("Trường Sa", 8.644, 111.918),
            ("Song Tử Tây", 11.429, 114.331),
            ("Thị Tứ", 11.054, 114.284),
            ("Sơn Ca", 10.376, 114.478),
            ("Ba Bình", 10.377, 114.365),
            ("Nam Yết", 10.181, 114.365),
            ("Sinh Tồn", 9.883, 114.329),
            ("An Bang", 7.867, 112.917),
        ],
    },
]

# The box drawn (mainland and both archipelagos), its width in SVG units, and the
# simplification tolerance in those units: about 1.5 km a unit, so 0.6 keeps
# every coastline a visitor would recognise at well under 60 KB compressed.
BOUNDS = {"south": 7.4, "west": 102.0, "north": 23.5, "east": 115.0}
WIDTH = 800
TOLERANCE = 0.35
ISLAND_RADIUS = 2.5


class MapBuildError(Exception):
    pass


def nfc(text):
    return unicodedata.normalize("NFC", text.strip())


def read_provinces(path=PROVINCES_CSV):
    """``{current province: [former provinces]}`` from the provinces list."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {
            nfc(row["province"]): [nfc(name) for name in row["merged_from"].split(";")]
            for row in csv.DictReader(handle)
        }


def dissolve_plan(source_names, provinces):
    """``{current province: [source shape names]}``: which source shapes make each province.

    Fails loudly unless every source shape belongs to exactly one province and
    every former province of the list has exactly one source shape.
    """
    current_of = {}
    for current, formers in provinces.items():
        for former in formers:
            if former in current_of:
                raise MapBuildError(f"{former} is listed under {current_of[former]} and {current}")
            current_of[former] = current
    plan = {current: [] for current in provinces}
    drawn = {}
    for name in source_names:
        name = nfc(name)
        former = SOURCE_ALIASES.get(name, name)
        if former not in current_of:
            raise MapBuildError(f"source shape {name!r} matches no former province")
        if name != "Hà Tây":
            if former in drawn:
                raise MapBuildError(f"{former} has two source shapes: {drawn[former]}, {name}")
            drawn[former] = name
        plan[current_of[former]].append(name)
    missing = sorted(set(current_of) - set(drawn))
    if missing:
        raise MapBuildError(f"no source shape for {', '.join(missing)}")
    return plan


def fetch_source(workdir):
    """The source GeoJSON and its licence, from the npm package (``npm pack``, no install)."""
    npm = shutil.which("npm")
    if npm is None:
        raise MapBuildError("npm is needed to fetch the source (or pass --source)")
    subprocess.run(  # noqa: S603 - fixed argument list
        [npm, "pack", PACKAGE, "--silent"],
        cwd=workdir,
        check=True,
        timeout=600,
        capture_output=True,
    )
    (tarball,) = Path(workdir).glob("*.tgz")
    with tarfile.open(tarball) as archive:
        source = json.load(archive.extractfile(SOURCE_MEMBER))
        licence = archive.extractfile(LICENCE_MEMBER).read().decode("utf-8")
    return source, licence


def path_data(geometry):
    """SVG path data, integer coordinates, relative moves: the smallest text a browser draws."""
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [(round(x), round(y)) for x, y in ring.coords[:-1]]
            deduplicated = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
            if len(deduplicated) < 3:
                continue
            (x0, y0), rest = deduplicated[0], deduplicated[1:]
            steps, (px, py) = [], (x0, y0)
            for x, y in rest:
                steps.append(f"{x - px} {y - py}")
                px, py = x, y
            parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


def build(source, frame):
    import shapely
    from shapely.geometry import shape
    from shapely.ops import unary_union

    provinces = read_provinces()
    features = {nfc(f["properties"]["name"]): f for f in source["features"]}
    plan = dissolve_plan(features, provinces)

    def projected(geometry):
        return shapely.transform(geometry, lambda xy: [frame.point(y, x) for x, y in xy])

    shapes = []
    for current, names in plan.items():
        merged = unary_union([shape(features[n]["geometry"]).buffer(0) for n in names])
        centre = merged.centroid if merged.contains(merged.centroid) else merged.point_on_surface()
        outline = projected(merged).simplify(TOLERANCE, preserve_topology=True)
        outline = unary_union([p for p in getattr(outline, "geoms", [outline]) if p.area > 0.5])
        if outline.geom_type not in {"Polygon", "MultiPolygon"}:
            raise MapBuildError(f"{current}: nothing left to draw")
        d = path_data(outline)
        shapes.append(
            {
                "name": current,
                "sources": sorted(names),
                "centroid": [round(centre.y, 4), round(centre.x, 4)],
                "d": d,
            }
        )
    archipelagos = []
    for group in ARCHIPELAGOS:
        islands = []
        for name, lat, lon in group["islands"]:
            x, y = frame.point(lat, lon)
            islands.append({"name": name, "lat": lat, "lon": lon, "x": round(x), "y": round(y)})
        archipelagos.append({**group, "islands": islands})
    _, height = frame.point(BOUNDS["south"], BOUNDS["east"])
    return {
        "source": f"amCharts geodata vietnamHigh ({PACKAGE}), dissolved along provinces.csv",
        "licence": "amCharts free linkware licence: vietnam_map.LICENSE.md",
        "view_box": [0, 0, WIDTH, round(height)],
        "frame": frame.as_dict(),
        "island_radius": ISLAND_RADIUS,
        "provinces": shapes,
        "archipelagos": archipelagos,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="vietnamHigh.json already on disk")
    args = parser.parse_args(argv)
    frame = Frame.fit(width=WIDTH, **BOUNDS)
    with tempfile.TemporaryDirectory() as workdir:
        if args.source:
            source = json.loads(args.source.read_text(encoding="utf-8"))
            licence = (args.source.parent.parent / "LICENSE").read_text(encoding="utf-8")
        else:
            source, licence = fetch_source(workdir)
    result = build(source, frame)
    OUTPUT.write_text(
        json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    LICENCE_OUTPUT.write_text(
        "The province shapes in vietnam_map.json are derived from amCharts geodata\n"
        f"({PACKAGE}, file json/vietnamHigh.json), under this licence:\n\n" + licence,
        encoding="utf-8",
    )
    print(f"{OUTPUT.relative_to(ROOT)}: {len(result['provinces'])} provinces")


if __name__ == "__main__":
    main()
