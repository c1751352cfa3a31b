"""`hfname-guard explain NAME`: a name's elements as a person or a program reads them."""

from __future__ import annotations

from .tagger import read

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
        "components": [
            {"text": text, "start": start, "code": code, "element": ELEMENTS.get(code, code), "model_type": model_type,
             "value": value}
            for text, start, code, model_type, value in components
        ],
    }


def as_text(name: str) -> str:
    components, found = read(name)
    width = max((len(text) for text, *_ in components), default=0)
    lines = [name]
    for text, _, code, model_type, value in components:
        detail = model_type or value or ""
        lines.append(f"  {text:<{width}}  {code}  {ELEMENTS.get(code, code):<19} {detail}".rstrip())
    if found is None:
        lines.append("  architecture: none that the name determines")
    else:
        lines.append(f"  architecture: {found[0]} (read from `{found[1]}`)")
    return "\n".join(lines) + "\n"

