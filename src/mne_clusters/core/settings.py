"""Per-step settings: the part of the configuration one step may read.

Each step declares the settings it uses (:data:`mne_clusters.core.steps.STEPS`);
:func:`select` cuts them out of the whole configuration for the rule's params
(its rerun trigger) and its provenance hash, and :class:`Settings` is what the
step receives: reading a key the step did not declare stops it with
:class:`UndeclaredSetting`, so a new setting cannot be used without being
hashed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mne_clusters.core.steps import step


def _pick(config: Mapping[str, Any], path: Sequence[str]) -> Any:
    node: Any = config
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return _ABSENT
        node = node[key]
    return node


_ABSENT = object()


def _put(out: dict[str, Any], path: Sequence[str], value: Any) -> None:
    node = out
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def settings_paths(step_name: str, wave: str | None = None) -> list[tuple[str, ...]]:
    """The configuration keys ``step_name`` uses, as key paths (``("stats",)``)."""
    paths = []
    for spec in step(step_name).settings:
        if spec == "*":
            return [()]
        paths.append(tuple(spec.format(wave=wave).split(".")) if wave else tuple(spec.split(".")))
    return paths


def select(config: Mapping[str, Any], step_name: str, wave: str | None = None) -> dict[str, Any]:
    """The part of ``config`` that ``step_name`` uses (of its own wave ``wave``).

    Keys keep their nesting (``{"classify": {"top_n": 15}}``), so a function
    reads the selection as it would read the whole configuration. A declared
    key the configuration lacks is left out (the function's default applies).
    """
    out: dict[str, Any] = {}
    for path in settings_paths(step_name, wave):
        if not path:
            return dict(_plain(config))
        value = _pick(config, path)
        if value is not _ABSENT:
            _put(out, path, _plain(value))
    return out


class UndeclaredSetting(RuntimeError):
    """A step read a configuration key its catalogue entry does not declare (a bug)."""


def _tree(paths: Iterable[tuple[str, ...]]) -> Any:
    """Declared key paths as a tree; ``True`` marks a key passed whole."""
    tree: dict[str, Any] = {}
    for path in paths:
        if not path:
            return True
        node = tree
        for key in path[:-1]:
            child = node.get(key)
            if child is True:
                break
            node = node.setdefault(key, {})
        else:
            node[path[-1]] = True
    return tree


class Settings(dict[str, Any]):
    """The settings a step was given (:func:`select`), which refuse to hand out
    a key the step does not declare.

    Reading ``config["stats"]`` (or ``.get``, ``in``) in a step that declares
    no ``stats`` raises :class:`UndeclaredSetting` instead of returning nothing,
    so a function's default can never silently stand in for a value the user
    set: add the key to the step's ``settings`` in :data:`STEPS`. A declared key
    the configuration lacks reads as absent, as usual.
    """

    def __init__(self, data: Mapping[str, Any], declared: Any, *, step: str, at: str = ""):
        super().__init__(data)
        self._declared = declared
        self._step = step
        self._at = at

    def _check(self, key: Any) -> Any:
        if self._declared is True:
            return True
        if key not in self._declared:
            raise UndeclaredSetting(
                f"step {self._step!r} reads the setting '{self._at}{key}', which its entry "
                "in mne_clusters.core.steps.STEPS does not declare: declare it there "
                "(it then reaches the job, its provenance hash and its rerun trigger)"
            )
        return self._declared[key]

    def _wrap(self, key: Any, value: Any, declared: Any) -> Any:
        if isinstance(value, Mapping) and declared is not True:
            return Settings(value, declared, step=self._step, at=f"{self._at}{key}.")
        return value

    def __getitem__(self, key: Any) -> Any:
        declared = self._check(key)
        return self._wrap(key, super().__getitem__(key), declared)

    def get(self, key: Any, default: Any = None) -> Any:
        declared = self._check(key)
        if not super().__contains__(key):
            return default
        return self._wrap(key, super().__getitem__(key), declared)

    def __contains__(self, key: object) -> bool:
        self._check(key)
        return super().__contains__(key)


def settings(step_name: str, data: Mapping[str, Any], wave: str | None = None) -> Settings:
    """``data`` (the selection :func:`select` made for the step) as :class:`Settings`."""
    return Settings(_plain(data), _tree(settings_paths(step_name, wave)), step=step_name)


def _plain(value: Any) -> Any:
    """``value`` as plain dicts and lists (Snakemake's config is a mapping subclass)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
