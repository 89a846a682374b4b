"""Provenance records and code fingerprints."""

import hashlib

from mne_clusters import provenance


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


def test_function_fingerprint_changes_only_with_that_function(tmp_path, monkeypatch):
    module = tmp_path / "figs.py"
    base = "def a():\n    return 1\n\n\ndef b():\n    return 2\n\n\nFIGURES = {'chart_a': a, 'chart_b': b}\n"
    module.write_text(base, encoding="utf-8")
    monkeypatch.setattr(provenance, "_module_file", lambda name: module)
    a1 = provenance.code_fingerprint("figs", function="chart_a")
    b1 = provenance.code_fingerprint("figs", function="chart_b")
    module.write_text(base.replace("return 2", "return 3"), encoding="utf-8")
    assert provenance.code_fingerprint("figs", function="chart_a") == a1
    assert provenance.code_fingerprint("figs", function="chart_b") != b1


def test_fingerprint_of_a_missing_module_is_stable():
    assert provenance.code_fingerprint("no_such_module") == "no_such_module:absent"


def _fake_package(tmp_path, monkeypatch, modules: dict[str, str]):
    for name, source in modules.items():
        (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(provenance, "_module_file", lambda name: tmp_path / f"{name}.py")


FAKE = {
    "__init__": "__version__ = '1'\n",
    "a": "from mne_clusters import b\nfrom mne_clusters.errors import X\n",
    "b": "import os\n\n\ndef f():\n    from mne_clusters.c import helper\n    return helper\n",
    "c": "from . import b\n\n\ndef helper():\n    return 1\n",
    "d": "import mne_clusters.a\n",
    "errors": "X = 1\n",
    "unused": "Y = 2\n",
}


def test_closure_follows_imports_also_late_and_relative_ones(tmp_path, monkeypatch):
    _fake_package(tmp_path, monkeypatch, FAKE)
    assert provenance.module_closure("a") == ["__init__", "a", "b", "c", "errors"]
    assert provenance.module_closure("d") == ["__init__", "a", "b", "c", "d", "errors"]
    script = tmp_path / "script.py"
    script.write_text("from mne_clusters.c import helper\nimport pandas\n", encoding="utf-8")
    assert provenance.module_closure(files=[script]) == ["__init__", "b", "c"]


def test_closure_fingerprint_changes_with_any_module_imported_and_only_those(tmp_path, monkeypatch):
    _fake_package(tmp_path, monkeypatch, FAKE)
    first = provenance.closure_fingerprint("a")
    (tmp_path / "unused.py").write_text("Y = 3\n", encoding="utf-8")
    assert provenance.closure_fingerprint("a") == first
    # a helper two imports away, edited inside its function
    (tmp_path / "c.py").write_text(FAKE["c"].replace("return 1", "return 2"), encoding="utf-8")
    second = provenance.closure_fingerprint("a")
    assert second != first
    (tmp_path / "__init__.py").write_text("__version__ = '2'\n", encoding="utf-8")
    assert provenance.closure_fingerprint("a") != second


def test_closure_fingerprint_sees_the_package_data_files(tmp_path, monkeypatch):
    _fake_package(tmp_path, monkeypatch, FAKE)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "vocabularies.yaml").write_text("industry: [a]\n", encoding="utf-8")
    first = provenance.closure_fingerprint("errors")
    (tmp_path / "data" / "vocabularies.yaml").write_text("industry: [a, b]\n", encoding="utf-8")
    assert provenance.closure_fingerprint("errors") != first


def test_the_chart_job_fingerprint_covers_the_shared_plotting_code():
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "workflow" / "scripts" / "charts.py"
    closure = provenance.module_closure(files=[script])
    assert {"__init__", "adapter", "figures", "style"} <= set(closure)
    assert "maps" not in closure and "stats" not in closure
