"""The workflow configuration: load, validate, and answer questions about it.

``config.yaml`` is checked against ``config.schema.yaml`` (JSON Schema) before
anything runs. The schema is package data, so an installed ``mne-clusters``
(``pip install .``, not only an editable install) and the workflow read the same
file. The first problem found is reported as one line that names the key, e.g.::

    config.yaml: waves.2019.ranks_year: 'abc' is not of type 'integer'

Beyond the schema, a few checks need code: a wave id must be usable as a folder
name, a wave's year is needed to check years (taken from the id when the id is
a year), and every file named must exist. Wave ids and ``ingest.industry_map``
keys are turned into text, since YAML reads an unquoted ``2019`` or ``21`` as a
number.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from mne_clusters.core.errors import ConfigError

if TYPE_CHECKING:
    import jsonschema

#: Reference tables every wave uses; a wave may override any of them.
REFERENCE_TABLES = ("mne_registry", "regions", "innovation_rank", "investment_rank")

#: Tables of a wave.
WAVE_TABLES = ("clusters", "relations")

WAVE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def schema_path() -> Path:
    """The JSON schema of ``config.yaml``: package data of :mod:`mne_clusters`.

    The workflow validates its config through this module, so it reads the
    same file whether the package is installed or run from the repository.
    """
    return Path(str(resources.files("mne_clusters") / "config.schema.yaml"))


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(schema_path().read_text(encoding="utf-8"))
    return loaded


def schema_defaults() -> dict[str, dict[str, Any]]:
    """The ``default`` of every key of every optional section, from the schema.

    The schema is the one place where defaults are written; :func:`validate_config`
    fills them in, and functions called without a config read them through
    :func:`default`. A fresh copy each call (callers may change it).
    """
    out: dict[str, dict[str, Any]] = {}
    for section, spec in _schema()["properties"].items():
        keys = {
            key: copy.deepcopy(sub["default"])
            for key, sub in (spec.get("properties") or {}).items()
            if "default" in sub
        }
        if keys:
            out[section] = keys
    return out


def default(key: str) -> Any:
    """The schema's default of ``"section.key"`` (e.g. ``default("stats.min_known")``)."""
    section, _, name = key.partition(".")
    spec = _schema()["properties"].get(section, {}).get("properties", {}).get(name, {})
    if "default" not in spec:
        raise KeyError(f"config schema has no default for {key!r}")
    return copy.deepcopy(spec["default"])


def _key_path(error: jsonschema.ValidationError) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(top level)"


def _one_line(error: jsonschema.ValidationError, source: str) -> str:
    key = _key_path(error)
    if error.validator == "additionalProperties":
        # The schema that holds additionalProperties is an object (typed as any schema).
        allowed = sorted(cast(Mapping[str, Any], error.schema).get("properties", {}))
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


def key_paths(data: Any, prefix: str = "") -> list[str]:
    """Every key of a parsed YAML mapping as a dotted path (``waves.2021.year``).

    Keys are written as text (``2021`` and ``"2021"`` are the same wave).
    """
    out: list[str] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            path = f"{prefix}{key}"
            out.append(path)
            out += key_paths(value, f"{path}.")
    return out


def source_finder(layers: Sequence[tuple[str, Mapping[str, Any]]]) -> Callable[[str], str]:
    """Tell which file a key of a merged config comes from.

    ``layers`` are the config files in the order they are merged (the main
    config first, then each ``--configfile`` overlay), each with its parsed
    content. The returned function maps a dotted key path to the last file
    that sets the longest leading part of it, so that an error in an overlay
    names the overlay; a key no file sets is blamed on the first file.
    """
    owners: dict[str, str] = {}
    for name, data in layers:
        for path in key_paths(data):
            owners[path] = name
    default = layers[0][0] if layers else "config.yaml"

    def find(key: str) -> str:
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            owner = owners.get(".".join(parts[:n]))
            if owner is not None:
                return owner
        return default

    return find


def validate_config(
    config: Mapping[str, Any],
    *,
    source: str = "config.yaml",
    check_files: bool = True,
    sources: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """Validate ``config`` and return a copy with defaults filled in.

    Waves are put in chronological order: by survey year (``year``, or the id
    when the id is a year), then by id. Two waves of the same survey year are
    a config error naming both, since the comparison could not tell which
    came first.

    Parameters
    ----------
    config
        The parsed configuration.
    source
        Name of the config file, used in messages.
    check_files
        Also check that every file the config names exists (relative to the
        working directory).
    sources
        For a config merged from several files: maps a dotted key path to the
        file that sets it (see :func:`source_finder`); messages then name that
        file instead of ``source``.

    Raises
    ------
    ConfigError
        One line naming the file, the key and what is wrong.
    """

    def where(key: str) -> str:
        return sources(key) if sources is not None else source

    waves = config.get("waves")
    if isinstance(waves, Mapping):
        # YAML reads an unquoted 2019 as a number; wave ids are folder names, so text.
        config = {**config, "waves": {str(k): v for k, v in waves.items()}}
        for wave_id in config["waves"]:
            check_wave_id(wave_id, source=where(f"waves.{wave_id}"))
    ingest = config.get("ingest")
    if isinstance(ingest, Mapping) and isinstance(ingest.get("industry_map"), Mapping):
        # Industry spellings are matched as text; YAML reads an unquoted 21 as a number.
        config = {
            **config,
            "ingest": {
                **ingest,
                "industry_map": _text_keys(ingest["industry_map"], where("ingest.industry_map")),
            },
        }
    import jsonschema  # only when a config is checked: the import is slow

    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(dict(config)), key=lambda e: list(e.absolute_path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ConfigError(_one_line(best, where(_key_path(best))))

    cfg = copy.deepcopy(dict(config))
    for section, defaults in schema_defaults().items():
        cfg[section] = {**defaults, **(cfg.get(section) or {})}

    for wave_id, wave in cfg["waves"].items():
        check_wave_id(wave_id, source=where(f"waves.{wave_id}"))
        if "year" not in wave:
            year = survey_year(cfg, wave_id)
            if year is not None:
                wave["year"] = year
            else:
                raise ConfigError(
                    f"{where(f'waves.{wave_id}')}: waves.{wave_id}.year: missing; the wave id "
                    "is not a year, so give the survey year, e.g. 'year: 2021'"
                )
    cfg["waves"] = _chronological(cfg["waves"], where)
    if cfg.get("replication_wave") is not None and cfg["replication_wave"] not in cfg["waves"]:
        raise ConfigError(
            f"{where('replication_wave')}: replication_wave: {cfg['replication_wave']!r} is "
            f"not a wave id (waves: {', '.join(cfg['waves'])})"
        )
    if check_files:
        for key, path in _named_files(cfg):
            if not Path(path).is_file():
                raise ConfigError(f"{where(key)}: {key}: file {path!r} not found")
    return cfg


def _chronological(
    waves: Mapping[str, Mapping[str, Any]], where: Callable[[str], str]
) -> dict[str, Any]:
    """``waves`` ordered by survey year, then id; two waves of one year are an error."""
    by_year: dict[int, str] = {}
    for wave_id in sorted(waves):
        year = int(waves[wave_id]["year"])
        if year in by_year:
            first = by_year[year]
            raise ConfigError(
                f"{where(f'waves.{wave_id}.year')}: waves.{first} and waves.{wave_id}: both "
                f"have survey year {year}; waves are compared in order of their year, so "
                "give each wave its own year (or merge the two into one wave)"
            )
        by_year[year] = wave_id
    return {w: waves[w] for w in sorted(waves, key=lambda w: (int(waves[w]["year"]), w))}


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


def read_config_file(path: str | Path) -> dict[str, Any]:
    """Parse one YAML config file; a missing file or bad YAML is a :class:`ConfigError`."""
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
    return raw


def merge_configs(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``overlay`` merged over ``base`` the way Snakemake merges ``--configfile``.

    Mappings are merged key by key, recursively; any other value of the overlay
    replaces the base's.
    """
    out = copy.deepcopy(dict(base))
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_configs(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_config(*paths: str | Path, check_files: bool = True) -> dict[str, Any]:
    """Read, merge and validate config files; see :func:`validate_config`.

    With several files, each is merged over the ones before it (as
    ``snakemake --configfile overlay.yaml`` merges over ``config.yaml``), and
    an error names the file that sets the offending key.
    """
    names = [str(p) for p in (paths or ("config.yaml",))]
    layers = [(name, read_config_file(name)) for name in names]
    merged: dict[str, Any] = {}
    for _, data in layers:
        merged = merge_configs(merged, data)
    return validate_config(
        merged, source=names[0], check_files=check_files, sources=source_finder(layers)
    )


# -- questions about a validated config -------------------------------------------


def file_path(spec: str | Mapping[str, str]) -> str:
    """The path of a file entry (a string, or ``{path, sheet}``)."""
    return spec if isinstance(spec, str) else spec["path"]


def file_sheet(spec: str | Mapping[str, str]) -> str | None:
    """The sheet of a file entry, or ``None``."""
    return None if isinstance(spec, str) else spec.get("sheet")


def wave_ids(cfg: Mapping[str, Any]) -> list[str]:
    """Wave ids in chronological order (survey year, then id): the comparison order.

    The order of keys in the config files does not matter.
    """
    waves = cfg["waves"]
    return sorted(waves, key=lambda w: (int(waves[w].get("year", 0)), str(w)))


def survey_year(cfg: Mapping[str, Any] | None, wave: str) -> int | None:
    """The survey year of ``wave``: ``waves.<wave>.year``, else the id when it is
    a year (``2019``), else ``None``. The one rule the loader applies too."""
    entry = ((cfg or {}).get("waves") or {}).get(wave) or {}
    if entry.get("year") is not None:
        return int(entry["year"])
    return int(wave) if re.fullmatch(r"(19|20)\d\d", str(wave)) else None


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


#: Reference tables that ``waves.<wave>.ranks_year`` selects rows of.
RANKINGS = ("innovation_rank", "investment_rank")


def check_ranks_year(cfg: Mapping[str, Any], wave: str, years: Mapping[str, Any]) -> list[str]:
    """Check that the rankings in force for ``wave`` hold rows of its ``ranks_year``.

    Parameters
    ----------
    cfg
        The validated configuration.
    wave
        The wave id.
    years
        Ranking name (``innovation_rank``, ``investment_rank``) -> the data
        years its rows hold (any iterable; gaps are ignored).

    Returns
    -------
    list of str
        One warning per ranking without a row of ``ranks_year``, naming the
        ranking, its file and the years it has: every region's rank in that
        ranking, and its top-N flag, will be unknown.

    Raises
    ------
    ConfigError
        No ranking holds ``ranks_year``: every rank would be unknown, which is
        surely a typo in the config.
    """
    ranks_year = int(cfg["waves"][wave]["ranks_year"])
    key = f"waves.{wave}.ranks_year"
    lacking: list[tuple[str, str, str]] = []
    for name, values in years.items():
        have = sorted({int(y) for y in values if y is not None and not _is_gap(y)})
        if ranks_year not in have:
            file = file_path(reference_spec(cfg, name, wave))
            listed = ", ".join(map(str, have)) if have else "no years"
            lacking.append((name, file, listed))
    if lacking and len(lacking) == len(years):
        detail = "; ".join(f"{n} ({f}) has {y}" for n, f, y in lacking)
        raise ConfigError(
            f"{key}: {ranks_year} has no rows in any ranking ({detail}); set ranks_year "
            "to a data year the rankings hold"
        )
    return [
        f"{key}: {ranks_year} has no rows in {name} ({file}), which has {listed}: every "
        f"region's {name.removesuffix('_rank')} rank and top-N flag in wave {wave} will be "
        "unknown; set ranks_year to a year it holds, or add that year's rows"
        for name, file, listed in lacking
    ]


def _is_gap(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN and pandas.NA
    except TypeError:
        return True
