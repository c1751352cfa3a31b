"""Parse untrusted YAML with PyYAML, guarded, keeping where every key and value stood.

Loading guards against what can hurt a YAML loader: alias bombs ("billion laughs"), absurd
nesting and huge documents. Imported only when a document is not in the parse cache
(``yamlsource.load_yaml``): PyYAML costs a hook more to import than its whole check.
"""

from __future__ import annotations

import sys

import yaml

from .errors import YamlError
from .yamlsource import YamlDocument

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from .yamlsource import Path_

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 100_000
"""Largest document, counted after expanding aliases (a real card has a few hundred nodes)."""

MAX_DEPTH = 200


def parse(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; ``first_line`` is the file line the text starts on.

    Raises ``YamlError`` with the line and column of the problem.
    """
    loader = _Loader(text)
    node = None
    try:
        node = loader.get_single_node()
        document = YamlDocument(data=None, values={}, keys={}, duplicate_keys=[], scalars={})
        if node is None:
            return document
        _index(node, document, first_line)
        return document.replace(data=loader.construct_document(node))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if mark is None:
            raise YamlError(problem) from None
        raise YamlError(problem, mark.line + first_line, mark.column + 1) from None
    except yaml.YAMLError as error:
        raise YamlError(str(error).splitlines()[0]) from None
    except ValueError as error:  # a date that is none (2027-02-30), an integer past Python's digit limit
        raise _unreadable_scalar(node, error, first_line) from None
    except RecursionError:
        raise YamlError(f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def _index(root: yaml.Node, document: YamlDocument, first_line: int) -> None:
    _check_expanded_size(root, first_line)
    visited: set[int] = set()
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise YamlError(f"nested more than {MAX_DEPTH} levels deep", *_mark(node, first_line))
        if id(node) in visited:  # an alias repeats a node indexed already
            continue
        visited.add(id(node))
        document.values[path] = _mark(node, first_line)
        one_line = node.start_mark.line == node.end_mark.line
        if isinstance(node, yaml.ScalarNode) and one_line and document.scalars is not None:
            document.scalars[path] = (node.start_mark.line + first_line, node.start_mark.column + 1,
                                      node.end_mark.column + 1, node.style or "")
        children: list[tuple[yaml.Node, Path_]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                child = (*path, key)
                if child in document.keys:  # YAML keeps the last value: point at the last key
                    document.duplicate_keys.append((child, document.keys[child]))
                document.keys[child] = _mark(key_node, first_line)
                children.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, (*path, index)) for index, item in enumerate(node.value)]
        stack.extend(reversed(children))  # visit in document order, so later duplicates win


def _check_expanded_size(root: yaml.Node, first_line: int) -> None:
    """Reject documents whose aliases expand past ``MAX_NODES`` values, or refer to themselves.

    Aliases make a graph of shared nodes; the size of the tree a consumer would walk is
    computed bottom-up over that graph, so a billion laughs costs a few hundred steps here.
    """
    size: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack[-1]
        if id(node) in size:
            stack.pop()
            continue
        children = _children(node)
        pending = [child for child in children if id(child) not in size]
        if pending and id(node) not in in_progress:
            in_progress.add(id(node))
            for child in pending:
                if id(child) in in_progress:
                    raise YamlError("an alias refers to the value that contains it", *_mark(child, first_line))
            stack.extend(pending)
            continue
        if pending:
            raise YamlError("an alias refers to the value that contains it", *_mark(node, first_line))
        stack.pop()
        in_progress.discard(id(node))
        size[id(node)] = 1 + sum(size[id(child)] for child in children)
        if size[id(node)] > MAX_NODES:
            raise YamlError(
                f"expands to more than {MAX_NODES:,} values (an alias bomb?)", *_mark(node, first_line)
            )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _mark(node: yaml.Node, first_line: int) -> tuple[int, int]:
    return node.start_mark.line + first_line, node.start_mark.column + 1


_CONVERTED_TAGS = frozenset({"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int"})


def _unreadable_scalar(root: yaml.Node | None, error: ValueError, first_line: int) -> YamlError:
    """Which scalar PyYAML could not turn into a value, and why, at its line and column: a date
    that does not exist, or an integer longer than Python converts (``int()`` refuses more than
    ``sys.get_int_max_str_digits()`` digits)."""
    constructor = yaml.constructor.SafeConstructor()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode) and node.tag in _CONVERTED_TAGS:
            try:
                constructor.construct_object(node, deep=True)
            except ValueError as found:
                line, column = _mark(node, first_line)
                if node.tag == "tag:yaml.org,2002:int":
                    digits = sum(character.isdigit() for character in node.value)
                    return YamlError(f"an integer of {digits:,} digits, more than Python reads "
                                     f"({sys.get_int_max_str_digits():,}); expected a number of ordinary size",
                                     line, column)
                return YamlError(f"not a valid date: {found}", line, column)
        stack.extend(reversed(_children(node)))
    return YamlError(f"a value that cannot be read: {error}")
