"""The output cache (mne_clusters.core.cache): a figure or a panel table whose inputs
did not change is copied, not made again, and the copy is the very bytes that
making it gives.

Three layers: the cache itself on files a fake step writes; every figure drawn
from the part of its record the cache keys on gives the bytes of a figure drawn
from the whole record; and the workflow after one edited cell redraws exactly
the figures whose table changed, and a study job with nothing new copies every
panel table, byte-identical to making them afresh.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from workflow_runs import copy_run, snakemake

from mne_clusters.core import cache
from mne_clusters.core import catalogue as cat
from mne_clusters.core.provenance import sha256_file
from mne_clusters.plotting import map_step, record
from mne_clusters.plotting import step as plotting_step

ROOT = Path(__file__).resolve().parents[1]


class Maker:
    """A stand-in step: writes ``text`` to each path and counts its calls."""

    def __init__(self, paths: list[Path], text: str) -> None:
        self.paths, self.text, self.calls = paths, text, 0

    def __call__(self) -> None:
        self.calls += 1
        for p in self.paths:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(f"{self.text} {p.suffix}", encoding="utf-8")


def _outs(tmp_path: Path) -> list[Path]:
    return [tmp_path / "figures" / "w" / "f.png", tmp_path / "figures" / "w" / "f.svg"]


def test_a_kept_figure_is_copied_not_made_again(tmp_path):
    outs = _outs(tmp_path)
    make = Maker(outs, "drawn")
    parts = {"figure": "f", "inputs": ["abc"]}
    assert cache.produce("w/f", parts, outs, make) is False
    first = [p.read_bytes() for p in outs]
    for p in outs:
        p.unlink()
    assert cache.produce("w/f", parts, outs, make) is True
    assert make.calls == 1
    assert [p.read_bytes() for p in outs] == first


def test_any_change_of_the_key_makes_the_figure_again(tmp_path):
    outs = _outs(tmp_path)
    make = Maker(outs, "drawn")
    base = {"figure": "f", "inputs": ["abc"], "dpi": 200}
    cache.produce("w/f", base, outs, make)
    for changed in ({**base, "inputs": ["abd"]}, {**base, "dpi": 150}, {**base, "code": "x"}):
        make.text = f"drawn {changed}"
        assert cache.produce("w/f", changed, outs, make) is False
        assert outs[0].read_text(encoding="utf-8").startswith(make.text)
    assert make.calls == 4


def test_the_key_is_canonical_and_names_its_format():
    assert cache.key({"a": 1, "b": [1, 2]}) == cache.key({"b": [1, 2], "a": 1})
    assert cache.key({"a": 1}) != cache.key({"a": 2})
    assert re.fullmatch(r"[0-9a-f]{64}", cache.key({}))


def test_a_damaged_entry_is_made_afresh_with_a_warning_and_replaced(tmp_path, caplog):
    outs = _outs(tmp_path)
    make = Maker(outs, "drawn")
    parts = {"figure": "f"}
    cache.produce("w/f", parts, outs, make)
    entry = cache.location() / "w" / "f" / cache.key(parts)
    (entry / "f.svg").write_text("truncated", encoding="utf-8")
    with caplog.at_level("WARNING"):
        assert cache.produce("w/f", parts, outs, make) is False
    assert make.calls == 2 and "damaged" in caplog.text
    assert outs[1].read_text(encoding="utf-8") == "drawn .svg"
    # the entry kept from the fresh result serves the next run
    assert cache.produce("w/f", parts, outs, make) is True
    assert make.calls == 2
    # a missing file is no entry at all
    shutil.rmtree(entry)
    entry.mkdir()
    assert cache.restore("w/f", cache.key(parts), outs) is False


def test_off_draws_every_time_and_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, "off")
    assert cache.location() is None
    outs = _outs(tmp_path)
    make = Maker(outs, "drawn")
    cache.produce("w/f", {}, outs, make)
    cache.produce("w/f", {}, outs, make)
    assert make.calls == 2


def test_the_default_folder_is_under_snakemake_in_the_working_directory(monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    assert cache.location() == Path(".snakemake/mne-clusters/cache")


def test_only_the_most_recently_used_entries_of_a_figure_are_kept(tmp_path):
    outs = _outs(tmp_path)
    make = Maker(outs, "drawn")
    for i in range(cache.KEEP + 3):
        cache.produce("w/f", {"i": i}, outs, make)
    slot = cache.location() / "w" / "f"
    kept = [p for p in slot.iterdir() if not p.name.startswith(".")]
    assert len(kept) == cache.KEEP
    assert cache.key({"i": cache.KEEP + 2}) in {p.name for p in kept}
    assert cache.key({"i": 0}) not in {p.name for p in kept}


def test_outputs_over_the_size_limit_are_made_but_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 10)
    outs = _outs(tmp_path)
    make = Maker(outs, "more than ten bytes together")
    cache.produce("w/f", {}, outs, make)
    cache.produce("w/f", {}, outs, make)
    assert make.calls == 2 and outs[0].is_file()
    assert not (cache.location() / "w" / "f").exists()


def test_an_unwritable_cache_is_skipped_with_a_warning(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    outs = _outs(tmp_path)
    make = Maker(outs, "drawn")
    with caplog.at_level("WARNING"):
        assert cache.produce("w/f", {}, outs, make) is False
    assert make.calls == 1 and outs[0].is_file() and "could not keep" in caplog.text


# ------------------------------------------------------------- what figures are keyed on


def _draw_all(tables: Path, out: Path, config: dict, boundaries: Path) -> dict[str, bytes]:
    drawn = {}
    for f in cat.figures("charts"):
        paths = [str(out / f"{f.name}.png")]  # every shown text is in the pixels too
        plotting_step.run_charts(
            wave="w2019",
            tables={f.name: str(tables / f"{f.inputs[0]}.csv")},
            out={f.name: paths},
            dpi=60,
            config=config,
        )
        drawn.update({Path(p).name: Path(p).read_bytes() for p in paths})
    paths = [str(out / "map_mne_by_region.png")]
    map_step.run_map(
        wave="w2019",
        table=str(tables / "mne_by_region.csv"),
        boundaries=str(boundaries),
        out=paths,
        dpi=60,
        config=config,
    )
    drawn.update({Path(p).name: Path(p).read_bytes() for p in paths})
    return drawn


@pytest.mark.e2e
def test_every_figure_shows_only_the_record_keys_the_cache_keys_on(
    run_w2019, tmp_path, monkeypatch
):
    """Drawn from the whole provenance record or from the keys in record.SHOWN, every
    figure has the same bytes: nothing the cache leaves out of its key shows."""
    monkeypatch.setenv(cache.ENV, "off")
    tables = run_w2019 / "data/processed/w2019/tables"
    config: dict = {}  # the functions' defaults
    boundaries = run_w2019 / "tests/data/reference/boundaries.geojson"
    cut = _draw_all(tables, tmp_path / "cut", config, boundaries)
    monkeypatch.setattr(record, "shown", lambda rec: None if rec is None else dict(rec))
    whole = _draw_all(tables, tmp_path / "whole", config, boundaries)
    assert len(cut) == len(cat.figures("charts")) + 1
    assert cut == whole
    # and the record does carry keys the figures leave out (else this proves nothing)
    sidecar = json.loads((tables / "mne_presence.csv.meta.json").read_text(encoding="utf-8"))
    assert set(sidecar) - set(record.SHOWN)


# ----------------------------------------------------------------- the workflow, one cell


def _reused(work: Path) -> set[str]:
    """Figures the plotting and map jobs of w2019 copied from the cache (their logs)."""
    names = set()
    for log in ("logs/plotting/w2019.log", "logs/map/w2019.log"):
        for line in (work / log).read_text(encoding="utf-8").splitlines():
            if line.endswith("reused from the cache"):
                names |= set(re.findall(r"figures/w2019/(\w+)\.png", line))
    return names


def _digests(folder: Path, pattern: str) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted(folder.glob(pattern))}


@pytest.mark.e2e
def test_one_edited_cell_redraws_exactly_the_figures_whose_table_changed(run_w2019, tmp_path):
    work = copy_run(run_w2019, tmp_path / "work")
    tables = work / "data/processed/w2019/tables"
    before = _digests(tables, "*.csv")
    clusters = work / "tests/data/waves/w2019/clusters.csv"
    rows = list(csv.reader(io.StringIO(clusters.read_text(encoding="utf-8"))))
    col = rows[0].index("org_level")
    row = next(r for r in rows[1:] if not r[col].strip())
    row[col] = "medium"
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    clusters.write_text(text.getvalue(), encoding="utf-8")
    snakemake(work)

    after = _digests(tables, "*.csv")
    changed = {Path(name).stem for name in before if before[name] != after[name]}
    inputs = {f.name: f.inputs[0] for f in cat.figures("charts")}
    inputs["map_mne_by_region"] = cat.figure("map_mne_by_region").inputs[0]
    redrawn = {fig for fig, table in inputs.items() if table in changed}
    assert redrawn and redrawn != set(inputs), changed  # some drawn, some reused
    assert _reused(work) == set(inputs) - redrawn

    # a reused figure has the bytes its drawing gave (in the run the cache came
    # from); a redrawn one shows the change
    now, drawn = (
        _digests(work / "figures/w2019", "*.*"),
        _digests(run_w2019 / "figures/w2019", "*.*"),
    )
    assert now.keys() == drawn.keys()
    for name in now:
        assert (now[name] == drawn[name]) == (Path(name).stem not in redrawn), name


def test_the_key_covers_the_code_of_every_drawing_module():
    """The code part of a figure's key is the fingerprint of its job's whole import
    closure: the drawing modules imported late, only to draw, are in it."""
    from mne_clusters.core.fingerprint import module_closure

    charts = set(module_closure("plotting.step"))
    assert {"plotting.charts", "plotting.style", "plotting.timeline", "plotting.record"} <= charts
    assert "plotting.maps" not in charts
    assert {"plotting.maps", "plotting.style", "plotting.record"} <= set(
        module_closure("plotting.map_step")
    )


@pytest.mark.e2e
def test_a_study_job_with_unchanged_tables_copies_every_panel_table(run_a, tmp_path):
    """Two waves: the panel's typed files come from the cache, the CSVs, sidecars and
    workbook are written from them, and every byte is as when all was made afresh."""
    work = copy_run(run_a, tmp_path / "work")
    panel = work / "data/processed/panel"
    made = _digests(panel, "*")
    snakemake(work, "--forcerun", "study")
    log = (work / "logs/study.log").read_text(encoding="utf-8")
    reused = set(re.findall(r"panel/(\w+)\.parquet, \S+: inputs unchanged, reused", log))
    assert reused == {p.stem for p in panel.glob("*.dta")}
    assert len(reused) == 2 + len(cat.tables(scope="wave"))
    assert _digests(panel, "*") == made
    # and the comparison charts, drawn from frames the job computes, the same
    compared = set(re.findall(r"figures/comparison/(\w+)\.png.*: inputs unchanged, reused", log))
    assert compared == {f.name for f in cat.figures("comparison")}
    assert _digests(work / "figures/comparison", "*") == _digests(run_a / "figures/comparison", "*")


@pytest.mark.e2e
def test_the_comparison_charts_show_only_the_record_keys_the_cache_keys_on(
    run_a, tmp_path, monkeypatch
):
    from mne_clusters.waves.step import run_comparison

    monkeypatch.setenv(cache.ENV, "off")
    waves = ["w2019", "w2021"]
    given = {
        "waves": waves,
        "clusters": [str(run_a / f"data/processed/{w}/clusters.parquet") for w in waves],
        "relations": [str(run_a / f"data/processed/{w}/relations.parquet") for w in waves],
        "formats": ["png"],
        "dpi": 60,
        "config": {},
    }
    drawn = {}
    for variant in ("cut", "whole"):
        if variant == "whole":
            monkeypatch.setattr(record, "shown", lambda rec: None if rec is None else dict(rec))
        out = tmp_path / variant
        run_comparison(out_tables=str(out / "t"), out_figures=str(out / "f"), **given)
        drawn[variant] = _digests(out / "f", "*.png")
    assert len(drawn["cut"]) == len(cat.figures("comparison"))
    assert drawn["cut"] == drawn["whole"]
