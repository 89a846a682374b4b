"""Choropleth of Russia: MNE groups per region, with the regions' top-N ranks.

Region polygons (geoBoundaries ADM1, ODbL) are keyed by ``shapeISO`` =
``region_iso``. Chukotka crosses the antimeridian, so the map is drawn in an
Albers equal-area projection centred on Russia (``lon_0=100``), in which the
parts on either side of 180° meet again; a plain longitude/latitude plot would
split Chukotka across the whole width of the map.

Regions without cluster data are hatched grey with their own legend entry.
The classes use ColorBrewer's YlGnBu sequential scheme (colour-blind safe, its
lightness falls steadily from class to class, so "0" and "1–2" differ clearly).
Regions in the top N of the innovation ranking carry a star, those in the top N
of the investment ranking a dark outline. A star sits where the region is
widest inside; a region too small to hold it with its colour still visible
around it (Moscow, St Petersburg) gets the star beside it, joined by a thin
leader line (:func:`marker_spots`). Beside the whole country a second
panel enlarges European Russia (config ``maps.zoom``), where most regions with
clusters are too small to read at the scale of the whole map; a dashed frame on
the main map shows the enlarged area. The ODbL attribution is printed on the
figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from shapely.geometry import box

from mne_clusters.core import config as cfgmod
from mne_clusters.core.errors import ConfigError, DataError, Problem
from mne_clusters.plotting import style
from mne_clusters.plotting.charts import read_output
from mne_clusters.plotting.record import figure_record

if TYPE_CHECKING:
    from pyproj import CRS

#: Equal-area projection that keeps Chukotka whole (config ``maps.crs``).
DEFAULT_CRS: str = cfgmod.default("maps.crs")

#: ODbL attribution the boundaries' licence requires on every map.
ATTRIBUTION = "Boundaries: © OpenStreetMap contributors; geoBoundaries (Runfola et al. 2020), ODbL"

#: Upper bounds of the colour classes of MNE groups per region (0 is its own class).
CLASS_BOUNDS = (0, 2, 5, 10)

#: Area enlarged beside the map: west, south, east, north in degrees (config ``maps.zoom``).
DEFAULT_ZOOM: tuple[float, ...] = tuple(cfgmod.default("maps.zoom"))

NO_DATA_COLOUR = "#e6e6e6"
INVESTMENT_EDGE = "#222222"

#: A star is drawn inside its region only when the region's largest inscribed
#: circle is at least this many star radii wide; otherwise it is set beside it.
FITS_INSIDE = 1.3

#: Distance of a star set beside its region, in star radii beyond the region's edge.
OFFSET = 2.2

#: Least distance, in star radii, of a star set beside its region from any
#: other star or star-region anchor.
CLEARANCE = 2.6

#: Directions tried, in order, for a star set beside its region (unit vectors).
_DIRECTIONS = ((0.7071, 0.7071), (-0.7071, 0.7071), (1.0, 0.0), (-1.0, 0.0),
               (0.0, 1.0), (0.0, -1.0), (0.7071, -0.7071), (-0.7071, -0.7071))  # fmt: skip


def project(regions: gpd.GeoDataFrame, crs: str = DEFAULT_CRS) -> gpd.GeoDataFrame:
    """Return ``regions`` in the equal-area map projection (input untouched)."""
    return regions.to_crs(crs)


def zoom_extent(
    zoom: Sequence[float], regions: gpd.GeoDataFrame
) -> tuple[float, float, float, float]:
    """Projected bounds (minx, miny, maxx, maxy) of the land of ``regions`` in a box.

    ``zoom`` is a longitude/latitude box (west, south, east, north); ``regions``
    are already projected. The box's edges are densified before projection, so
    that they follow the curved parallels and meridians of the equal-area map,
    and the bounds are those of the regions' parts inside it, so that the panel
    is not padded with sea or foreign land the box happens to cover.
    """
    west, south, east, north = (float(v) for v in zoom)
    frame = gpd.GeoSeries([box(west, south, east, north).segmentize(0.5)], crs="EPSG:4326")
    # ``regions`` are projected, so their crs is set.
    inside = regions.clip(frame.to_crs(cast("CRS", regions.crs)))
    if inside.empty:
        raise ConfigError(
            f"maps.zoom {list(zoom)} holds no region of the map: give [west, south, east, "
            "north] in degrees around part of Russia (e.g. [30, 44, 56, 61]), or null"
        )
    minx, miny, maxx, maxy = inside.total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def read_boundaries(path: str, *, key: str = "shapeISO") -> gpd.GeoDataFrame:
    """Region polygons with a ``region_iso`` column taken from ``key``.

    Raises
    ------
    DataError
        When the key column is missing.
    """
    gdf = gpd.read_file(path)
    if key not in gdf.columns:
        raise DataError(
            [
                Problem(
                    file=path,
                    row=None,
                    column=key,
                    value=None,
                    expected=f"a property '{key}' holding each region's ISO 3166-2 code",
                    fix="use the geoBoundaries ADM1 file named in config (reference.boundaries)",
                )
            ]
        )
    return gdf.assign(region_iso=gdf[key].astype(str))[["region_iso", "geometry"]]


def _classes(n: pd.Series) -> tuple[pd.Series, list[str]]:
    """Class label per region and the labels in legend order."""
    labels = ["0"]
    edges = list(CLASS_BOUNDS)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        labels.append(f"{lo + 1}" if hi == lo + 1 else f"{lo + 1}–{hi}")
    labels.append(f"more than {edges[-1]}")
    values = []
    for v in n:
        if v == 0:
            values.append(labels[0])
            continue
        for i, hi in enumerate(edges[1:], start=1):
            if v <= hi:
                values.append(labels[i])
                break
        else:
            values.append(labels[-1])
    return pd.Series(values, index=n.index), labels


def map_mne_by_region(
    table: pd.DataFrame,
    boundaries: gpd.GeoDataFrame,
    rec: Mapping[str, Any] | None = None,
    *,
    crs: str = DEFAULT_CRS,
    zoom: Sequence[float] | None = DEFAULT_ZOOM,
) -> Figure:
    """Draw the choropleth of MNE groups per region.

    Parameters
    ----------
    table
        The ``mne_by_region`` table (``region_iso``, ``region_name_en``,
        ``has_cluster_data``, ``n_mne_groups``, ``innovation_top``,
        ``investment_top``).
    boundaries
        Region polygons with ``region_iso`` (:func:`read_boundaries`), any CRS.
    rec
        Provenance record of the table (source line, ``top_n``, ``ranks_year``).
    crs
        Map projection.
    zoom
        Longitude/latitude box (west, south, east, north) enlarged in a second
        panel, or ``None`` for the whole country only.

    Returns
    -------
    matplotlib.figure.Figure
    """
    merged = project(boundaries, crs).merge(table, on="region_iso", how="left")
    has_data = merged["has_cluster_data"].fillna("no") == "yes"
    n = merged["n_mne_groups"].fillna(0).astype(int)
    cls, labels = _classes(n)
    colours = dict(zip(labels, style.sequential(len(labels)), strict=True))
    top_n = (rec or {}).get("top_n") or "N"
    year = f" ({rec['ranks_year']} data)" if rec and rec.get("ranks_year") else ""
    off_map = table.loc[~table["region_iso"].isin(boundaries["region_iso"])]
    note = ATTRIBUTION
    if len(off_map):
        names = ", ".join(sorted(off_map["region_name_en"].astype(str)))
        note = f"Not on the map (no boundary polygon): {names}\n{note}"
    fig, axes = style.new_figure(
        "MNEs by region",
        f"MNE groups in the clusters of each region ({int(has_data.sum())} regions with "
        f"cluster data, {int((n > 0).sum())} with MNEs, {len(table)} regions in all)",
        rec,
        ncols=2 if zoom is not None else 1,
        width_ratios=[1.6, 1.0] if zoom is not None else None,
        figsize=(14.0, 6.6) if zoom is not None else (10.0, 6.0),
        note=note,
    )
    main = axes[0] if zoom is not None else axes
    panels: list[tuple[Any, float, Any]] = [(main, 110.0, None)]
    _draw_layers(main, merged, has_data, cls, colours)
    if zoom is not None:
        minx, miny, maxx, maxy = zoom_extent(zoom, merged)
        main.add_patch(
            Rectangle((minx, miny), maxx - minx, maxy - miny, fill=False, edgecolor="#555555",
                      linewidth=0.9, linestyle="--", zorder=6)
        )  # fmt: skip
        inset = axes[1]
        _draw_layers(inset, merged, has_data, cls, colours)
        panels.append((inset, 150.0, None))
        # Stars of the enlarged area are drawn in the panel only: at the scale of
        # the whole country they would crowd its small regions.
        panels[0] = (main, 110.0, (minx, miny, maxx, maxy))
        inset.set_xlim(minx, maxx)
        inset.set_ylim(miny, maxy)
        inset.set_axis_on()  # a frame, matching the dashed one on the main map
        inset.set(xticks=[], yticks=[], xlabel="", ylabel="")
        for spine in inset.spines.values():
            spine.set(visible=True, edgecolor="#555555", linestyle="--", linewidth=0.9)
        inset.set_title(
            "European Russia, enlarged (dashed frame), with its stars", fontsize=10, loc="left"
        )
    handles: list[Artist] = [
        Patch(
            facecolor=colours[lab],
            edgecolor="#999999",
            label="0 (no MNE recorded)" if lab == labels[0] else f"{lab} MNE groups",
        )
        for lab in labels
    ]
    handles += [
        Patch(facecolor=NO_DATA_COLOUR, edgecolor="#9a9a9a", hatch="////", label="No cluster data"),
        Line2D([], [], marker="*", linestyle="", markersize=11, color=style.ACCENT,
               markeredgecolor="black", label=f"Innovation top {top_n}{year}"),
        Patch(facecolor="none", edgecolor=INVESTMENT_EDGE, linewidth=1.6,
              label=f"Investment top {top_n}{year}"),
    ]  # fmt: skip
    # Below the map, not on it: every corner of Russia's outline holds regions.
    main.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=8.5,
        frameon=False, ncols=4,
    )  # fmt: skip
    innov = merged.loc[merged["innovation_top"] == "yes"].sort_values("region_iso")
    if len(innov):
        fig.draw_without_rendering()  # final layout: the scale of each panel is known
        for ax, size, elsewhere in panels:
            _draw_stars(ax, innov.geometry, size, elsewhere)
    return fig


def _largest_part(geom: Any) -> Any:
    """The polygon of largest area of a (multi)polygon."""
    parts = getattr(geom, "geoms", None)
    return max(parts, key=lambda g: g.area) if parts is not None else geom


def _anchor(geom: Any) -> tuple[float, float]:
    """Centre of the largest circle inside the region's largest part."""
    part = _largest_part(geom)
    return tuple(shapely.maximum_inscribed_circle(part, part.length / 1000.0).coords[0])


def _exit_point(part: Any, centre: tuple[float, float], marker: tuple[float, float]) -> Any:
    """Where the segment from ``centre`` to ``marker`` last leaves ``part``: a
    leader drawn from there leaves the region's own colour uncovered."""
    outside = shapely.LineString([centre, marker]).difference(part)
    pieces = getattr(outside, "geoms", [outside])
    last = min(pieces, key=lambda g: g.distance(shapely.Point(marker)))
    if last.is_empty:
        return centre
    x, y = last.coords[0]
    return (float(x), float(y))


def marker_spots(
    ax: Any, geoms: Sequence[Any], size: float
) -> list[tuple[tuple[float, float], ...]]:
    """Where to draw a marker of ``size`` (scatter area, pt²) for each region.

    Each region's anchor is the centre of the largest circle inside its largest
    part. The marker sits on the anchor when that circle is at least
    :data:`FITS_INSIDE` marker radii wide; else it is moved beside the region,
    :data:`OFFSET` radii beyond the circle, in the first direction of
    :data:`_DIRECTIONS` that stays inside the axes and clear of markers and
    anchors (:data:`CLEARANCE` radii). ``ax`` must have its final layout (draw first).

    Returns
    -------
    list
        ``(anchor, leader_start, marker)`` per region in data coordinates,
        all three equal when the marker sits inside; a leader line runs from
        where the line to the marker leaves the region, to the marker.
    """
    to_px = ax.transData
    px_per_pt = ax.figure.dpi / 72.0
    radius = (size**0.5) / 2.0 * px_per_pt  # marker radius in pixels
    box_px = ax.get_window_extent()
    circles = []
    for geom in geoms:
        part = _largest_part(geom)
        circle = shapely.maximum_inscribed_circle(part, part.length / 1000.0)
        centre_px = to_px.transform(circle.coords[0])
        edge_px = to_px.transform(circle.coords[1])
        inner = float(np.hypot(*(edge_px - centre_px)))
        circles.append((part, tuple(circle.coords[0]), centre_px, inner))
    # Every anchor is kept clear, so a star moved out does not land on another's region.
    taken: list[tuple[float, float]] = [tuple(c[2]) for c in circles]
    spots: list[tuple[tuple[float, float], ...]] = []
    for part, centre, (cx, cy), inner in circles:
        if inner >= FITS_INSIDE * radius:
            spots.append((centre, centre, centre))
            continue
        reach = inner + OFFSET * radius
        candidates = [(cx + dx * reach, cy + dy * reach) for dx, dy in _DIRECTIONS]

        def ok(x: float, y: float, own: tuple[float, float] = (cx, cy)) -> bool:
            inside = box_px.x0 + radius < x < box_px.x1 - radius
            inside = inside and box_px.y0 + radius < y < box_px.y1 - radius
            clear = all(
                np.hypot(x - a, y - b) > CLEARANCE * radius for a, b in taken if (a, b) != own
            )
            return inside and clear

        x, y = next((c for c in candidates if ok(*c)), candidates[0])
        taken.append((x, y))
        mx, my = to_px.inverted().transform((x, y))
        marker = (float(mx), float(my))
        spots.append((centre, _exit_point(part, centre, marker), marker))
    return spots


def _draw_stars(
    ax: Any, geoms: Any, size: float, elsewhere: tuple[float, ...] | None = None
) -> None:
    """Innovation-top stars on ``ax``, beside regions too small to hold one.

    Regions whose anchor lies in the box ``elsewhere`` (minx, miny, maxx, maxy)
    get their star in another panel, not here.
    """

    def within(pt: Sequence[float], bounds: Sequence[float]) -> bool:
        return bounds[0] <= pt[0] <= bounds[2] and bounds[1] <= pt[1] <= bounds[3]

    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    view = (xlim[0], ylim[0], xlim[1], ylim[1])
    geoms = list(geoms)
    if elsewhere is not None:
        geoms = [g for g in geoms if not within(_anchor(g), elsewhere)]
    for anchor, start, spot in marker_spots(ax, geoms, size):
        if not within(anchor, view):
            continue
        if spot != anchor:
            ax.plot(
                [start[0], spot[0]], [start[1], spot[1]], color="#222222", linewidth=0.8,
                zorder=5, solid_capstyle="round",
            )  # fmt: skip
        ax.scatter(
            [spot[0]], [spot[1]], marker="*", s=size, color=style.ACCENT, edgecolor="black",
            linewidth=0.5, zorder=6,
        )  # fmt: skip
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)


def _draw_layers(
    ax: Any,
    merged: gpd.GeoDataFrame,
    has_data: pd.Series,
    cls: pd.Series,
    colours: Mapping[str, Any],
) -> None:
    """Draw the map's layers on ``ax``: no-data hatching, classes, outlines."""
    nodata = merged.loc[~has_data]
    if len(nodata):
        nodata.plot(ax=ax, color=NO_DATA_COLOUR, edgecolor="#9a9a9a", linewidth=0.3, hatch="////")
    for lab in colours:
        part = merged.loc[has_data & (cls == lab)]
        if len(part):
            part.plot(ax=ax, color=colours[lab], edgecolor="#8c8c8c", linewidth=0.3)
    invest = merged.loc[merged["investment_top"] == "yes"]
    if len(invest):
        invest.boundary.plot(ax=ax, color=INVESTMENT_EDGE, linewidth=1.6)
    ax.set_axis_off()
    ax.set_aspect("equal")


def run_map(
    *, wave: str, table: str, boundaries: str, out: list[str], dpi: int, config: Mapping[str, Any]
) -> None:
    """Draw ``figures/<wave>/map_mne_by_region.{png,svg}``.

    Parameters
    ----------
    wave
        Wave id.
    table
        ``data/processed/<wave>/tables/mne_by_region.csv`` (and its sidecar).
    boundaries
        Region polygons (GeoJSON keyed by ``shapeISO``).
    out
        Output files, one per format.
    dpi
        Resolution of PNG output.
    config
        Workflow configuration; reads the optional ``maps.crs`` and ``maps.zoom``.
    """
    frame, _ = read_output(table)
    rec = figure_record("map_mne_by_region", table, wave, config)
    settings = (config or {}).get("maps", {}) or {}
    crs = str(settings.get("crs", DEFAULT_CRS))
    zoom = settings.get("zoom", DEFAULT_ZOOM)
    fig = map_mne_by_region(frame, read_boundaries(boundaries), rec, crs=crs, zoom=zoom)
    style.save_figure(fig, out, dpi=dpi)


__all__ = [
    "DEFAULT_CRS",
    "DEFAULT_ZOOM",
    "map_mne_by_region",
    "marker_spots",
    "project",
    "read_boundaries",
    "run_map",
    "zoom_extent",
]
