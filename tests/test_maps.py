"""The choropleth: Chukotka stays whole, gaps are styled as 'no data', attribution shown."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import matplotlib
import matplotlib.colors as mcolors
import pandas as pd
import pytest
from PIL import Image
from shapely.geometry import MultiPolygon, Point, Polygon, box

from mne_clusters.plotting import maps

BOUNDARIES = Path(__file__).parents[1] / "data/raw/reference/boundaries.geojson"
REC = {"generator": "g", "wave": "2019", "config_sha256_12": "c", "data_credit": "d", "top_n": 15}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    matplotlib.pyplot.close("all")


def across_antimeridian() -> gpd.GeoDataFrame:
    """A square region cut at 180° into two parts, as GeoJSON stores Chukotka."""
    east = box(175.0, 64.0, 180.0, 68.0)
    west = box(-180.0, 64.0, -175.0, 68.0)
    return gpd.GeoDataFrame(
        {"region_iso": ["RU-CHU", "RU-KLU"]},
        geometry=[MultiPolygon([east, west]), box(35.0, 54.0, 37.0, 55.0)],
        crs="EPSG:4326",
    )


def test_a_region_cut_at_the_antimeridian_is_one_piece_after_projection():
    projected = maps.project(across_antimeridian())
    chukotka = projected.geometry.iloc[0]
    # The two halves meet again: a hair's buffer joins them into one polygon.
    assert chukotka.buffer(1.0).geom_type == "Polygon"
    # 10 degrees of longitude at 64-68°N is some 450 km wide, not half the globe.
    minx, _, maxx, _ = chukotka.bounds
    assert 300_000 < maxx - minx < 600_000


def test_real_chukotka_does_not_span_the_map_after_projection():
    regions = maps.read_boundaries(str(BOUNDARIES))
    raw_width = regions.loc[regions["region_iso"] == "RU-CHU"].total_bounds
    assert raw_width[2] - raw_width[0] == pytest.approx(360.0)  # split in lon/lat
    projected = maps.project(regions)
    chu = projected.loc[projected["region_iso"] == "RU-CHU"]
    c_minx, _, c_maxx, _ = chu.total_bounds
    minx, _, maxx, _ = projected.total_bounds
    assert (c_maxx - c_minx) < 0.2 * (maxx - minx)
    # Points just west and just east of 180° fall in the same (mainland) piece.
    mainland = max(chu.geometry.iloc[0].buffer(1000.0).geoms, key=lambda g: g.area)
    sides = gpd.GeoSeries([Point(179.5, 67.0), Point(-179.5, 67.0)], crs="EPSG:4326")
    assert all(mainland.contains(p) for p in sides.to_crs(maps.DEFAULT_CRS))


def region_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_iso": ["RU-KLU", "RU-CHU", "UA-43"],
            "region_name_en": ["Kaluga Oblast", "Chukotka", "Republic of Crimea"],
            "federal_district": ["Central", "Far Eastern", "Southern"],
            "has_cluster_data": ["yes", "no", "no"],
            "n_clusters": [3, 0, 0],
            "n_clusters_with_mne": [2, 0, 0],
            "n_mne_groups": [14, 0, 0],
            "n_mne_relations": [14, 0, 0],
            "innovation_rank": ["4-10", "unknown", "unknown"],
            "innovation_top": ["yes", "unknown", "unknown"],
            "investment_rank": ["3", "unknown", "unknown"],
            "investment_top": ["yes", "unknown", "unknown"],
        }
    )


def test_regions_without_cluster_data_are_hatched_grey_with_a_legend_entry():
    fig = maps.map_mne_by_region(region_table(), across_antimeridian(), REC)
    ax = fig.axes[0]
    nodata = ax.collections[0]  # drawn first, under everything else
    assert nodata.get_hatch() == "////"
    assert mcolors.to_hex(nodata.get_facecolor()[0]) == maps.NO_DATA_COLOUR
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "No cluster data" in legend
    assert "more than 10 MNE groups" in legend and "Innovation top 15" in legend


def test_map_carries_the_odbl_attribution_and_names_regions_without_polygons():
    fig = maps.map_mne_by_region(region_table(), across_antimeridian(), REC)
    texts = "\n".join(t.get_text() for t in fig.texts)
    assert "© OpenStreetMap contributors; geoBoundaries (Runfola et al. 2020)" in texts
    assert "Not on the map (no boundary polygon): Republic of Crimea" in texts


def test_colour_classes_put_zero_in_its_own_class():
    classes, labels = maps._classes(pd.Series([0, 1, 2, 3, 10, 11]))
    assert labels == ["0", "1–2", "3–5", "6–10", "more than 10"]
    assert classes.tolist() == ["0", "1–2", "1–2", "3–5", "6–10", "more than 10"]


def test_boundaries_without_the_key_property_are_a_data_error(tmp_path):
    path = tmp_path / "b.geojson"
    gpd.GeoDataFrame(
        {"name": ["x"]}, geometry=[Polygon([(0, 0), (1, 0), (1, 1)])], crs=4326
    ).to_file(path, driver="GeoJSON")
    from mne_clusters.core.errors import DataError

    with pytest.raises(DataError, match="shapeISO"):
        maps.read_boundaries(str(path))


def map_inputs(tmp_path: Path) -> tuple[Path, Path]:
    """The region table and boundaries written as the map rule reads them."""
    table = tmp_path / "mne_by_region.csv"
    region_table().to_csv(table, index=False)
    boundaries = tmp_path / "b.geojson"
    across_antimeridian().rename(columns={"region_iso": "shapeISO"}).to_file(
        boundaries, driver="GeoJSON"
    )
    return table, boundaries


def test_run_map_writes_identical_bytes_twice(tmp_path):
    table, boundaries = map_inputs(tmp_path)
    outs = []
    for run in ("a", "b"):
        out = [str(tmp_path / f"{run}.png"), str(tmp_path / f"{run}.svg")]
        maps.run_map(
            wave="2019", table=str(table), boundaries=str(boundaries), out=out, dpi=40, config={}
        )
        outs.append([Path(p).read_bytes() for p in out])
    assert outs[0] == outs[1]


def test_the_zoom_panel_enlarges_the_regions_inside_the_box_and_is_framed_on_the_map():
    regions = maps.read_boundaries(str(BOUNDARIES))
    table = region_table().iloc[:2]
    fig = maps.map_mne_by_region(table, regions, REC, zoom=(30.0, 44.0, 56.0, 61.0))
    main, panel = fig.axes
    extent = maps.zoom_extent((30.0, 44.0, 56.0, 61.0), maps.project(regions))
    assert panel.get_xlim() == pytest.approx(extent[0::2])
    assert panel.get_ylim() == pytest.approx(extent[1::2])
    # The panel shows Kaluga (35-37°E) but not the Urals (60°E) or Siberia.
    kaluga = maps.project(regions).query("region_iso == 'RU-KLU'").total_bounds
    assert extent[0] < kaluga[0] and kaluga[2] < extent[2]
    siberia = maps.project(regions).query("region_iso == 'RU-NVS'").total_bounds
    assert siberia[0] > extent[2]
    # The same area is outlined, dashed, on the whole-country map.
    frames = [p for p in main.patches if p.get_linestyle() == "--"]
    assert len(frames) == 1
    x, y = frames[0].get_xy()
    assert (x, y, x + frames[0].get_width()) == pytest.approx(extent[:3])
    # Main map: whole country; panel width per unit of ground is larger (enlarged).
    main_scale = main.get_window_extent().width / (main.get_xlim()[1] - main.get_xlim()[0])
    panel_scale = panel.get_window_extent().width / (extent[2] - extent[0])
    assert panel_scale > 2 * main_scale


def test_zoom_none_draws_the_whole_country_only():
    fig = maps.map_mne_by_region(region_table(), across_antimeridian(), REC, zoom=None)
    assert len(fig.axes) == 1
    assert not [p for p in fig.axes[0].patches if p.get_linestyle() == "--"]


def test_a_zoom_box_without_any_region_is_a_config_error():
    from mne_clusters.core.errors import ConfigError

    with pytest.raises(ConfigError, match=r"maps\.zoom \[-10.0, 0.0, -5.0, 5.0\] holds no region"):
        maps.map_mne_by_region(
            region_table(), across_antimeridian(), REC, zoom=(-10.0, 0.0, -5.0, 5.0)
        )


def test_run_map_reads_the_zoom_from_config(tmp_path):
    table, boundaries = map_inputs(tmp_path)
    sizes = {}
    for name, zoom in (("with", [30.0, 44.0, 56.0, 61.0]), ("without", None)):
        out = [str(tmp_path / f"{name}.png")]
        maps.run_map(
            wave="2019", table=str(table), boundaries=str(boundaries), out=out, dpi=20,
            config={"maps": {"zoom": zoom}},
        )  # fmt: skip
        sizes[name] = Image.open(out[0]).size
    assert sizes["with"][0] > sizes["without"][0]  # the panel widens the figure


def lab_lightness(hex_colour: str) -> float:
    """CIELAB L* of an sRGB colour (D65), enough to compare shades."""
    channels = []
    for c in mcolors.to_rgb(hex_colour):
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    f = y ** (1 / 3) if y > (6 / 29) ** 3 else y / (3 * (6 / 29) ** 2) + 4 / 29
    return 116 * f - 16


def legend_patches(fig) -> dict[str, str]:
    legend = fig.axes[0].get_legend()
    return {
        t.get_text(): mcolors.to_hex(h.get_facecolor())
        for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
        if hasattr(h, "get_facecolor") and h.get_facecolor()[3] > 0
    }


def test_classes_use_a_sequential_scale_whose_first_shades_differ_clearly():
    fig = maps.map_mne_by_region(region_table(), across_antimeridian(), REC, zoom=None)
    patches = legend_patches(fig)
    classes = ["0 (no MNE recorded)", "1–2 MNE groups", "3–5 MNE groups", "6–10 MNE groups",
               "more than 10 MNE groups"]  # fmt: skip
    colours = [patches[c] for c in classes]
    assert colours == ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]  # YlGnBu 5
    lightness = [lab_lightness(c) for c in colours]
    # Each class is clearly darker than the one before: readable in grey and by
    # colour-blind readers, who still see lightness. "0" vs "1-2" most of all.
    steps = [a - b for a, b in zip(lightness, lightness[1:], strict=False)]
    assert all(step > 8 for step in steps), steps
    assert steps[0] > 12
    # "No cluster data" is neither white nor any class: grey, and hatched.
    no_data = patches["No cluster data"]
    assert no_data == maps.NO_DATA_COLOUR and no_data not in colours
    # the map draws the Kaluga region (14 groups) in the darkest class
    fills = {
        mcolors.to_hex(c.get_facecolor()[0])
        for c in fig.axes[0].collections
        if len(c.get_facecolor())
    }
    assert "#253494" in fills


def test_sequential_scale_refuses_more_shades_than_a_reader_tells_apart():
    assert style_sequential(3) == ["#edf8b1", "#7fcdbb", "#2c7fb8"]
    with pytest.raises(ValueError, match="use 3 to 7 classes"):
        style_sequential(9)


def style_sequential(k: int) -> list[str]:
    from mne_clusters.plotting import style

    return style.sequential(k)


def small_and_large() -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """A large region, and a tiny one (a 'city') inside a ring around it."""
    big = box(35.0, 50.0, 45.0, 56.0)
    city = Point(50.0, 53.0).buffer(0.05)
    ring = Point(50.0, 53.0).buffer(2.0).difference(city)
    regions = gpd.GeoDataFrame(
        {"region_iso": ["RU-BIG", "RU-CTY", "RU-RNG"]},
        geometry=[big, city, ring],
        crs="EPSG:4326",
    )
    table = pd.DataFrame(
        {
            "region_iso": ["RU-BIG", "RU-CTY", "RU-RNG"],
            "region_name_en": ["Big", "City", "Ring"],
            "has_cluster_data": ["yes", "yes", "yes"],
            "n_mne_groups": [1, 12, 0],
            "innovation_top": ["yes", "yes", "no"],
            "investment_top": ["no", "yes", "no"],
        }
    )
    return regions, table


def stars(ax) -> list[tuple[float, float]]:
    from matplotlib.collections import PathCollection

    return [tuple(c.get_offsets()[0]) for c in ax.collections if type(c) is PathCollection]


def test_a_star_is_set_beside_a_region_too_small_to_show_its_colour_with_a_leader():
    regions, table = small_and_large()
    fig = maps.map_mne_by_region(table, regions, REC, zoom=None)
    ax = fig.axes[0]
    projected = maps.project(regions).set_index("region_iso").geometry
    spots = stars(ax)
    assert len(spots) == 2
    inside_big = [p for p in spots if projected["RU-BIG"].contains(Point(p))]
    assert len(inside_big) == 1  # the large region holds its star
    (beside,) = [p for p in spots if p not in inside_big]
    city = projected["RU-CTY"]
    assert not city.contains(Point(beside))
    assert city.distance(Point(beside)) > 0
    # a leader line joins the star to the city, starting outside the city's fill
    leaders = [ln for ln in ax.lines if len(ln.get_xdata()) == 2]
    assert len(leaders) == 1
    (x0, x1), (y0, y1) = leaders[0].get_xdata(), leaders[0].get_ydata()
    assert (x1, y1) == pytest.approx(beside)
    assert Point(x0, y0).distance(city) < Point(x1, y1).distance(city)
    assert city.distance(Point(x0, y0)) < city.length / 1e6  # on the city's edge
    # and the star clears the large region's star
    assert Point(beside).distance(Point(inside_big[0])) > 0


def test_stars_of_the_enlarged_area_are_drawn_in_the_panel_only():
    regions = maps.read_boundaries(str(BOUNDARIES))
    table = region_table().iloc[:2]  # Kaluga (in the box, innovation top) and Chukotka
    fig = maps.map_mne_by_region(table, regions, REC, zoom=(30.0, 44.0, 56.0, 61.0))
    main, panel = fig.axes
    assert stars(main) == []
    (spot,) = stars(panel)
    kaluga = maps.project(regions).set_index("region_iso").geometry["RU-KLU"]
    assert kaluga.contains(Point(spot))  # large enough in the panel to hold its star
