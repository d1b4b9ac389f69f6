"""Reading scenario files: YAML in, a validated ``Scenario`` out, or one precise error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from soviet.application.scenario import STEP_ACTIONS, Scenario
from soviet.count.files import NotUTF8, decode_utf8, read_bounded
from soviet.domain.limits import ECHO_MAX, FILE_MAX, YAML_ALIAS_EXPANSION_MAX, shorten

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


def _check_aliases(name: str, data: Any) -> None:
    """Refuse YAML whose aliases would make the document blow up when walked.

    The loader builds an aliased node once and shares it, so loading is cheap; but
    validating (or printing) the document visits every reference, and nine aliases of
    nine aliases... of a list are billions of visits. Each container is walked once
    here, its expanded size kept, and each further reference to it adds that size.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    expansion = 0
    while stack:
        node, done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes.get(id(child), 1) for child in children)
            continue
        if key in sizes:  # a second reference: an alias
            expansion += sizes[key]
            if expansion > YAML_ALIAS_EXPANSION_MAX:
                raise ScenarioFileError(
                    f"{name}: YAML aliases would expand it to over "
                    f"{YAML_ALIAS_EXPANSION_MAX:,} nodes: refused"
                )
            continue
        if key in open_nodes:
            raise ScenarioFileError(f"{name}: a YAML alias refers to a node that holds it")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children)


def parse_scenario(text: str, name: str = "<scenario>") -> Scenario:
    """Parse and validate scenario YAML text."""
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = shorten(str(getattr(exc, "problem", None) or exc).replace("\n", " "))
        raise ScenarioFileError(f"{name}{line}: malformed YAML: {problem}") from None
    except RecursionError:  # nesting deeper than the parser's stack
        raise ScenarioFileError(f"{name}: malformed YAML: nested too deeply") from None
    _check_aliases(name, data)
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
        shown = "" if value is None else f" (value {shorten(repr(value))})"
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        where = shorten(_where(loc))
        message = shorten(str(first["msg"]), ECHO_MAX)
        raise ScenarioFileError(f"{name}: {where}: {message}{shown}{more}") from None
    except RecursionError:
        raise ScenarioFileError(f"{name}: nested too deeply") from None


def load_scenario(path: Path) -> Scenario:
    """Read and validate a scenario file (at most ``FILE_MAX`` bytes of UTF-8)."""
    try:
        data = read_bounded(path, FILE_MAX)
    except OSError as exc:
        raise ScenarioFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = decode_utf8(data)
    except NotUTF8 as exc:
        raise ScenarioFileError(f"{path}:{exc.line}: {exc}") from None
    return parse_scenario(text, str(path))
