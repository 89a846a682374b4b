"""Errors a researcher can act on.

A problem in a researcher's file is reported as a :class:`Problem` that names the
file, the row as a spreadsheet shows it, the column, the value, what was expected
and how to fix it. Every problem found in a run is collected into one
:class:`DataError`, so a user fixes the whole file in one pass instead of one
error per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or row, or file) of an input file.

    Parameters
    ----------
    file
        The file as named in config (relative path).
    row
        Row number as the spreadsheet shows it (header = 1); ``None`` for a
        problem with the whole file or a column.
    column
        Column name; ``None`` for a problem with a whole row or file.
    value
        The offending value as written in the file ("" for an empty cell).
    expected
        What the contract expects here.
    fix
        What the user should do.
    rule
        Short machine-readable name of the rule broken (e.g. ``vocabulary``).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    fix: str = ""
    rule: str = "contract"

    def format(self) -> str:
        """One line for a person: ``file, row N, column C: value 'v' — expected …; fix: …``."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + ": "
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            text += f"value '{shown}' — "
        text += f"expected {self.expected}"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.row if self.row is not None else -1, self.column or "")


@dataclass
class DataError(Exception):
    """Every problem found in the input; raised once, after all checks ran."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.format())

    def format(self) -> str:
        """The message shown to the user: a count, then one line per problem."""
        problems = sorted(self.problems, key=Problem.sort_key)
        n = len(problems)
        files = sorted({p.file for p in problems})
        head = (
            f"{n} problem{'s' if n != 1 else ''} in the input "
            f"({', '.join(files)}); nothing was written for this step:"
        )
        return "\n".join([head, *(f"  - {p.format()}" for p in problems)])

    @classmethod
    def collect(cls, problems: Iterable[Problem]) -> None:
        """Raise a :class:`DataError` if ``problems`` holds anything."""
        problems = list(problems)
        if problems:
            raise cls(problems)


class ConfigError(Exception):
    """A problem in ``config.yaml``: one line naming the key and the fix."""


def reader_problem(
    file: str,
    expected: str,
    fix: str,
    *,
    rule: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> Problem:
    """A :class:`Problem` found while reading a file (keyword-only location)."""
    return Problem(
        file=file, row=row, column=column, value=value, expected=expected, fix=fix, rule=rule
    )


def reader_failure(
    file: str,
    expected: str,
    fix: str,
    *,
    rule: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> DataError:
    """A :class:`DataError` of one reading problem, to raise at once."""
    return DataError(
        [reader_problem(file, expected, fix, rule=rule, row=row, column=column, value=value)]
    )
