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
