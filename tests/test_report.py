"""The report's front page: tables wrap their long text within the window."""

from __future__ import annotations

import pandas as pd

from mne_clusters.report import front as report


def test_long_text_columns_get_a_least_width_and_codes_may_break_after_underscores():
    df = pd.DataFrame(
        {
            "figure_id": ["pilot_innovative_beneficiary_regions", "a"],
            "value": [28, 3],
            "note": ["differs; missing data: " + "x" * 60, "short <b>"],
        }
    )
    got = report._table_html(df)
    # the header and every cell of the long note column carry class "long"
    assert '<th class="long">note</th>' in got
    assert '<td class="long">short &lt;b&gt;</td>' in got
    assert got.count('class="long"') == 3
    # short columns do not; numbers are right-aligned
    assert "<th>figure<wbr>_id</th>" not in got  # break opportunity after, not before
    assert "<th>figure_<wbr>id</th>" in got
    assert '<td class="num">28</td>' in got
    assert "<td>pilot_<wbr>innovative_<wbr>beneficiary_<wbr>regions</td>" in got


def test_prose_keeps_its_codes_whole():
    df = pd.DataFrame({"note": ["differs; missing data: is_leading blank", "data/raw/x.csv"]})
    got = report._table_html(df)
    assert "<td>differs; missing data: is_leading blank</td>" in got
    assert "<td>data/<wbr>raw/<wbr>x.csv</td>" in got


def test_a_column_exactly_at_the_limit_is_not_long():
    df = pd.DataFrame({"note": ["y" * report.LONG_TEXT], "more": ["z" * (report.LONG_TEXT + 1)]})
    got = report._table_html(df)
    assert "<th>note</th>" in got and '<th class="long">more</th>' in got


def test_the_page_may_shrink_to_the_window_and_tables_wrap():
    style = report._STYLE
    # the content column and the prose box may shrink below their content
    assert "min-width:0" in style
    assert "max-width:min(72rem,100%)" in style
    # tables are laid out to the page width (wrapping), not a scrolled block
    assert ".mnec-front table{display:table;width:100%" in style
    assert "display:block" not in style
