"""The ``mne-clusters`` command line.

Subcommands live in :data:`COMMANDS`, a small registry: to add one, write a
function that adds its arguments to an :class:`argparse.ArgumentParser` and a
function that runs it and returns the exit status, and add a :class:`Command`
to the dict.

``mne-clusters validate <file-or-wave>`` checks input files without running the
workflow and prints every problem, one line each: the rule broken in brackets,
then file, row, column, value, what was expected and how to fix it. A clean
file prints ``OK: <file>: N rows, valid``. Exit status: 0 when everything is
valid, 1 when there are data problems, 2 for a usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from mne_clusters import __version__
from mne_clusters.core import config as cfgmod
from mne_clusters.core.errors import ConfigError, DataError, Problem
from mne_clusters.ingest import schemas
from mne_clusters.ingest.check import check_table
from mne_clusters.ingest.readers import read_table
from mne_clusters.ingest.step import ingest_reference, ingest_wave

#: Exit statuses.
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

TABLES = ("clusters", "relations", *schemas.REFERENCE_TABLES)


class UsageError(Exception):
    """A wrong argument; reported in one line, exit status 2."""


@dataclass(frozen=True)
class Command:
    """One subcommand: its help line, its arguments, and what it runs."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


# --------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------


def _add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", help="a wave id from the config, or a file (CSV or .xlsx)")
    parser.add_argument(
        "--config",
        action="append",
        help="config file (default: config.yaml); give it again to merge an overlay over it, "
        "as snakemake --configfile does",
    )
    parser.add_argument(
        "--table", choices=TABLES, help="what the file holds (default: inferred from its header)"
    )
    parser.add_argument(
        "--wave-year", type=int, help="latest founding/entry year accepted for a wave file"
    )
    parser.add_argument("--sheet", help="sheet of an .xlsx file (default: the first)")


class _Report:
    """Collects what a validation found and prints it."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = out, err
        self.n_problems = 0

    def ok(self, file: str, n_rows: int) -> None:
        rows = "row" if n_rows == 1 else "rows"
        print(f"OK: {file}: {n_rows} {rows}, valid", file=self.out)

    def problems(self, problems: Sequence[Problem]) -> None:
        for problem in sorted(problems, key=Problem.sort_key):
            print(f"[{problem.rule}] {problem.format()}", file=self.out)
        self.n_problems += len(problems)

    def note(self, text: str) -> None:
        print(f"note: {text}", file=self.err)

    def warning(self, text: str) -> None:
        print(f"WARNING: {text}", file=self.err)

    def error(self, text: str) -> None:
        print(f"ERROR: {text}", file=self.err)
        self.n_problems += 1

    def finish(self) -> int:
        if self.n_problems:
            n = self.n_problems
            print(f"FAILED: {n} problem{'s' if n != 1 else ''} found", file=self.out)
            return EXIT_DATA
        return EXIT_OK


def _infer_table(raw: pd.DataFrame, file: str) -> str:
    """Guess the table kind from the header: the one with most required columns present."""
    columns = set(raw.columns)
    best, best_score = None, 0.0
    for table in ("clusters", "relations", "mne_registry", "regions", "innovation_rank"):
        required = schemas.required_columns(table)
        score = sum(c in columns for c in required) / len(required)
        if score > best_score:
            best, best_score = table, score
    if best is None or best_score < 0.5:
        raise UsageError(
            f"{file}: cannot tell which table this is from its header; pass --table "
            f"({', '.join(TABLES)})"
        )
    if best == "innovation_rank" and "invest" in Path(file).name.lower():
        best = "investment_rank"
    return best


def _ingest_settings(cfg: Mapping[str, Any]) -> tuple[float, dict[str, str]]:
    ingest = cfg.get("ingest") or {}
    return float(ingest.get("max_file_mb", cfgmod.default("ingest.max_file_mb"))), dict(
        ingest.get("industry_map") or {}
    )


def _regions(
    cfg: Mapping[str, Any], wave: str | None, report: _Report, max_mb: float
) -> frozenset[str] | None:
    spec = cfgmod.reference_spec(cfg, "regions", wave)
    file = cfgmod.file_path(spec)
    try:
        frame = ingest_reference("regions", file, sheet=cfgmod.file_sheet(spec), max_file_mb=max_mb)
    except DataError as exc:
        report.problems(exc.problems)
        return None
    report.ok(file, len(frame))
    return frozenset(frame["region_iso"].astype(str))


def _validate_wave(cfg: Mapping[str, Any], wave: str, report: _Report) -> None:
    max_mb, industry_map = _ingest_settings(cfg)
    codes = _regions(cfg, wave, report, max_mb)
    rank_years: dict[str, list[Any]] = {}
    for table in ("mne_registry", "innovation_rank", "investment_rank"):
        spec = cfgmod.reference_spec(cfg, table, wave)
        file = cfgmod.file_path(spec)
        try:
            frame = ingest_reference(
                table, file, region_codes=codes, sheet=cfgmod.file_sheet(spec), max_file_mb=max_mb
            )
        except DataError as exc:
            report.problems(exc.problems)
        else:
            report.ok(file, len(frame))
            if table in cfgmod.RANKINGS:
                rank_years[table] = frame["year"].dropna().tolist()
    if len(rank_years) == len(cfgmod.RANKINGS):
        try:
            for warning in cfgmod.check_ranks_year(cfg, wave, rank_years):
                report.warning(warning)
        except ConfigError as exc:
            report.error(str(exc))
    entry = cfg["waves"][wave]
    clusters, relations = cfgmod.file_path(entry["clusters"]), cfgmod.file_path(entry["relations"])
    try:
        c, r, _ = ingest_wave(
            clusters=clusters,
            relations=relations,
            wave_year=cfgmod.wave_year(cfg, wave),
            region_codes=codes,
            industry_map=industry_map,
            max_file_mb=max_mb,
            clusters_sheet=cfgmod.file_sheet(entry["clusters"]),
            relations_sheet=cfgmod.file_sheet(entry["relations"]),
        )
    except DataError as exc:
        report.problems(exc.problems)
    else:
        report.ok(clusters, len(c))
        report.ok(relations, len(r))


def _wave_of_file(cfg: Mapping[str, Any], file: str) -> str | None:
    target = os.path.normpath(file)
    waves: Mapping[str, Any] = cfg.get("waves") or {}
    for wave, entry in waves.items():
        for table in schemas.WAVE_TABLES:
            if table in entry and os.path.normpath(cfgmod.file_path(entry[table])) == target:
                return wave
    return None


def _validate_file(cfg: Mapping[str, Any], args: argparse.Namespace, report: _Report) -> None:
    max_mb, industry_map = _ingest_settings(cfg)
    file = args.target
    try:
        raw = read_table(file, sheet=args.sheet, max_file_mb=max_mb, display_name=file)
    except DataError as exc:
        report.problems(exc.problems)
        return
    table = args.table or _infer_table(raw, file)
    codes = None
    if table in ("clusters", "innovation_rank", "investment_rank"):
        codes = _regions(cfg, None, report, max_mb)
    wave_year = args.wave_year
    if wave_year is None and table in schemas.WAVE_TABLES:
        wave = _wave_of_file(cfg, file)
        if wave is not None:
            wave_year = cfgmod.wave_year(cfg, wave)
        else:
            report.note(f"{file}: years are not checked against a survey year; pass --wave-year")
    if table == "relations":
        report.note(
            f"{file}: cluster_id values are checked against the clusters file only "
            "when the whole wave is validated (mne-clusters validate <wave>)"
        )
    typed, _blank, problems = check_table(
        table,
        raw,
        file=file,
        wave_year=wave_year,
        industry_map=industry_map,
        region_codes=codes,
    )
    if problems:
        report.problems(problems)
    else:
        report.ok(file, len(typed))


def _load_config(paths: Sequence[str]) -> dict[str, Any]:
    for path in paths:
        if not Path(path).is_file():
            raise ConfigError(f"{path}: config file not found (pass --config)")
    return cfgmod.load_config(*paths, check_files=False)


def run_validate(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run ``mne-clusters validate``; return the exit status."""
    report = _Report(out or sys.stdout, err or sys.stderr)
    config_files = list(args.config or ["config.yaml"])
    cfg = _load_config(config_files)
    if args.target in (cfg.get("waves") or {}):
        _validate_wave(cfg, args.target, report)
    elif Path(args.target).is_file():
        _validate_file(cfg, args, report)
    else:
        waves = ", ".join(cfg.get("waves") or {}) or "none"
        raise UsageError(
            f"'{args.target}' is neither a file nor a wave id of {' + '.join(config_files)} "
            f"(waves: {waves})"
        )
    return report.finish()


# --------------------------------------------------------------------------
# apply-review
# --------------------------------------------------------------------------


def _add_apply_review_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("review", help="a review.csv with confirm_mne_id filled in")
    parser.add_argument("registry", help="the mne_registry file to add the confirmed aliases to")


def run_apply_review(args: argparse.Namespace) -> int:
    """Run ``mne-clusters apply-review``: confirmed names become registry aliases."""
    from mne_clusters.names.review import apply_review

    for path in (args.review, args.registry):
        if not Path(path).is_file():
            raise UsageError(f"'{path}' is not a file")
    added = apply_review(args.review, args.registry)
    print(f"{args.registry}: {added} alias{'es' if added != 1 else ''} added")
    return EXIT_OK


#: The subcommands, by name.
COMMANDS: dict[str, Command] = {
    "validate": Command(
        help="check input files (a wave, or one file) and list every problem",
        add_arguments=_add_validate_arguments,
        run=run_validate,
    ),
    "apply-review": Command(
        help="write names confirmed in review.csv back to the MNE registry as aliases",
        add_arguments=_add_apply_review_arguments,
        run=run_apply_review,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subparser per entry of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="mne-clusters", description="MNEs in Russian cluster initiatives: tools for the data."
    )
    parser.add_argument("--version", action="version", version=f"mne-clusters {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="command", required=True)
    for name, command in COMMANDS.items():
        command.add_arguments(sub.add_parser(name, help=command.help, description=command.help))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``mne-clusters``; returns the exit status.

    0: valid; 1: data problems (listed, no traceback); 2: usage or config error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on usage errors (2)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return COMMANDS[args.command].run(args)
    except (UsageError, ConfigError) as exc:
        print(f"mne-clusters {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataError as exc:
        print(exc.format(), file=sys.stdout)
        return EXIT_DATA


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
