"""Provenance records and code fingerprints."""

import hashlib
from pathlib import Path

from mne_clusters.core import fingerprint, provenance


def test_record_lists_inputs_with_sha256_and_no_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.csv").write_bytes(b"a\n1\n")
    rec = provenance.record(wave="2019", inputs=[tmp_path / "in.csv"], config={"k": 1})
    assert rec["inputs"] == [{"path": "in.csv", "sha256": hashlib.sha256(b"a\n1\n").hexdigest()}]
    assert rec["wave"] == "2019"
    assert rec["generator"].startswith("mne-clusters ")
    assert str(tmp_path) not in str(rec)


def test_config_hash_ignores_key_order_and_sees_values():
    assert provenance.config_hash({"a": 1, "b": 2}) == provenance.config_hash({"b": 2, "a": 1})
    assert provenance.config_hash({"a": 1}) != provenance.config_hash({"a": 2})


def test_source_line_names_wave_generator_and_config():
    rec = provenance.record(wave="2021", inputs=[], config={})
    line = provenance.source_line(rec)
    assert line.startswith("wave 2021 · mne-clusters ")
    assert f"config {provenance.config_hash({})}" in line


def _fake_package(tmp_path, monkeypatch, modules: dict[str, str]):
    for key, source in modules.items():
        path = tmp_path.joinpath(*key.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    monkeypatch.setattr(fingerprint, "_package_dir", lambda: tmp_path)


# A package laid out as the real one: subpackages with their __init__, absolute,
# relative and late imports, and a module that nothing imports.
FAKE = {
    "__init__": "__version__ = '1'\n",
    "core.__init__": '"""core"""\n',
    "core.errors": "X = 1\n",
    "stage.__init__": '"""stage"""\n',
    "stage.a": "from mne_clusters.stage import b\nfrom mne_clusters.core.errors import X\n",
    "stage.b": "import os\n\n\ndef f():\n    from mne_clusters.stage.c import helper\n    return helper\n",
    "stage.c": "from . import b\nfrom ..core import errors\n\n\ndef helper():\n    return 1\n",
    "stage.d": "import mne_clusters.stage.a\n",
    "unused": "Y = 2\n",
}
CORE = ["__init__", "core.__init__", "core.errors"]


def test_closure_follows_imports_also_late_and_relative_ones(tmp_path, monkeypatch):
    _fake_package(tmp_path, monkeypatch, FAKE)
    stage = ["stage.__init__", "stage.a", "stage.b", "stage.c"]
    assert fingerprint.module_closure("stage.a") == sorted(CORE + stage)
    assert fingerprint.module_closure("stage.d") == sorted(CORE + stage + ["stage.d"])
    script = tmp_path / "script.py"
    script.write_text("from mne_clusters.stage.c import helper\nimport pandas\n", encoding="utf-8")
    assert fingerprint.module_closure(files=[script]) == sorted(
        CORE + ["stage.__init__", "stage.b", "stage.c"]
    )


def test_closure_fingerprint_changes_with_any_module_imported_and_only_those(tmp_path, monkeypatch):
    _fake_package(tmp_path, monkeypatch, FAKE)
    first = fingerprint.closure_fingerprint("stage.a")
    (tmp_path / "unused.py").write_text("Y = 3\n", encoding="utf-8")
    assert fingerprint.closure_fingerprint("stage.a") == first
    # a helper two imports away, edited inside its function
    (tmp_path / "stage" / "c.py").write_text(FAKE["stage.c"].replace("return 1", "return 2"))
    second = fingerprint.closure_fingerprint("stage.a")
    assert second != first
    # a subpackage's __init__ runs before its modules
    (tmp_path / "core" / "__init__.py").write_text('"""core, edited"""\n', encoding="utf-8")
    third = fingerprint.closure_fingerprint("stage.a")
    assert third != second
    (tmp_path / "__init__.py").write_text("__version__ = '2'\n", encoding="utf-8")
    assert fingerprint.closure_fingerprint("stage.a") != third


def test_closure_fingerprint_sees_the_package_data_files(tmp_path, monkeypatch):
    _fake_package(tmp_path, monkeypatch, FAKE)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "vocabularies.yaml").write_text("industry: [a]\n", encoding="utf-8")
    first = fingerprint.closure_fingerprint("core.errors")
    (tmp_path / "data" / "vocabularies.yaml").write_text("industry: [a, b]\n", encoding="utf-8")
    assert fingerprint.closure_fingerprint("core.errors") != first


def test_the_plotting_job_fingerprint_covers_the_shared_plotting_code():
    script = Path(__file__).resolve().parents[1] / "workflow" / "scripts" / "plotting.py"
    closure = fingerprint.module_closure(files=[script])
    assert {"__init__", "core.adapter", "plotting.charts", "plotting.style"} <= set(closure)
    # the timeline is drawn here; the map (and geopandas) in a job of its own
    assert "plotting.timeline" in closure and "plotting.maps" not in closure
    map_script = script.with_name("map.py")
    map_closure = fingerprint.module_closure(files=[map_script])
    assert {"plotting.maps", "plotting.style"} <= set(map_closure)
    assert "plotting.timeline" not in map_closure
    # and nothing is computed here: no analysis or name-matching module
    assert not [m for m in closure if m.startswith(("analysis.", "names.", "classify."))]


def test_the_analysis_job_fingerprint_has_no_plotting_code():
    script = Path(__file__).resolve().parents[1] / "workflow" / "scripts" / "analysis.py"
    closure = fingerprint.module_closure(files=[script])
    assert {"analysis.step", "analysis.model", "report.findings"} <= set(closure)
    assert not [m for m in closure if m.startswith("plotting")]
