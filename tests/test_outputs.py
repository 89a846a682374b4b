"""Atomic, deterministic writers and spreadsheet-safe text."""

import pandas as pd
import pytest

from mne_clusters.core.outputs import atomic_path, safe_for_spreadsheet, write_csv


def test_text_starting_like_a_formula_is_written_as_text():
    df = pd.DataFrame(
        {"note": ['=HYPERLINK("x")', "+7 495", "-x", "@sum", "plain"], "n": [1, 2, 3, 4, 5]}
    )
    out = safe_for_spreadsheet(df)
    assert out["note"].tolist() == ['\'=HYPERLINK("x")', "'+7 495", "'-x", "'@sum", "plain"]
    assert out["n"].tolist() == [1, 2, 3, 4, 5]


def test_negative_numbers_stored_as_text_stay_numbers():
    out = safe_for_spreadsheet(pd.DataFrame({"d": ["-3", "-0.5"]}))
    assert out["d"].tolist() == ["-3", "-0.5"]


def test_safe_for_spreadsheet_does_not_mutate_its_input():
    df = pd.DataFrame({"note": ["=1+1"]})
    safe_for_spreadsheet(df)
    assert df["note"].tolist() == ["=1+1"]


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["=a", "b", None, "-3", "+x", "=a", "@b"] * 3),
        pd.Series(["=a", None, "b", "=a"], dtype="string"),
        pd.Series([1.5, "=x", None, 0.123456789], dtype=object),  # not all text: cell by cell
        pd.Series([0.123456789, 2.0], dtype=object),
    ],
)
def test_guarding_each_distinct_value_once_writes_the_csv_of_guarding_each_cell(tmp_path, column):
    df = pd.DataFrame({"c": column, "n": range(len(column))})
    guard = {"=a": "'=a", "+x": "'+x", "@b": "'@b", "=x": "'=x"}
    by_cell = df.assign(c=df["c"].map(lambda v: guard.get(v, v), na_action="ignore"))
    write_csv(df, tmp_path / "t.csv")
    expected = by_cell.to_csv(index=False, lineterminator="\n", float_format="%.6g")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == expected


def test_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_write_csv_writes_the_same_bytes_twice_with_a_sidecar(tmp_path):
    df = pd.DataFrame({"a": ["Ново Нордиск", "x"], "share": [1 / 3, 0.5]})
    write_csv(df, tmp_path / "a.csv", provenance={"wave": "2019"})
    first = (tmp_path / "a.csv").read_bytes()
    write_csv(df, tmp_path / "a.csv", provenance={"wave": "2019"})
    assert (tmp_path / "a.csv").read_bytes() == first
    # A table of one wave gains a leading wave column, from its provenance.
    assert first.decode("utf-8") == "wave,a,share\n2019,Ново Нордиск,0.333333\n2019,x,0.5\n"
    assert '"wave": "2019"' in (tmp_path / "a.csv.meta.json").read_text(encoding="utf-8")


def test_a_table_of_no_wave_gets_no_wave_column_and_an_old_one_is_replaced(tmp_path):
    df = pd.DataFrame({"a": [1, 2]})
    write_csv(df, tmp_path / "none.csv", provenance={"wave": None})
    assert (tmp_path / "none.csv").read_text(encoding="utf-8") == "a\n1\n2\n"
    write_csv(df.assign(wave="old"), tmp_path / "w.csv", provenance={"wave": "w2"})
    assert (tmp_path / "w.csv").read_text(encoding="utf-8") == "wave,a\nw2,1\nw2,2\n"
    assert list(df.columns) == ["a"]


def test_written_files_get_the_usual_permissions_not_private_ones(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "p.csv")
    finally:
        os.umask(old)
    assert (tmp_path / "p.csv").stat().st_mode & 0o777 == 0o644


def test_temporary_files_left_by_a_killed_run_are_removed_by_the_next_write(tmp_path):
    stale = tmp_path / ".t.csv.abc123.tmp"
    stale.write_text("half", encoding="utf-8")
    other = tmp_path / ".other.csv.abc123.tmp"
    other.write_text("someone else's", encoding="utf-8")
    write_csv(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
    assert not stale.exists()
    assert other.exists()
