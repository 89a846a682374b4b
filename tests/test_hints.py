"""'Did you mean' hints (hints.py): a likely intended code, never a guess between two."""

import pytest

from mne_clusters.core.hints import closest, did_you_mean

CLUSTERS = ["klu-pharma", "klu-auto", "ta-it", "spe-auto", "len-auto"]
REGIONS = ["RU-KLU", "RU-TA", "RU-SPE", "RU-LEN", "RU-NIZ", "RU-YAR"]


@pytest.mark.parametrize(
    ("value", "choices", "expected"),
    [
        ("KLU-PHARMA", CLUSTERS, "klu-pharma"),  # case
        ("klu_pharma", CLUSTERS, "klu-pharma"),  # separator
        (" klu pharma ", CLUSTERS, "klu-pharma"),
        ("klu-phrama", CLUSTERS, "klu-pharma"),  # transposed letters
        ("ru-spe", REGIONS, "RU-SPE"),
        ("RU-YRA", REGIONS, "RU-YAR"),
        ("xyz-123", CLUSTERS, None),  # nothing close
        ("auto", CLUSTERS, None),  # close to several: no guess
        ("", CLUSTERS, None),
    ],
)
def test_closest_code(value, choices, expected):
    assert closest(value, choices) == expected


def test_two_codes_equal_but_for_case_give_no_hint():
    assert closest("ab", ["AB", "ab-"]) is None
    assert closest("Ab", ["AB", "ab"]) is None


def test_did_you_mean_text_is_empty_without_a_hint_or_for_the_value_itself():
    assert did_you_mean("KLU-PHARMA", CLUSTERS) == "did you mean 'klu-pharma'? "
    assert did_you_mean("zzz", CLUSTERS) == ""
