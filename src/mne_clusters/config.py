"""The workflow configuration: load, validate, and answer questions about it.

``config.yaml`` is checked against ``workflow/schemas/config.schema.yaml`` (JSON
Schema) before anything runs. The first problem found is reported as one line
that names the key, e.g.::

    config.yaml: waves.2019.ranks_year: 'abc' is not of type 'integer'

Beyond the schema, a few checks need code: a wave id must be usable as a folder
name, a wave's year is needed to check years (taken from the id when the id is
a year), and every file named must exist. Wave ids and ``ingest.industry_map``
keys are turned into text, since YAML reads an unquoted ``2019`` or ``21`` as a
number.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from mne_clusters.errors import ConfigError

#: Reference tables every wave uses; a wave may override any of them.
REFERENCE_TABLES = ("mne_registry", "regions", "innovation_rank", "investment_rank")

#: Tables of a wave.
WAVE_TABLES = ("clusters", "relations")

WAVE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

#: Defaults for optional sections, applied after validation.
DEFAULTS: dict[str, Any] = {
    "ingest": {"max_file_mb": 50, "industry_map": {}},
    "matching": {"fuzzy_threshold": 92, "review_min_score": 75, "home_country": "RU"},
    "classify": {
        "status_precedence": ["innovative", "industrial", "cdc_supported"],
        "founding_periods": [{"label": "old", "last": 1998}, {"label": "new", "first": 1999}],
        "top_n": 15,
    },
    "tables": {"key_mnes_per_industry": 5},
    "maps": {
        "crs": "+proj=aea +lat_1=52 +lat_2=64 +lat_0=0 +lon_0=100 +datum=WGS84 +units=m +no_defs",
        "zoom": [30.0, 44.0, 56.0, 61.0],
    },
    "figures": {"formats": ["png", "svg"], "dpi": 200},
    "stats": {"alpha": 0.05, "seed": 20190620, "monte_carlo_resamples": 100_000},
    "scale": {"chunk_rows": 250_000},
}


def schema_path() -> Path:
    """The JSON schema of ``config.yaml`` (shipped in the repository's workflow/)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "workflow" / "schemas" / "config.schema.yaml"
        if candidate.is_file():
            return candidate
    # Installed without the repository: fall back to the copy in the package.
    return Path(str(resources.files("mne_clusters") / "config.schema.yaml"))


def _key_path(error: jsonschema.ValidationError) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(top level)"


def _one_line(error: jsonschema.ValidationError, source: str) -> str:
    key = _key_path(error)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = (
            sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        )
        hint = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        return f"{source}: {key}: unknown key {', '.join(map(repr, extra))}{hint}"
    if error.validator == "propertyNames":
        return (
            f"{source}: {key}: wave id {error.instance!r} is not a safe folder name "
            "(use letters, digits, '-' and '_', starting with a letter or digit)"
        )
    if error.validator == "required":
        return f"{source}: {key}: {error.message}"
    return f"{source}: {key}: {error.message}"


def validate_config(
    config: Mapping[str, Any], *, source: str = "config.yaml", check_files: bool = True
) -> dict[str, Any]:
    """Validate ``config`` and return a copy with defaults filled in.

    Parameters
    ----------
    config
        The parsed configuration.
    source
        Name of the config file, used in messages.
    check_files
        Also check that every file the config names exists (relative to the
        working directory).

    Raises
    ------
    ConfigError
        One line naming the key and what is wrong.
    """
    waves = config.get("waves")
    if isinstance(waves, Mapping):
        # YAML reads an unquoted 2019 as a number; wave ids are folder names, so text.
        config = {**config, "waves": {str(k): v for k, v in waves.items()}}
        for wave_id in config["waves"]:
            check_wave_id(wave_id, source=source)
    ingest = config.get("ingest")
    if isinstance(ingest, Mapping) and isinstance(ingest.get("industry_map"), Mapping):
        # Industry spellings are matched as text; YAML reads an unquoted 21 as a number.
        config = {
            **config,
            "ingest": {**ingest, "industry_map": _text_keys(ingest["industry_map"], source)},
        }
    schema = yaml.safe_load(schema_path().read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(dict(config)), key=lambda e: list(e.absolute_path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ConfigError(_one_line(best, source))

    cfg = copy.deepcopy(dict(config))
    for section, defaults in DEFAULTS.items():
        cfg[section] = {**defaults, **(cfg.get(section) or {})}

    for wave_id, wave in cfg["waves"].items():
        check_wave_id(wave_id, source=source)
        if "year" not in wave:
            if re.fullmatch(r"(19|20)\d\d", wave_id):
                wave["year"] = int(wave_id)
            else:
                raise ConfigError(
                    f"{source}: waves.{wave_id}.year: missing; the wave id is not a year, "
                    "so give the survey year, e.g. 'year: 2021'"
                )
    if cfg.get("replication_wave") is not None and cfg["replication_wave"] not in cfg["waves"]:
        raise ConfigError(
            f"{source}: replication_wave: {cfg['replication_wave']!r} is not a wave id "
            f"(waves: {', '.join(cfg['waves'])})"
        )
    if check_files:
        for key, path in _named_files(cfg):
            if not Path(path).is_file():
                raise ConfigError(f"{source}: {key}: file {path!r} not found")
    return cfg


def _text_keys(industry_map: Mapping[Any, Any], source: str) -> dict[str, Any]:
    """``industry_map`` with every key as text (``21`` -> ``"21"``, ``26.1`` -> ``"26.1"``)."""
    keys: dict[str, Any] = {}
    for key, target in industry_map.items():
        if key is None or isinstance(key, bool):
            raise ConfigError(
                f"{source}: ingest.industry_map: key {key!r} is how YAML reads an unquoted "
                "empty, yes/no, true/false or on/off key; quote the spelling, e.g. 'no': other"
            )
        text = str(key)
        if text in keys:
            raise ConfigError(f"{source}: ingest.industry_map: key {text!r} is given twice")
        keys[text] = target
    return keys


def check_wave_id(wave_id: str, *, source: str = "config.yaml") -> None:
    """Raise :class:`ConfigError` unless ``wave_id`` is a safe folder name."""
    if not WAVE_ID.fullmatch(str(wave_id)) or wave_id in {"reference", "comparison"}:
        raise ConfigError(
            f"{source}: waves.{wave_id}: wave id {wave_id!r} is not a safe folder name "
            "(use letters, digits, '-' and '_', starting with a letter or digit; "
            "'reference' and 'comparison' are reserved)"
        )


def _named_files(cfg: Mapping[str, Any]) -> list[tuple[str, str]]:
    files: list[tuple[str, str]] = []
    for table, spec in cfg["reference"].items():
        files.append((f"reference.{table}", file_path(spec)))
    for wave_id, wave in cfg["waves"].items():
        for table in WAVE_TABLES:
            files.append((f"waves.{wave_id}.{table}", file_path(wave[table])))
        for table, spec in (wave.get("reference") or {}).items():
            files.append((f"waves.{wave_id}.reference.{table}", file_path(spec)))
    if cfg.get("published_figures"):
        files.append(("published_figures", cfg["published_figures"]))
    return files


def load_config(path: str | Path = "config.yaml", *, check_files: bool = True) -> dict[str, Any]:
    """Read and validate a config file; see :func:`validate_config`."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"{path}:{where}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys (waves:, reference:, ...)")
    return validate_config(raw, source=str(path), check_files=check_files)


# -- questions about a validated config -------------------------------------------


def file_path(spec: str | Mapping[str, str]) -> str:
    """The path of a file entry (a string, or ``{path, sheet}``)."""
    return spec if isinstance(spec, str) else spec["path"]


def file_sheet(spec: str | Mapping[str, str]) -> str | None:
    """The sheet of a file entry, or ``None``."""
    return None if isinstance(spec, str) else spec.get("sheet")


def wave_ids(cfg: Mapping[str, Any]) -> list[str]:
    """Wave ids in config order (the order waves are compared in)."""
    return list(cfg["waves"])


def wave_year(cfg: Mapping[str, Any], wave: str) -> int:
    """The survey year of ``wave``."""
    return int(cfg["waves"][wave]["year"])


def overrides(cfg: Mapping[str, Any], wave: str) -> dict[str, Any]:
    """Reference tables that ``wave`` overrides, by table name."""
    return dict(cfg["waves"][wave].get("reference") or {})


def reference_spec(cfg: Mapping[str, Any], table: str, wave: str | None = None) -> Any:
    """The file entry of reference ``table`` in force for ``wave`` (or the default)."""
    if wave is not None and table in overrides(cfg, wave):
        return overrides(cfg, wave)[table]
    return cfg["reference"][table]
