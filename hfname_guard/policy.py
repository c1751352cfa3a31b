"""Load a naming policy: find it, read it, resolve ``extends``, validate, compile.

A policy file is YAML checked against ``schemas/policy.schema.json``. ``extends`` names built-in
presets (``default``, ``hub``) or files relative to the policy; later entries override earlier
ones and the file overrides them all (mappings merge key by key, anything else is replaced).
An ``extends`` file must lie inside the policy's repository, symlinks resolved: in CI a pull
request writes the policy, and it must not read, or echo in an error, a file of the runner's.
Every problem is reported as ``file:line:column: path: what was expected`` through
``PolicyError``, and a bad policy is never reported as a model violation.
"""

from __future__ import annotations

import datetime as _datetime
import fnmatch
import os
import re
from collections.abc import Mapping

from . import schema_check
from .errors import PolicyError, YamlError
from .names.vocabularies import FIELD_DEFAULTS, Vocabulary, vocabulary
from .record import Record
from .regular_file import NotARegularFile, open_regular
from .resources import PRESETS, preset_names, preset_path
from .suggest import closest
from .template import Template, TemplateSyntaxError, parse
from .yamlsource import BOM, YamlDocument, load_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any

POLICY_FILE_NAME = ".hfname-guard.yaml"
MAX_POLICY_BYTES = 1_000_000


class FieldSpec(Record):
    """What a template field accepts: any of its vocabulary, enum words or pattern."""

    name: str
    vocabulary: Vocabulary | None = None
    enum: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    example: str | None = None
    description: str | None = None

    def accepts(self, value: str) -> bool:
        return (
            (self.vocabulary is not None and value in self.vocabulary)
            or value.lower() in self.enum
            or (self.pattern is not None and self.pattern.fullmatch(value) is not None)
        )

    @property
    def popularity(self) -> Mapping[str, int]:
        return self.vocabulary.popularity if self.vocabulary is not None else {}

    @property
    def words(self) -> frozenset[str] | None:
        """The closed word list a value must come from, when there is one (for "did you mean")."""
        if self.pattern is not None or (self.vocabulary is not None and not self.vocabulary.is_word_list):
            return None
        return self.enum | (self.vocabulary.words if self.vocabulary else frozenset())

    def suggest(self, value: str) -> str | None:
        """The accepted word ``value`` most likely means, for "did you mean"; None for an open field."""
        words = self.words
        if words is None:
            return None
        from .suggest import meaning

        synonyms = self.vocabulary.synonyms if self.vocabulary is not None else None
        languages = vocabulary("languages")
        if synonyms is None and self.enum and all(word in languages for word in self.enum):
            synonyms = languages.synonyms  # a list of language codes: `english` means `en` there too
        elsewhere = languages if synonyms is languages.synonyms else ()  # `deu` where only `de` is listed
        return meaning(value, words, synonyms() if synonyms is not None else {}, self.popularity, elsewhere)

    def describe(self) -> str:
        if self.description:
            return self.description
        kinds = []
        if self.vocabulary is not None and self.vocabulary.is_word_list:
            kinds.append(f"a known {self.vocabulary.singular}")
        elif self.vocabulary is not None:
            kinds.append(f"a {self.vocabulary.singular} such as `{self.vocabulary.example}`")
        if self.enum:
            kinds.append("one of " + ", ".join(f"`{word}`" for word in sorted(self.enum)))
        if self.pattern is not None:
            kinds.append(f"text matching `{self.pattern.pattern}`")
        return " or ".join(kinds)

    def example_value(self) -> str:
        if self.example:
            return self.example
        if self.enum:
            return sorted(self.enum)[0]
        if self.vocabulary is not None:
            return self.vocabulary.example
        return "{" + self.name + "}"


class NamePolicy(Record):
    template: Template | None
    fields: dict[str, FieldSpec]
    case: str = "as-is"
    separator: str | None = None
    max_length: int | None = None
    forbidden_words: tuple[str, ...] = ()
    must_contain: tuple[str, ...] = ()

    def accepts(self, field_name: str, value: str) -> bool:
        return self.fields[field_name].accepts(value)

    def styled(self, name: str) -> str:
        """``name`` in the policy's case style."""
        return {"lower": name.lower(), "upper": name.upper()}.get(self.case, name)


class CardPolicy(Record):
    required: tuple[str, ...] = ()
    licenses: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    pipeline_tags: frozenset[str] | None = None
    library_names: frozenset[str] | None = None
    tags: tuple[str, ...] = ()
    base_model_namespaces: tuple[str, ...] | None = None


class GgufPolicy(Record):
    """The policy's ``gguf`` section: what a folder's GGUF files must hold and fill."""

    required_encodings: tuple[str, ...] = ()
    """Encodings (``Q4_K_M``) of which a folder of GGUF files must hold a file."""
    forbidden_encodings: tuple[str, ...] = ()
    """Encodings no GGUF file may have."""
    metadata: tuple[str, ...] = ()
    """Header metadata keys (``general.license``) every GGUF file must fill."""


class ConsistencyPolicy(Record):
    size_tolerance: float | None = None
    """None: no layer sets it, and consistency/size applies its own default (``SIZE_TOLERANCE``)."""


class Waiver(Record):
    repo_id: str
    rules: tuple[str, ...]
    reason: str
    expires: _datetime.date | None
    where: str

    def covers(self, repo_id: str, rule_id: str) -> bool:
        return fnmatch.fnmatchcase(repo_id, self.repo_id) and any(
            fnmatch.fnmatchcase(rule_id, pattern) for pattern in self.rules
        )


class TargetEntry(Record):
    """One entry of the policy's ``targets``: the folders its glob matches, the repo id they
    propose, and the namespaces and name template they are judged by when the entry sets them."""

    glob: str
    repo_id: str | None = None
    """The repo-id template (``acme/{dir}``); None: the folder's repo id is found as for a
    folder no entry names (its Hub remote, else its name under the first namespace)."""
    namespaces: tuple[str, ...] | None = None
    name: NamePolicy | None = None
    """The policy's name section with this entry's template, compiled at load."""

    def matches(self, relative: str) -> bool:
        return fnmatch.fnmatchcase(relative, self.glob)


class Exclusion(Record):
    """One entry of the policy's ``exclude``, with where it is written."""

    glob: str
    source: str
    line: int | None
    column: int | None

    def reason(self) -> str:
        """``excluded by .hfname-guard.yaml:7:5 (exclude: vendored/**)``, the file relative to
        the working directory."""
        where = ":".join(str(part) for part in (shown_path(self.source), self.line, self.column) if part is not None)
        return f"excluded by {where} (exclude: {self.glob})"


class Policy(Record):
    sources: tuple[str, ...]
    namespaces: tuple[str, ...]
    targets: tuple[TargetEntry, ...]
    """In order: the first whose glob matches a model folder gives its repo id, and its
    namespaces and name template when it sets them."""
    root: str
    """The folder the `targets` globs are relative to: the policy file's, else the working one."""
    name: NamePolicy
    card: CardPolicy
    consistency: ConsistencyPolicy
    severities: dict[str, str]
    waivers: tuple[Waiver, ...]
    file: str | None = None
    """The policy file, an absolute path; None for the built-in default."""
    excludes: tuple[Exclusion, ...] = ()
    shown_as: str | None = None
    """How the output names the policy when its file is not the name to show (the Action's
    copy of the base commit's policy); None: ``label`` says the file."""
    hub_online: bool = False
    """`hub: {online: true}`: check this policy's models against the Hub (the `hub/*` rules)."""
    gguf: GgufPolicy = GgufPolicy()

    def severity(self, rule_id: str, default: str) -> str:
        """The policy's word for ``rule_id``: its own entry, else its family's ``family/*``."""
        family = rule_id.split("/", 1)[0] + "/*"
        return self.severities.get(rule_id) or self.severities.get(family) or default

    @property
    def label(self) -> str:
        """How every output names the policy: its file, relative to the working directory, or
        ``built-in default``."""
        if self.shown_as is not None:
            return self.shown_as
        return BUILT_IN_LABEL if self.file is None else shown_path(self.file)

    def relative(self, folder: str) -> str:
        """``folder``'s path relative to the policy's folder, ``/``-separated: what its globs match."""
        return os.path.relpath(os.path.abspath(folder), self.root).replace(os.sep, "/")

    def target_entry(self, folder: str) -> TargetEntry | None:
        """The first ``targets`` entry whose glob matches ``folder``."""
        if not self.targets:
            return None
        relative = self.relative(folder)
        return next((entry for entry in self.targets if entry.matches(relative)), None)

    def for_folder(self, folder: str | None) -> Policy:
        """The policy as it judges ``folder``: with the namespaces and name template of the
        ``targets`` entry that names it, when that entry sets them; else this policy."""
        entry = self.target_entry(folder) if folder is not None else None
        if entry is None or (entry.namespaces is None and entry.name is None):
            return self
        return self.replace(namespaces=self.namespaces if entry.namespaces is None else entry.namespaces,
                            name=self.name if entry.name is None else entry.name)

    def excluded_by(self, folder: str) -> Exclusion | None:
        """The ``exclude`` entry that keeps ``folder`` out: one whose glob matches its path or
        the path of a folder above it (relative to the policy's folder); None when none does."""
        if not self.excludes:
            return None
        relative = self.relative(folder)
        if relative == ".." or relative.startswith("../"):
            return None
        parts = relative.split("/")
        paths = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
        return next((exclusion for exclusion in self.excludes
                     if any(fnmatch.fnmatchcase(path, exclusion.glob) for path in paths)), None)


BUILT_IN_LABEL = "built-in default"
"""How the output names the built-in default policy, used where no policy file is found."""


def shown_path(path: str) -> str:
    """``path`` as the output shows it: relative to the working directory when it is inside it,
    else absolute (as reports show a waiver's place)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return os.path.abspath(path)
    return os.path.abspath(path) if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


class Policies:
    """The policy of each folder: the one given (``--policy``) for every folder, else the
    nearest ``.hfname-guard.yaml`` in the folder or a folder above it (the working directory
    for a repo id checked alone), else the built-in default. Each file is found with one look
    per folder and loaded once, however many folders share it."""

    def __init__(self, given: Policy | None = None) -> None:
        self.given = given
        self._found: dict[str, str | None] = {}
        self._loaded: dict[str | None, Policy] = {}
        self._of_names: Policy | None = None  # the working directory's: asked once per repo id checked alone

    def of(self, folder: str | None) -> Policy:
        """The policy that judges ``folder`` (None: a repo id checked alone)."""
        if self.given is not None:
            return self.given
        if folder is None and self._of_names is not None:
            return self._of_names
        path = self._discover(os.path.abspath(folder if folder is not None else os.curdir))
        policy = self._loaded.get(path)
        if policy is None:
            policy = load_policy(path) if path is not None else _built_in(os.getcwd())
            self._loaded[path] = policy
        if folder is None:
            self._of_names = policy
        return policy

    def _discover(self, folder: str) -> str | None:
        visited = []
        found = None
        while True:
            if folder in self._found:
                found = self._found[folder]
                break
            visited.append(folder)
            candidate = os.path.join(folder, POLICY_FILE_NAME)
            if os.path.isfile(candidate):
                found = candidate
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        for seen in visited:
            self._found[seen] = found
        return found


class _Layer(Record):
    source: str
    document: YamlDocument


def discover(start: str) -> str | None:
    """The nearest ``.hfname-guard.yaml`` in ``start`` or a folder above it."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, POLICY_FILE_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def repository_root(policy_path: str) -> str:
    """The top of the git work tree that holds ``policy_path`` (from its real location), else
    the policy's folder: what its ``extends`` files must stay inside."""
    folder = os.path.dirname(os.path.realpath(policy_path))
    while not os.path.lexists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return os.path.dirname(os.path.abspath(policy_path))
        folder = parent
    return folder


def load_policy(
    path: str | os.PathLike[str] | None = None, *, start: str | None = None, root: str | None = None
) -> Policy:
    """Load ``path``, else the policy discovered from ``start`` (default: the working
    directory), else the built-in ``default`` preset. Its ``extends`` files must lie inside
    ``root`` (default: ``repository_root`` of the policy)."""
    found = os.fspath(path) if path is not None else discover(start or os.getcwd())
    if found is None:
        return _built_in(os.path.abspath(start or os.getcwd()))
    repository = os.path.abspath(root) if root is not None else repository_root(found)
    layers = _layers(found, trusted=False, chain=(), repository=repository)
    return _compile(layers, root=os.path.dirname(os.path.abspath(found))).replace(file=os.path.abspath(found))


def _built_in(root: str) -> Policy:
    """The built-in ``default`` preset: the policy where no policy file is found."""
    return _compile(_preset("default", chain=()), root=root)


def _layers(path: str, trusted: bool, chain: tuple[str, ...], repository: str) -> list[_Layer]:
    raw = _read(path)
    try:
        text = raw.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as error:
        raise PolicyError([f"{path}: not UTF-8 text (byte {error.start}: {raw[error.start]:#04x})"]) from None
    try:
        document = load_yaml(text)
    except YamlError as error:
        where = f"{path}:{error.line}:{error.column}" if error.line else path
        raise PolicyError([f"{where}: invalid YAML: {error.message}"]) from None
    if not isinstance(document.data, dict):
        raise PolicyError([f"{path}:1:1: a policy is a YAML mapping with at least `version: 1`"])
    document = document.replace(data=_as_written(document.data))
    if not trusted:
        found = schema_check.problems(path, raw, document)
        if found:
            raise PolicyError(found)
    resolved = os.path.realpath(path)
    if resolved in chain:
        raise PolicyError([f"{path}: `extends` loops back to this file"])
    layers: list[_Layer] = []
    extends = document.data.get("extends", [])
    for index, entry in enumerate([extends] if isinstance(extends, str) else extends):
        path_of_entry = ("extends",) if isinstance(extends, str) else ("extends", index)
        if entry.endswith((".yaml", ".yml")) or "/" in entry:
            line, column = document.position(path_of_entry)
            target = _extended_file(entry, path, repository, where=f"{path}:{line}:{column}")
            layers += _layers(target, trusted, (*chain, resolved), repository)
        else:
            layers += _preset(entry, (*chain, resolved), where=(path, document.position(path_of_entry)))
    layers.append(_Layer(path, document))
    return layers


def _extended_file(entry: str, policy_path: str, repository: str, where: str) -> str:
    """The path of the policy file ``entry`` names, refused before it is read when it lies
    outside ``repository`` or is not a file; ``where`` is the entry's ``file:line:column``."""
    outside = _outside_repository(entry, os.path.dirname(policy_path), repository)
    if outside:
        hint = "a policy may extend built-in presets and files inside its repository"
        raise PolicyError([f"{where}: extends: `{entry}` {outside}; {hint}"])
    target = os.path.join(os.path.dirname(policy_path), entry)
    if not os.path.isfile(target):
        raise PolicyError([f"{where}: extends: no policy file at {target}"])
    return target


def _outside_repository(entry: str, folder: str, repository: str) -> str | None:
    """How the file ``entry``, relative to ``folder``, lies outside ``repository``; None when inside."""
    if os.path.isabs(entry) or entry.startswith("~"):
        return f"is an absolute path, outside the repository ({repository})"
    real_repository, real_folder = os.path.realpath(repository), os.path.realpath(folder)
    if not _within(real_folder, real_repository):  # a top-level policy outside an explicit root
        return f"is outside the repository ({repository})"
    # Joined to the folder's real path, `..` steps where the file system steps: out of a linked folder.
    if not _within(os.path.normpath(os.path.join(real_folder, entry)), real_repository):
        return f"leaves the repository ({repository}) through `..`"
    real = os.path.realpath(os.path.join(folder, entry))
    if not _within(real, real_repository):
        return f"leads through a symbolic link to {real}, outside the repository ({repository})"
    return None


def _within(path: str, folder: str) -> bool:
    path, folder = os.path.normcase(path), os.path.normcase(folder)
    return path == folder or path.startswith(os.path.join(folder, ""))


def _preset(name: str, chain: tuple[str, ...], where: tuple[str, tuple[Any, Any]] | None = None) -> list[_Layer]:
    path = preset_path(name)
    if not os.path.isfile(path):
        names = preset_names()
        guess = closest(name, names)
        hint = f"did you mean `{guess}`?" if guess else f"built-in presets: {', '.join(names)}"
        source, (line, column) = where or ("extends", (None, None))
        raise PolicyError([f"{source}:{line}:{column}: extends: no built-in preset `{name}`; {hint}"])
    return _layers(path, trusted=True, chain=chain, repository=PRESETS)


def _read(path: str) -> bytes:
    if os.path.isdir(path):
        raise PolicyError([f"{path}: is a directory, expected a policy file (.yaml)"])
    if not os.path.exists(path):
        raise PolicyError([f"{path}: no such policy file"])
    try:
        with open_regular(path) as handle:
            raw = handle.read(MAX_POLICY_BYTES + 1)
    except NotARegularFile as error:  # a FIFO or a device: reading it could block or never end
        raise PolicyError([f"{path}: is {error.what}, not a regular file; expected a policy file (.yaml)"]) from None
    except OSError as error:
        raise PolicyError([f"{path}: cannot read the policy: {error.strerror or error}"]) from None
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError([f"{path}: larger than {MAX_POLICY_BYTES:,} bytes; a policy is a short file"])
    return raw


def _as_written(value: Any, path: tuple[Any, ...] = ()) -> Any:
    """Undo YAML 1.1's guesses where the author meant text: ``2027-03-31`` is a date string
    and a severity of ``off`` is the word, not ``false`` (editors read YAML 1.2, where it is)."""
    if isinstance(value, dict):
        return {key: _as_written(item, (*path, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_written(item, (*path, index)) for index, item in enumerate(value)]
    if isinstance(value, _datetime.date):
        return value.isoformat()
    if value is False and len(path) == 2 and path[0] == "rules":
        return "off"
    return value


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    return override


class _Locator:
    """``file:line:column`` of a path in the merged policy: the last layer that sets it."""

    def __init__(self, layers: list[_Layer]) -> None:
        self.layers = layers

    def __call__(self, *path: Any) -> str:
        source, line, column = self.position(*path)
        return source if line is None else f"{source}:{line}:{column}"

    def position(self, *path: Any) -> tuple[str, Any, Any]:
        """The file, line and column that set ``path`` (no line: the last layer's file)."""
        for layer in reversed(self.layers):
            if path in layer.document.keys or path in layer.document.values:
                line, column = layer.document.position(path)
                return layer.source, line, column
        return self.layers[-1].source, None, None


def _compile(layers: list[_Layer], root: str) -> Policy:
    data: dict[str, Any] = {}
    for layer in layers:
        own = _expanded({key: value for key, value in layer.document.data.items() if key != "extends"})
        data["rules"] = _without_overridden_families(data.get("rules", {}), own.get("rules", {}))
        data = _merge(data, own)
    where = _Locator(layers)
    problems: list[str] = []
    name = _compile_name(data.get("name", {}), where, problems)
    card = data.get("card", {})
    waivers = tuple(
        Waiver(
            repo_id=entry["repo-id"],
            rules=tuple(entry["rules"]),
            reason=entry["reason"],
            expires=_date(entry.get("expires"), where("waivers", index, "expires"), problems),
            where=where("waivers", index),
        )
        for index, entry in enumerate(data.get("waivers", []))
    )
    targets = tuple(_compile_target(glob, entry, name, where, problems)
                    for glob, entry in data.get("targets", {}).items())
    gguf = _compile_gguf(data.get("gguf", {}), where, problems)
    if problems:
        raise PolicyError(problems)
    base_model = card.get("base-model", {})
    return Policy(
        sources=tuple(layer.source for layer in layers),
        namespaces=tuple(data.get("namespaces", ())),
        targets=targets,
        excludes=tuple(Exclusion(glob, *where.position("exclude", index))
                       for index, glob in enumerate(data.get("exclude", ()))),
        root=root,
        name=name,
        card=CardPolicy(
            required=tuple(card.get("required", ())),
            licenses=_optional_set(card.get("licenses")),
            languages=_optional_set(card.get("languages")),
            pipeline_tags=_optional_set(card.get("pipeline-tags")),
            library_names=_optional_set(card.get("library-names")),
            tags=tuple(card.get("tags", ())),
            base_model_namespaces=tuple(base_model["namespaces"]) if "namespaces" in base_model else None,
        ),
        consistency=ConsistencyPolicy(size_tolerance=data.get("consistency", {}).get("size-tolerance")),
        severities=dict(data.get("rules", {})),
        waivers=waivers,
        hub_online=bool(data.get("hub", {}).get("online", False)),
        gguf=gguf,
    )


def _expanded(own: dict[str, Any]) -> dict[str, Any]:
    """One layer's settings with their shorthands written out, before layers merge: ``gguf:
    encodings: [Q4_K_M]`` is ``{required: [Q4_K_M]}``, so a later layer's list replaces the
    required encodings and keeps the forbidden ones an earlier layer set."""
    gguf = own.get("gguf")
    if isinstance(gguf, dict) and isinstance(gguf.get("encodings"), list):
        return {**own, "gguf": {**gguf, "encodings": {"required": gguf["encodings"]}}}
    return own


def _compile_gguf(section: dict[str, Any], where: _Locator, problems: list[str]) -> GgufPolicy:
    """The ``gguf`` section; an encoding both required and forbidden is a policy error (no folder could pass)."""
    encodings = section.get("encodings", {})
    required, forbidden = tuple(encodings.get("required", ())), tuple(encodings.get("forbidden", ()))
    for encoding in required:
        if encoding in forbidden:
            problems.append(f"{where('gguf', 'encodings')}: gguf.encodings: `{encoding}` is both required and "
                            "forbidden; no folder could pass")
    return GgufPolicy(required_encodings=required, forbidden_encodings=forbidden,
                      metadata=tuple(section.get("metadata", ())))


def _without_overridden_families(inherited: dict[str, str], own: dict[str, str]) -> dict[str, str]:
    """A family setting (`card/*: warning`) replaces what earlier layers said of its rules,
    so a policy can relax a family that a preset tightened rule by rule."""
    families = tuple(key[:-1] for key in own if key.endswith("/*"))
    if not families:
        return inherited
    return {rule: severity for rule, severity in inherited.items() if not rule.startswith(families)}


def _compile_target(glob: str, entry: str | dict[str, Any], name: NamePolicy, where: _Locator,
                    problems: list[str]) -> TargetEntry:
    """A ``targets`` entry: a repo-id template alone, or a mapping that may also give its
    folders their own namespaces and name template (compiled here, once)."""
    if isinstance(entry, str):
        return TargetEntry(glob, repo_id=entry)
    section = entry.get("name")
    return TargetEntry(
        glob,
        repo_id=entry.get("repo-id"),
        namespaces=tuple(entry["namespaces"]) if "namespaces" in entry else None,
        name=_compile_name(section, where, problems, at=("targets", glob, "name"), base=name) if section else None,
    )


def _compile_name(section: dict[str, Any], where: _Locator, problems: list[str], at: tuple[str, ...] = ("name",),
                  base: NamePolicy | None = None) -> NamePolicy:
    """The ``name`` section at ``at``; with ``base``, a target's section: its template (and
    fields, where it has them) over the policy's name section."""
    fields: dict[str, FieldSpec] = dict(base.fields) if base is not None else {}
    dotted = ".".join(at)
    for field_name, spec in section.get("fields", {}).items():
        pattern = None
        if "pattern" in spec:
            prefix = f"{where(*at, 'fields', field_name, 'pattern')}: {dotted}.fields.{field_name}.pattern: "
            pattern, problem = _compile_pattern(spec["pattern"])
            if problem is not None:
                problems.append(prefix + problem)
        fields[field_name] = FieldSpec(
            name=field_name,
            vocabulary=vocabulary(spec["vocabulary"]) if "vocabulary" in spec else None,
            enum=frozenset(word.lower() for word in spec.get("enum", ())),
            pattern=pattern,
            example=spec.get("example"),
            description=spec.get("description"),
        )
    template = base.template if base is not None else None
    if "template" in section:
        try:
            template = parse(section["template"])
        except TemplateSyntaxError as error:
            problems.append(f"{where(*at, 'template')}: {dotted}.template: {error} (at character {error.column})")
        else:
            for field_name in template.fields:
                if field_name in fields:
                    continue
                if field_name in FIELD_DEFAULTS:
                    fields[field_name] = FieldSpec(field_name, vocabulary=vocabulary(FIELD_DEFAULTS[field_name]))
                    continue
                guess = closest(field_name, [*fields, *FIELD_DEFAULTS])
                hint = f"did you mean `{{{guess}}}`?" if guess else "define it under name.fields"
                problems.append(
                    f"{where(*at, 'template')}: {dotted}.template: field `{{{field_name}}}` is not defined; {hint}"
                )
    if base is not None:
        return base.replace(template=template, fields=fields)
    return NamePolicy(
        template=template,
        fields=fields,
        case=section.get("case", "as-is"),
        separator=section.get("separator"),
        max_length=section.get("max-length"),
        forbidden_words=tuple(word.lower() for word in section.get("forbidden-words", ())),
        must_contain=tuple(section.get("must-contain", ())),
    )


def _compile_pattern(text: str) -> tuple[re.Pattern[str] | None, str | None]:
    """A field's pattern compiled, or why it cannot be used: invalid, or so shaped that matching
    a name could run away (``pattern_cost``: a pull request writes the policy CI runs)."""
    try:
        pattern = re.compile(text, re.IGNORECASE)
        from .pattern_cost import backtracking_problem  # only a policy with patterns pays for it

        runaway = backtracking_problem(text)
    except re.error as error:
        return None, f"not a valid regular expression: {error}"
    except RecursionError:
        return None, "nests its groups too deeply to be read (hundreds of levels); a name has at most 96 characters"
    if runaway is not None:
        shown = f"`{text}`" if len(text) <= 80 else "the pattern"
        return None, f"{shown} {runaway}"
    return pattern, None


def _optional_set(values: list[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def _date(text: str | None, where: str, problems: list[str]) -> _datetime.date | None:
    if text is None:
        return None
    try:
        return _datetime.date.fromisoformat(text)
    except ValueError:
        problems.append(f"{where}: expires: `{text}` is not a calendar date (YYYY-MM-DD)")
        return None
