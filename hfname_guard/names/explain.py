"""`hfname-guard explain NAME`: a name's elements as a person or a program reads them."""

from __future__ import annotations

from .tagger import Component, read

ELEMENTS = {
    "A": "architecture", "S": "size", "P": "parameters", "T": "task", "D": "dataset", "L": "language",
    "V": "version", "C": "data characteristic", "F": "reuse method", "W": "format", "R": "training",
    "N": "layers", "H": "heads", "M": "maker", "O": "other",
}
"""The element codes of Jiang et al.'s taxonomy of Hub names (DESIGN.md)."""


def explain(name: str) -> dict[str, object]:
    """One name as a JSON-ready object: its components and the architecture they resolve to
    (the one ``consistency/architecture`` compares with the model's config)."""
    components, found = read(name)
    return {
        "name": name,
        "architecture": found and found[0],
        "architecture_words": found and found[1],
        "components": [_component(component) for component in components],
    }


def as_text(name: str) -> str:
    components, found = read(name)
    width = max((len(component.text) for component in components), default=0)
    lines = [name]
    for component in components:
        detail = component.model_type or component.value or ""
        element = ELEMENTS.get(component.code, component.code)
        lines.append(f"  {component.text:<{width}}  {component.code}  {element:<19} {detail}".rstrip())
    if found is None:
        lines.append("  architecture: none that the name determines")
    else:
        lines.append(f"  architecture: {found[0]} (read from `{found[1]}`)")
    return "\n".join(lines) + "\n"


def _component(component: Component) -> dict[str, object]:
    return {
        "text": component.text,
        "start": component.start,
        "code": component.code,
        "element": ELEMENTS.get(component.code, component.code),
        "model_type": component.model_type,
        "value": component.value,
    }
