"""Reading scenario files: YAML in, a validated ``Scenario`` out, or one precise error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from soviet.application.scenario import STEP_ACTIONS, Scenario

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextDatesLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """YAML without implicit timestamps: dates stay text, read later in the file's calendar."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ScenarioFileError(ValueError):
    """A scenario file that cannot be read: names the file, the field and the value."""


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


def _value_at(data: Any, loc: tuple[int | str, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def parse_scenario(text: str, name: str = "<scenario>") -> Scenario:
    """Parse and validate scenario YAML text."""
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioFileError(f"{name}{line}: malformed YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ScenarioFileError(f"{name}: a scenario is a mapping, got {type(data).__name__}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        if len(loc) > 2 and loc[0] == "steps" and loc[2] in STEP_ACTIONS:
            # Pydantic puts the step's action tag into the location; readers don't need it.
            loc = loc[:2] + loc[3:]
        value = _value_at(data, loc)
        shown = "" if value is None else f" (value {value!r})"
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ScenarioFileError(f"{name}: {_where(loc)}: {first['msg']}{shown}{more}") from None


def load_scenario(path: Path) -> Scenario:
    """Read and validate a scenario file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioFileError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_scenario(text, str(path))
