"""Reading YAML/JSON files with line numbers, and turning every problem into a one-line message.

YAML is read with YAML 1.2 booleans (true/false only), decimal integers only (``010`` is 10) and no implicit floats:
an unquoted ``1.500`` stays the text "1.500" and is then read by engine.numbers, never silently as 1.5. JSON numbers
are machine-typed and taken as they are, within bounds; duplicate JSON keys are refused as YAML's are.

A submission is bounded (``Limits``: file size, nodes with aliases expanded, nesting, aliases, rows per list) and
checked on the composed YAML before anything is constructed, so that no input can exhaust memory or time or
reach a recursion limit; only regular files are read.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class InputProblem(Exception):
    """One or more problems in an input file. ``lines`` are ready to print, one per problem."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class Limits:
    """What one submission may hold: a file that goes beyond is refused with one line, before it can
    exhaust memory or time. Defaults are far above a province-size submission (about 0.5 MB, 60,000
    values, 300 indicators); each can be changed with ``sakip check --batas NAMA=NILAI`` or the environment variable
    ``SAKIP_BATAS_<NAMA>`` (e.g. ``SAKIP_BATAS_BERKAS_MB=50``)."""

    berkas_mb: int = 10  # size of the file (YAML, JSON or workbook); a 10 MB YAML takes ~10 s and 0.5 GB to parse
    simpul: int = 1_000_000  # values and containers of a YAML/JSON file, every alias expanded
    kedalaman: int = 64  # nesting of mappings and lists
    alias: int = 1_000  # YAML aliases (*name)
    baris: int = 2_000  # rows of one list or sheet (indicators, PK rows, Formulir B.1 rows, ...)
    sel: int = 2_000_000  # cells of a workbook (rows x columns of the used range, all sheets)
    xlsx_mb: int = 200  # uncompressed size of a workbook's parts (a zip bomb is refused before it is read)

    @property
    def bytes(self) -> int:
        return self.berkas_mb * 1024 * 1024


def _limits_from_env() -> Limits:
    out = Limits()
    for f in fields(Limits):
        raw = os.environ.get(f"SAKIP_BATAS_{f.name.upper()}")
        if raw is not None and raw.strip().isdigit() and int(raw) > 0:
            setattr(out, f.name, int(raw))
    return out


LIMITS = _limits_from_env()


def set_limit(item: str) -> None:
    """``NAMA=NILAI`` from the command line (a positive integer); InputProblem otherwise."""
    name, _, value = item.partition("=")
    known = {f.name for f in fields(Limits)}
    if name.strip() not in known:
        raise InputProblem([f"--batas {item}: nama batas tidak dikenal (yang ada: {', '.join(sorted(known))})"])
    if not value.strip().isdigit() or int(value) <= 0:
        raise InputProblem([f"--batas {item}: nilai harus bilangan bulat positif"])
    setattr(LIMITS, name.strip(), int(value))


def read_bytes(path: Path, lim: Limits | None = None) -> bytes:
    """The bytes of a regular file within the size limit: never a FIFO, a device or a directory (which would
    block or never end), never more than the limit is read."""
    lim = lim or LIMITS
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputProblem([f"{path}: berkas tidak ditemukan"]) from None
    except OSError as exc:
        raise InputProblem([f"{path}: berkas tidak dapat dibaca ({exc.strerror})"]) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputProblem([f"{path}: ini folder, bukan berkas pengajuan"])
    if not stat.S_ISREG(info.st_mode):
        raise InputProblem([f"{path}: bukan berkas biasa (pipa, soket atau perangkat); simpan pengajuan sebagai berkas"])
    if info.st_size > lim.bytes:
        raise InputProblem([f"{path}: berkas {info.st_size / 1048576:.1f} MB melebihi batas {lim.berkas_mb} MB "
                            "(ubah dengan --batas berkas_mb=N)"])
    try:
        with path.open("rb") as handle:
            raw = handle.read(lim.bytes + 1)
    except OSError as exc:
        raise InputProblem([f"{path}: berkas tidak dapat dibaca ({exc.strerror})"]) from None
    if len(raw) > lim.bytes:  # grew while being read
        raise InputProblem([f"{path}: berkas melebihi batas {lim.berkas_mb} MB (ubah dengan --batas berkas_mb=N)"])
    return raw


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: ~10x faster parsing


class YamlLoader(_Base):
    """Safe loader without implicit float resolution (Indonesian numbers are read by engine.numbers)."""

    def resolve(self, kind, value, implicit):
        # A plain scalar's tag depends on its text alone (no path resolvers): remembered per text, the
        # resolver's regular expressions run once per distinct value (a submission repeats most of them).
        # Quoted scalars, mappings and sequences get the default tags, as BaseResolver.resolve gives them
        # without path resolvers, here without its call (libyaml's composer asks for every node).
        if FAST_CONSTRUCT and not self.yaml_path_resolvers:
            if kind is _ScalarNode:
                if not implicit[0]:
                    return _STR
                tag = _RESOLVED.get(value)
                if tag is None:
                    tag = super().resolve(kind, value, implicit)
                    if len(_RESOLVED) < 100_000:
                        _RESOLVED[value] = tag
                return tag
            if kind is _MappingNode:
                return _MAP
            if kind is _SequenceNode:
                return _SEQ
        return super().resolve(kind, value, implicit)


_ScalarNode, _MappingNode, _SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


_RESOLVED: dict[str, str] = {}


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.2 integers, decimal only: `bobot: 010` is 10 as typed (YAML 1.1 read it as octal 8); 0x7e7, 1_000 and
# 1:40 stay text (and are then refused where a number is expected, with their line).
YamlLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
MAX_INT_DIGITS = 40
# YAML 1.2 booleans only: "on", "off", "yes", "no" stay text (a rule's `on:` key, a planner's "ya"/"no").
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _decimal_int(loader: YamlLoader, node: yaml.ScalarNode) -> int:
    text = node.value
    if len(text.lstrip("+-")) > MAX_INT_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"bilangan bulat {len(text)} angka terlalu panjang (paling banyak {MAX_INT_DIGITS})",
            node.start_mark)
    return int(text, 10)


def _calendar_timestamp(loader: YamlLoader, node: yaml.ScalarNode):
    """An unquoted date that is not in the calendar (2023-02-31) is an input error with its line."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise yaml.constructor.ConstructorError(
            None, None, f"tanggal {node.value} tidak ada di kalender", node.start_mark) from None


YamlLoader.add_constructor("tag:yaml.org,2002:int", _decimal_int)
YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _calendar_timestamp)


def _refuse_duplicate_keys(loader: YamlLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # `? [a]`: a key must be a name
            raise yaml.constructor.ConstructorError(
                None, None, "kunci harus berupa nama (teks), bukan daftar atau pemetaan", key_node.start_mark)
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
FAST_BOUNDS = True  # a YAML text with no anchor: the limits counted while constructing (_construct_within), not by _bounded

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


def _scalar(loader: YamlLoader, node: yaml.ScalarNode) -> Any:
    """A scalar's value: str and null here, int and bool by the constructors registered on YamlLoader (ints read
    as typed: 010 is 10), any other tag by the loader itself."""
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _NULL:
        return None
    if tag == _INT or tag == _BOOL:
        return loader.yaml_constructors[tag](loader, node)
    return loader.construct_object(node, deep=True)


def _construct(loader: YamlLoader, root: yaml.Node) -> Any:
    """The data of a composed document, as loader.construct_document(root) gives it, without its generators:
    str, null, bool and int scalars, mappings and sequences built here; any other tag by the loader itself.
    Raises _Slow where the loader's own path must decide (and word the error)."""
    made: dict[int, Any] = {}
    scalar = partial(_scalar, loader)

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


def _may_have_anchor(text: str) -> bool:
    """Whether an anchor (&name) could start somewhere in the text: an & after a space, a line start, a flow
    indicator or a flow ':', and before a name. A text without one has no alias, so its node tree is no bigger
    than the text (a superset: "R&D" or "a &b" in a value only costs time)."""
    at = text.find("&")
    while at >= 0:
        if (at == 0 or text[at - 1] in " \t\r\n[{,:") and text[at + 1:at + 2] not in ("", " ", "\t", "\r", "\n", "[", "]", "{", "}", ","):
            return True
        at = text.find("&", at + 1)
    return False


def _construct_within(loader: YamlLoader, root: yaml.Node, lim: Limits) -> Any:
    """``_construct`` of a tree without aliases (no anchor in its text), counting what ``_bounded`` counts
    (nodes, keys included; depth; rows of a list) on the way. Raises _Slow when a limit is exceeded or
    anything is left to PyYAML: the caller then runs ``_bounded`` and the general path, whose messages stand."""
    count = 0
    deep, rows = lim.kedalaman, lim.baris
    Scalar, Mapping, Sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    scalar = partial(_scalar, loader)

    def build(node, depth):
        nonlocal count
        count += 1
        kind = type(node)
        if kind is Scalar:
            return scalar(node)
        items = node.value
        if items and depth >= deep:  # its children would lie deeper than the limit
            raise _Slow
        if kind is Mapping and node.tag == _MAP:
            count += len(items)  # the keys
            out: dict = {}
            for k, v in items:
                if type(k) is not Scalar or k.tag == "tag:yaml.org,2002:merge":
                    raise _Slow
                name = scalar(k)
                if name in out:
                    raise _Slow
                if type(v) is Scalar:
                    count += 1
                    out[name] = scalar(v)
                else:
                    out[name] = build(v, depth + 1)
            return out
        if kind is Sequence and node.tag == _SEQ:
            if len(items) > rows:
                raise _Slow
            return [build(item, depth + 1) for item in items]
        raise _Slow

    data = build(root, 1)
    if count > lim.simpul:
        raise _Slow
    return data


def _walk(node: yaml.Node, path: str, out: dict[str, int]) -> None:
    """The line of every path of a composed document (iterative: depth was bounded by ``_bounded``)."""
    stack = [(node, path)]
    while stack:
        node, path = stack.pop()
        out[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                stack.append((value_node, f"{path}.{key}" if path else str(key)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, f"{path}[{i}]"))


def _bounded(node: yaml.Node, path: Path, lim: Limits) -> None:
    """Refuse a composed YAML document that would expand beyond the limits once constructed and validated:
    a recursive alias, an alias bomb ("billion laughs"), too deep a nesting, too many nodes or aliases."""
    where = lambda n: f"{path}:{n.start_mark.line + 1}"  # noqa: E731
    nodes = aliases = 0
    seen: set[int] = set()
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool, bool]] = [(node, 1, False, False)]
    while stack:
        current, depth, leaving, expanded = stack.pop()
        ident = id(current)
        if leaving:
            on_path.discard(ident)
            continue
        if ident in on_path:
            raise InputProblem([f"{where(current)}: YAML tidak sah: alias merujuk ke dirinya sendiri (struktur tak hingga)"])
        nodes += 1
        revisit = ident in seen
        if revisit and not expanded:  # an alias (*name); what it expands to counts as nodes
            aliases += 1
            if aliases > lim.alias:
                raise InputProblem([f"{where(current)}: YAML memakai lebih dari {lim.alias} alias "
                                    "(ubah dengan --batas alias=N)"])
        if nodes > lim.simpul:
            raise InputProblem([f"{path}: YAML berisi lebih dari {lim.simpul} nilai setelah alias diperluas "
                                "(ubah dengan --batas simpul=N)"])
        if depth > lim.kedalaman:
            raise InputProblem([f"{where(current)}: YAML bersarang lebih dari {lim.kedalaman} tingkat "
                                "(ubah dengan --batas kedalaman=N)"])
        seen.add(ident)
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = current.value
            if len(children) > lim.baris:
                raise InputProblem([f"{where(current)}: daftar berisi {len(children)} baris, melebihi batas "
                                    f"{lim.baris} (ubah dengan --batas baris=N)"])
        else:
            continue
        on_path.add(ident)
        stack.append((current, depth, True, expanded))
        stack.extend((child, depth + 1, False, expanded or revisit) for child in reversed(children))


def _bounded_data(data: Any, path: Path, lim: Limits) -> None:
    """The same limits on parsed JSON (which has no aliases)."""
    nodes = 0
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        nodes += 1
        if nodes > lim.simpul:
            raise InputProblem([f"{path}: JSON berisi lebih dari {lim.simpul} nilai (ubah dengan --batas simpul=N)"])
        if depth > lim.kedalaman:
            raise InputProblem([f"{path}: JSON bersarang lebih dari {lim.kedalaman} tingkat "
                                "(ubah dengan --batas kedalaman=N)"])
        if isinstance(value, dict):
            stack.extend((v, depth + 1, f"{where}.{k}" if where else k) for k, v in value.items()
                         if isinstance(v, (dict, list)))
            nodes += sum(1 for v in value.values() if not isinstance(v, (dict, list)))
        elif isinstance(value, list):
            if len(value) > lim.baris:
                raise InputProblem([f"{path}: {where or 'isi berkas'}: daftar berisi {len(value)} baris, melebihi batas "
                                    f"{lim.baris} (ubah dengan --batas baris=N)"])
            stack.extend((v, depth + 1, f"{where}[{i}]") for i, v in enumerate(value) if isinstance(v, (dict, list)))
            nodes += sum(1 for v in value if not isinstance(v, (dict, list)))


class _JsonRefusal(Exception):
    def __init__(self, message: str, needle: str | None = None):
        super().__init__(message)
        self.message, self.needle = message, needle


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _JsonRefusal(f"kunci '{key}' muncul dua kali", None)
        out[key] = value
    return out


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _JsonRefusal(f"bilangan bulat {len(text)} angka terlalu panjang (paling banyak {MAX_INT_DIGITS})", text[:40])
    return int(text)


def _json_float(text: str) -> Decimal:
    if len(text) > 100:
        raise _JsonRefusal(f"angka {len(text)} karakter terlalu panjang", text[:40])
    number = Decimal(text)
    if number and not -40 <= number.adjusted() <= 40:  # 1E+999999 or 1E-999999999: no exact arithmetic ends
        raise _JsonRefusal(f"angka {text} di luar batas (pangkat paling besar 40)", text)
    return number


def _json_problem(path: Path, text: str, exc: _JsonRefusal) -> InputProblem:
    line = None
    if exc.needle:
        at = text.find(exc.needle)
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
    else:  # a duplicate key: YAML reads JSON and says which comes first in the text, and where
        try:
            yaml.load(text, Loader=YamlLoader)
        except yaml.constructor.ConstructorError as yexc:
            if yexc.problem_mark and "dua kali" in (yexc.problem or ""):
                line, exc.message = yexc.problem_mark.line + 1, yexc.problem
        except Exception:  # noqa: BLE001 - the line is a courtesy; the problem is reported anyway
            pass
    return InputProblem([f"{path}:{line}: JSON tidak sah: {exc.message}" if line else
                         f"{path}: JSON tidak sah: {exc.message}"])


# The pack's own files (rules, reference tables, example bases) are not a submission: only the limits that keep
# the reader itself safe (nesting for the recursive constructor) apply to them.
PACK_LIMITS = Limits(berkas_mb=1024, simpul=10**9, kedalaman=200, alias=10**6, baris=10**9, sel=10**9, xlsx_mb=10**4)


def read_document(path: Path, limits: Limits | None = None) -> Document:
    """Parse a YAML or JSON file. Raises InputProblem with the file and line of a syntax error. ``limits``: those of
    a submission (``LIMITS``); by default the pack's."""
    lim = limits or PACK_LIMITS
    raw = read_bytes(path, lim)
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as Windows Notepad writes it, is not content
    except UnicodeDecodeError as exc:
        raise InputProblem([f"{path}: berkas bukan teks UTF-8 ({exc.reason} pada bita {exc.start})"]) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text, parse_float=_json_float, parse_int=_json_int, object_pairs_hook=_json_pairs)
        except json.JSONDecodeError as exc:
            raise InputProblem([f"{path}:{exc.lineno}: JSON tidak sah: {exc.msg}"]) from None
        except _JsonRefusal as exc:
            raise _json_problem(path, text, exc) from None
        except RecursionError:
            raise InputProblem([f"{path}: JSON bersarang terlalu dalam (batas {lim.kedalaman} tingkat)"]) from None
        _bounded_data(data, path, lim)
        return JsonDocument(path, data, text)
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputProblem([f"{path}: berkas kosong"])
        data = _Slow
        if FAST_BOUNDS and FAST_CONSTRUCT and not _may_have_anchor(text):
            try:
                data = _construct_within(loader, node, lim)
            except Exception:  # noqa: BLE001 - a limit, or an error the general path below words (after _bounded)
                data = _Slow
                loader.constructed_objects, loader.recursive_objects = {}, {}  # as a fresh constructor's
                loader.state_generators, loader.deep_construct = [], False
        if data is _Slow:
            _bounded(node, path, lim)
            data = None
        if data is None and FAST_CONSTRUCT:
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
        if "maximum nesting depth" in what:  # libyaml's own bound (1,000 levels), reached before ours
            what = f"bersarang terlalu dalam (batas {lim.kedalaman} tingkat)"
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            what += f" ({exc.context} yang dimulai di baris {exc.context_mark.line + 1})"
        raise InputProblem([f"{where}: YAML tidak sah: {_printable(what)}"]) from None
    except yaml.YAMLError as exc:
        raise InputProblem([f"{path}: YAML tidak sah: {_printable(str(exc))}"]) from None
    finally:
        loader.dispose()
    if LINES_ON_DEMAND:
        return LazyDocument(path, data, node)
    lines: dict[str, int] = {}
    _walk(node, "", lines)
    return Document(path, data, lines)


def _printable(text: str) -> str:
    """A message never carries a raw control character (an ESC would drive the user's terminal)."""
    return "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" for c in text)


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
            expected = str(err.get("ctx", {}).get("expected", "")).replace("' or '", "', '")  # pydantic's English "or"
            message = f"harus salah satu dari: {expected}"
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
