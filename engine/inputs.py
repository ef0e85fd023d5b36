"""Reading YAML/JSON files with line numbers, and turning every problem into a one-line message.

YAML is read with YAML 1.2 booleans (true/false only) and no implicit floats: an unquoted ``1.500`` stays the text "1.500"
and is then read the Indonesian way (1500), never silently as 1.5. JSON numbers are machine-typed and
taken as they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class InputProblem(Exception):
    """One or more problems in an input file. ``lines`` are ready to print, one per problem."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: ~10x faster parsing


class YamlLoader(_Base):
    """Safe loader without implicit float resolution (Indonesian numbers are read by engine.numbers)."""

    def resolve(self, kind, value, implicit):
        # A plain scalar's tag depends on its text alone (no path resolvers): remembered per text, the
        # resolver's regular expressions run once per distinct value (a submission repeats most of them).
        if kind is yaml.ScalarNode and implicit[0] and FAST_CONSTRUCT:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < 100_000:
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


_RESOLVED: dict[str, str] = {}


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.2 booleans only: "on", "off", "yes", "no" stay text (a rule's `on:` key, a planner's "ya"/"no").
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _refuse_duplicate_keys(loader: YamlLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"kunci '{key}' muncul dua kali", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


YamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _refuse_duplicate_keys)


def nearest(places: dict[str, Any], dotted: str) -> Any:
    """The place recorded for a path, or for the closest enclosing path ("a[0].b" -> "a[0]" -> "a")."""
    probe = dotted
    while probe:
        if probe in places:
            return places[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return None


@dataclass
class Document:
    """Parsed content of one file and the line where each path starts (1-based)."""

    path: Path
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, dotted: str) -> int | None:
        line = nearest(self.lines, dotted)
        return self.lines.get("") if line is None else line

    def where(self, dotted: str) -> str:
        """Where a path of the data was written: ``file:line`` (a workbook names sheet and cell)."""
        line = self.line_of(dotted)
        return f"{self.path}:{line}" if line else str(self.path)

    def sheet_of(self, dotted: str) -> str | None:
        return None


class JsonDocument(Document):
    """A JSON file: the data from ``json`` (numbers as exact Decimal), the lines from composing the same text
    as YAML (JSON is YAML's flow syntax), done on first use; a text YAML cannot compose keeps no lines."""

    def __init__(self, path: Path, data: Any, text: str):
        super().__init__(path, data)
        self._text: str | None = text

    def line_of(self, dotted: str) -> int | None:
        if self._text is not None:
            text, self._text = self._text, None
            if FAST_JSON_LINES:
                self.lines = json_lines(text)
            else:
                try:
                    node = yaml.compose(text, Loader=YamlLoader)
                except yaml.YAMLError:
                    node = None
                if node is not None:
                    _walk(node, "", self.lines)
        return super().line_of(dotted)


# Performance switches (issue 11): each gives byte-identical results (tests/test_batch.py compares with and
# without); they exist as switches only so that the tests can show it.
FAST_JSON_LINES = True  # JSON lines from a token scan, not by composing the JSON text as YAML
LINES_ON_DEMAND = True  # YAML lines looked up in the kept node tree for the paths asked, not a map of every node
FAST_CONSTRUCT = True  # YAML data built from the node tree by _construct, not PyYAML's generator-based constructor

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def json_lines(text: str) -> dict[str, int]:
    """The line (1-based) where each path of a JSON text starts: the same map as composing the text as YAML
    and walking it (_walk), from one regular-expression scan. A text that does not scan as JSON gives {}."""
    out: dict[str, int] = {}
    tokens = []
    line, pos = 1, 0
    for m in _JSON_TOKEN.finditer(text):
        start = m.start()
        line += text.count("\n", pos, start)
        pos = start
        tokens.append((m.group(), line))
    i = 0
    try:
        stack: list = []  # (kind, path, next index) of the open containers
        path = ""
        while True:
            tok, ln = tokens[i]
            out[path] = ln
            i += 1
            if tok in ("{", "["):
                stack.append([tok, path, 0])
            else:  # a scalar: close what ends after it
                pass
            while stack:
                kind, base, n = stack[-1]
                tok = tokens[i][0]
                if tok in ("}", "]"):
                    stack.pop()
                    i += 1
                    continue
                if n and tok == ",":
                    i += 1
                    tok = tokens[i][0]
                stack[-1][2] = n + 1
                if kind == "{":
                    key = json.loads(tok)
                    if tokens[i + 1][0] != ":":
                        return {}
                    i += 2
                    path = f"{base}.{key}" if base else str(key)
                else:
                    path = f"{base}[{n}]"
                break
            else:
                return out
    except (IndexError, ValueError):
        return {}


class LazyDocument(Document):
    """A YAML file whose lines are looked up in its kept node tree for the paths asked (the findings'),
    with the same answer as the map of every path (``nearest``)."""

    def __init__(self, path: Path, data: Any, node: yaml.Node):
        super().__init__(path, data)
        self._node = node

    def line_of(self, dotted: str) -> int | None:
        node, rest = self._node, dotted
        while rest:
            if isinstance(node, yaml.SequenceNode) and rest.startswith("["):
                end = rest.find("]")
                index = rest[1:end]
                if end < 0 or not index.isdigit() or int(index) >= len(node.value):
                    break
                node, rest = node.value[int(index)], rest[end + 1:]
            elif isinstance(node, yaml.MappingNode):
                best = None  # the longest key the path goes on from (a key may itself hold a dot)
                for key_node, value_node in node.value:
                    name = str(key_node.value)
                    if (rest == name or rest.startswith((name + ".", name + "["))) and (
                            best is None or len(name) > len(best[0])):
                        best = (name, value_node)
                if best is None:
                    break
                node, rest = best[1], rest[len(best[0]):]
            else:
                break
            if rest.startswith("."):
                rest = rest[1:]
        return node.start_mark.line + 1


class _Slow(Exception):
    """Something _construct leaves to PyYAML's constructor (merge keys, an unhashable or repeated key)."""


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_NULL, _INT, _BOOL = "tag:yaml.org,2002:null", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool"


def _construct(loader: YamlLoader, root: yaml.Node) -> Any:
    """The data of a composed document, as loader.construct_document(root) gives it, without its generators:
    str, null, bool and int scalars, mappings and sequences built here; any other tag by the loader itself.
    Raises _Slow where the loader's own path must decide (and word the error)."""
    made: dict[int, Any] = {}

    def scalar(node):
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _INT:
            return loader.construct_yaml_int(node)
        if tag == _BOOL:
            return loader.construct_yaml_bool(node)
        return loader.construct_object(node, deep=True)

    def build(node):
        if type(node) is yaml.ScalarNode:
            return scalar(node)
        key = id(node)
        if key in made:
            return made[key]
        if node.tag == _MAP and type(node) is yaml.MappingNode:
            out: dict = {}
            made[key] = out
            for k, v in node.value:
                if type(k) is not yaml.ScalarNode or k.tag == "tag:yaml.org,2002:merge":
                    raise _Slow
                name = scalar(k)
                if name in out:
                    raise _Slow
                out[name] = build(v)
            return out
        if node.tag == _SEQ and type(node) is yaml.SequenceNode:
            seq: list = []
            made[key] = seq
            seq.extend(build(item) for item in node.value)
            return seq
        raise _Slow

    return build(root)


def _walk(node: yaml.Node, path: str, out: dict[str, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _walk(value_node, f"{path}.{key}" if path else str(key), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", out)


def read_document(path: Path) -> Document:
    """Parse a YAML or JSON file. Raises InputProblem with the file and line of a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputProblem([f"{path}: berkas tidak ditemukan"]) from None
    except UnicodeDecodeError as exc:
        raise InputProblem([f"{path}: berkas bukan teks UTF-8 ({exc.reason} pada bita {exc.start})"]) from None
    except OSError as exc:
        raise InputProblem([f"{path}: berkas tidak dapat dibaca ({exc.strerror})"]) from None
    if path.suffix.lower() == ".json":
        try:
            return JsonDocument(path, json.loads(text, parse_float=Decimal), text)
        except json.JSONDecodeError as exc:
            raise InputProblem([f"{path}:{exc.lineno}: JSON tidak sah: {exc.msg}"]) from None
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputProblem([f"{path}: berkas kosong"])
        data = None
        if FAST_CONSTRUCT:
            try:
                data = _construct(loader, node)
            except (_Slow, RecursionError):
                data = None
        if data is None:
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        what = exc.problem or exc.context or "sintaks YAML tidak sah"
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            what += f" ({exc.context} yang dimulai di baris {exc.context_mark.line + 1})"
        raise InputProblem([f"{where}: YAML tidak sah: {what}"]) from None
    except yaml.YAMLError as exc:
        raise InputProblem([f"{path}: YAML tidak sah: {exc}"]) from None
    finally:
        loader.dispose()
    if LINES_ON_DEMAND:
        return LazyDocument(path, data, node)
    lines: dict[str, int] = {}
    _walk(node, "", lines)
    return Document(path, data, lines)


def loc_to_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_TYPE_MESSAGES = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal; periksa ejaan atau lihat `sakip schema`",
    "string_type": "harus berupa teks",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "list_type": "harus berupa daftar (- ...)",
    "dict_type": "harus berupa pemetaan (kunci: nilai)",
    "model_type": "harus berupa pemetaan (kunci: nilai)",
    "model_attributes_type": "harus berupa pemetaan (kunci: nilai)",
    "date_type": "harus berupa tanggal",
}


def describe_validation_error(exc: ValidationError, doc: Document | None, prefix: str = "") -> list[str]:
    """One line per pydantic error: ``file:line: path: message (diterima: value)``."""
    out = []
    for err in exc.errors(include_url=False):
        path = prefix + loc_to_path(err["loc"])
        kind = err["type"]
        if kind == "value_error":
            message = str(err["msg"]).removeprefix("Value error, ")
        elif kind in ("enum", "literal_error"):
            message = f"harus salah satu dari: {err.get('ctx', {}).get('expected', '')}"
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            ctx = err.get("ctx", {})
            bound = next(iter(ctx.values()), "")
            word = {"greater_than_equal": "paling kecil", "less_than_equal": "paling besar",
                    "greater_than": "harus lebih dari", "less_than": "harus kurang dari"}[kind]
            message = f"nilai {word} {bound}"
        else:
            message = _TYPE_MESSAGES.get(kind, err["msg"])
        shown = ""
        if kind not in ("missing", "extra_forbidden") and "input" in err and not isinstance(err["input"], (dict, list)):
            shown = f" (diterima: {err['input']!r})"
        where = doc.where(path) if doc else ""
        out.append(f"{where}: {path}: {message}{shown}" if where else f"{path}: {message}{shown}")
    return out
