"""The settings of the classify step (``classify`` and ``matching`` in
config.yaml), read once into typed objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mne_clusters.classify.presence import AFTER_SURVEY_RULES
from mne_clusters.core import config as cfgmod
from mne_clusters.core import vocabulary as vocab
from mne_clusters.core.errors import ConfigError


@dataclass(frozen=True)
class FoundingBin:
    """One founding period: ``label`` for years in ``[first, last]``."""

    label: str
    first: int | None = None
    last: int | None = None

    def holds(self, year: int) -> bool:
        """Whether ``year`` falls in this bin."""
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )


@dataclass(frozen=True)
class ClassifyConfig:
    """Settings of cluster classification (config section ``classify``)."""

    status_precedence: tuple[str, ...] = vocab.STATUSES
    founding_periods: tuple[FoundingBin, ...] = field(
        default=tuple(FoundingBin(**b) for b in cfgmod.default("classify.founding_periods"))
    )
    top_n: int = cfgmod.default("classify.top_n")
    after_survey: str = cfgmod.default("classify.after_survey")

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> ClassifyConfig:
        """Read ``config["classify"]``, with defaults for absent keys.

        Raises
        ------
        ConfigError
            When a founding bin has no label, ``first > last``, or two bins
            overlap.
        """
        section = dict((config or {}).get("classify") or {})
        default = cls()
        bins = default.founding_periods
        if "founding_periods" in section:
            given: list[FoundingBin] = []
            for i, b in enumerate(section["founding_periods"] or []):
                if not isinstance(b, Mapping) or not b.get("label"):
                    raise ConfigError(
                        f"classify.founding_periods[{i}] needs a label (e.g. "
                        "{label: old, last: 1998})"
                    )
                first = None if b.get("first") is None else int(b["first"])
                last = None if b.get("last") is None else int(b["last"])
                if first is not None and last is not None and first > last:
                    raise ConfigError(
                        f"classify.founding_periods[{i}] ({b['label']}): first {first} "
                        f"is after last {last}"
                    )
                given.append(FoundingBin(str(b["label"]), first, last))
            bins = tuple(given)
            lows = [(b.first if b.first is not None else -(10**9), b) for b in bins]
            lows.sort(key=lambda t: t[0])
            for (_, a), (lo_b, b) in zip(lows, lows[1:], strict=False):
                if a.last is None or a.last >= lo_b:
                    raise ConfigError(
                        f"classify.founding_periods: bins '{a.label}' and '{b.label}' overlap"
                    )
        after = str(section.get("after_survey", default.after_survey))
        if after not in AFTER_SURVEY_RULES:
            raise ConfigError(
                f"classify.after_survey is '{after}': write one of " + ", ".join(AFTER_SURVEY_RULES)
            )
        return cls(
            status_precedence=tuple(
                str(s) for s in section.get("status_precedence", default.status_precedence)
            ),
            founding_periods=bins,
            top_n=int(section.get("top_n", default.top_n)),
            after_survey=after,
        )
