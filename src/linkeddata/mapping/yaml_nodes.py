"""YAML read with its positions, so a problem with any key or value names its line and column.

Dates are left as text (`issued: 2011-13-45` is a string the loader checks, not a crash in
PyYAML's date constructor), and a key given twice in one dictionary is an error (PyYAML would
keep the last silently).
"""

from __future__ import annotations

from typing import Any

import yaml


class _Loader(yaml.SafeLoader):
    pass


# Without the timestamp resolver a date stays the text it was written as.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlError(Exception):
    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def load(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and its node tree (None for an empty document)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _no_duplicate_keys(node)
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, str(exc.problem)) from None
    finally:
        loader.dispose()


def _no_duplicate_keys(node: yaml.Node) -> None:
    todo: list[tuple[yaml.Node, tuple[Any, ...]]] = [(node, ())]
    while todo:
        item, path = todo.pop()
        if isinstance(item, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key, value in item.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        first = seen[key.value].start_mark.line + 1
                        raise YamlError(
                            key.start_mark.line + 1, key.start_mark.column + 1,
                            f"{dotted((*path, key.value))}: is given twice in one dictionary (first at line {first})",
                        )
                    seen[key.value] = key
                todo.append((value, (*path, getattr(key, "value", "?"))))
        elif isinstance(item, yaml.SequenceNode):
            todo.extend((child, (*path, i)) for i, child in enumerate(item.value))


def position(root: yaml.Node | None, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int] | None:
    """(line, column) of the value at `path` (keys and list indexes), or of its key when `key`;
    the deepest node that exists when the path goes further than the file (a missing key)."""
    if root is None:
        return None
    node, key_node = root, None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
            if match is None:
                break
            key_node, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            break
    target = key_node if key and key_node is not None else node
    return target.start_mark.line + 1, target.start_mark.column + 1


def dotted(path: tuple[Any, ...]) -> str:
    """`cube.dimensions[0].field` for ('cube', 'dimensions', 0, 'field')."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_dotted(key: str) -> tuple[Any, ...]:
    """The inverse of `dotted`: ('cube', 'dimensions', 0, 'field')."""
    parts: list[Any] = []
    for piece in key.replace("]", "").split("."):
        name, *indexes = piece.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i) for i in indexes if i.isdigit())
    return tuple(parts)
