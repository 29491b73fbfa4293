"""Sphinx helpers for the vzdetain docs: tables generated from the code, so they cannot drift.

Directives (usable from MyST as ```` ```{vz-qualifier-table} ````):

``vz-qualifier-table``
    Every qualifier with its English and Spanish words and the bounds they give, computed by
    calling :meth:`vzdetain.Count.parse` on each phrase.
``vz-several-table``
    The vague plural words ("hundreds", "cientos") and their bounds, parsed the same way.
``vz-enum-table DOTTED.NAME``
    The members of an enum with their values and documentation; with ``:labels:``, also the
    English and Spanish ``label()`` of each member.
``vz-catalogue sources|measures``
    The built-in catalogue.
``vz-argparse DOTTED.FUNCTION``
    The ``--help`` text of a command line (``:command: NAME`` for one subcommand), from the
    function that builds its argparse parser.
``vz-csv-columns DOTTED.NAME``
    The columns of a CSV file in the order the code writes them, with descriptions given as
    the directive's content (``column: description`` per line). The build fails if the
    content and the code disagree on the set or order of columns.

Events:

``missing-reference``
    ``vzdetain.Count`` (the public, re-exported name) resolves to where the object is
    documented (``vzdetain.counts.Count``), and vice versa.
``autodoc-skip-member``
    Enum members are always documented, with or without a docstring.
``autodoc-process-docstring``
    Text before a colon in an attribute's docstring stays text (napoleon would read it as
    the attribute's type).
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Sequence
from typing import Any

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

Cell = str


# ---------------------------------------------------------------------- building tables


def _paragraph(text: Cell) -> nodes.paragraph:
    """A paragraph in which ``backticked`` parts are literals."""
    para = nodes.paragraph()
    for i, part in enumerate(text.split("`")):
        if not part:
            continue
        para += nodes.literal(part, part) if i % 2 else nodes.Text(part)
    return para


def _table(
    header: Sequence[Cell], rows: Sequence[Sequence[Cell]], widths: Sequence[int]
) -> nodes.table:
    table = nodes.table(classes=["vz-generated"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for w in widths:
        group += nodes.colspec(colwidth=w)
    thead = nodes.thead()
    group += thead
    hrow = nodes.row()
    for h in header:
        entry = nodes.entry()
        entry += _paragraph(h)
        hrow += entry
    thead += hrow
    tbody = nodes.tbody()
    group += tbody
    for r in rows:
        if len(r) != len(header):
            raise ValueError(f"row {r!r} has {len(r)} cells for {len(header)} columns")
        row = nodes.row()
        for c in r:
            entry = nodes.entry()
            if c:
                entry += _paragraph(c)
            row += entry
        tbody += row
    return table


def _resolve(dotted: str) -> Any:
    """Import ``package.module.NAME`` (or a module) and return the object."""
    try:
        return importlib.import_module(dotted)
    except ImportError:
        pass
    module_name, _, attr = dotted.rpartition(".")
    obj: Any = importlib.import_module(module_name)
    return getattr(obj, attr)


def _interval(low: int | None, high: int | None) -> str:
    lo = "(−∞" if low is None else f"[{low}"
    hi = "∞)" if high is None else f"{high}]"
    return f"`{lo}, {hi}`"


def _symbolic(value: int | None, n: int, t: int) -> str:
    """Describe a bound relative to the stated figure ``n`` and tolerance ``t``."""
    if value is None:
        return "∞"
    if value == n:
        return "N"
    if value == 0:
        return "0"
    if value == n - t:
        return "N − t"
    if value == n + t:
        return "N + t"
    d = value - n
    return f"N + {d}" if d > 0 else f"N − {-d}"


# ---------------------------------------------------------------------- directives


class QualifierTable(SphinxDirective):
    """The qualifier table, computed from :mod:`vzdetain.counts`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from vzdetain.counts import (
            _MANY_WORDS,
            _PREFIXES,
            _SEVERAL_WORDS,
            _ZERO_WORDS,
            DEFAULT_VAGUENESS,
            Count,
            Qualifier,
        )

        en_n, es_n = 800, 1345
        en_num, es_num = "800", "1.345"
        rows: list[list[str]] = []

        def bounds_formula(q: Qualifier, words: dict[str, tuple[str, ...]]) -> str:
            # The same rule for several figures, read back as a formula in N and t.
            seen = set()
            for lang, n, num in (
                ("en", en_n, en_num),
                ("es", es_n, es_num),
                ("en", 16_000, "16,000"),
            ):
                for w in words[lang]:
                    c = Count.parse(f"{w} {num}".strip(), lang=lang)
                    if c.qualifier is not q:
                        raise self.error(f"{w!r} parses as {c.qualifier}, not {q}")
                    t = DEFAULT_VAGUENESS.tolerance(n)
                    lo = _symbolic(c.low, n, t)
                    hi = _symbolic(c.high, n, t)
                    seen.add(f"[{lo}, {hi}]" if c.high is not None else f"[{lo}, ∞)")
            if len(seen) != 1:
                raise self.error(f"{q.name}: bounds do not follow one rule: {sorted(seen)}")
            return seen.pop()

        for q in Qualifier:
            if q is Qualifier.EXACT:
                words: dict[str, tuple[str, ...]] = {"en": ("",), "es": ("",)}
                en_words = es_words = "(a bare number)"
            elif q in _PREFIXES["en"]:
                words = {lang: _PREFIXES[lang][q] for lang in ("en", "es")}
                en_words = ", ".join(f"`{w}`" for w in words["en"])
                es_words = ", ".join(f"`{w}`" for w in words["es"])
            elif q is Qualifier.SEVERAL:
                en_words = ", ".join(f"`{w}`" for ws in _SEVERAL_WORDS["en"].values() for w in ws)
                es_words = ", ".join(f"`{w}`" for ws in _SEVERAL_WORDS["es"].values() for w in ws)
                rows.append(
                    [f"`{q.name}`", en_words, es_words, "per word: see the next table", "", ""]
                )
                continue
            elif q is Qualifier.MANY:
                en_words = ", ".join(f"`{w}`" for w in _MANY_WORDS["en"])
                es_words = ", ".join(f"`{w}`" for w in _MANY_WORDS["es"])
                bounds = {
                    Count.parse(w, lang=lang).interval()
                    for lang in ("en", "es")
                    for w in _MANY_WORDS[lang]
                }
                if len(bounds) != 1:
                    raise self.error(f"MANY words disagree: {sorted(bounds)}")
                c = Count.parse(_MANY_WORDS["en"][0], lang="en")
                interval = _interval(c.low, c.high)
                rows.append([f"`{q.name}`", en_words, es_words, "no number", interval, interval])
                continue
            else:  # DERIVED
                c = Count.parse("nearly 800") - Count.exact(143)
                rows.append(
                    [
                        f"`{q.name}`",
                        "result of `+` and `−`",
                        "",
                        "as computed; may be negative or unbounded below",
                        f"`(nearly 800) − 143` → {_interval(c.low, c.high)}",
                        "",
                    ]
                )
                continue
            formula = bounds_formula(q, words)
            en_phrase = f"{words['en'][0]} {en_num}".strip()
            es_phrase = f"{words['es'][0]} {es_num}".strip()
            ce = Count.parse(en_phrase, lang="en")
            cs = Count.parse(es_phrase, lang="es")
            rows.append(
                [
                    f"`{q.name}`",
                    en_words,
                    es_words,
                    f"`{formula}`",
                    f"`{en_phrase}` → {_interval(ce.low, ce.high)}",
                    f"`{es_phrase}` → {_interval(cs.low, cs.high)}",
                ]
            )
            if q is Qualifier.EXACT:
                zero = {
                    Count.parse(w, lang=lang) for lang in ("en", "es") for w in _ZERO_WORDS[lang]
                }
                if zero != {Count.exact(0)}:
                    raise self.error(f"zero words do not all parse as exactly 0: {zero}")
                rows.append(
                    [
                        f"`{q.name}` (zero)",
                        ", ".join(f"`{w}`" for w in _ZERO_WORDS["en"]),
                        ", ".join(f"`{w}`" for w in _ZERO_WORDS["es"]),
                        "`[0, 0]`",
                        f"`{_ZERO_WORDS['en'][0]}` → {_interval(0, 0)}",
                        f"`{_ZERO_WORDS['es'][0]}` → {_interval(0, 0)}",
                    ]
                )
        header = [
            "qualifier",
            "English",
            "Spanish",
            "bounds for stated N",
            "example (en)",
            "example (es)",
        ]
        return [_table(header, rows, [12, 22, 22, 16, 20, 20])]


class SeveralTable(SphinxDirective):
    """The vague plural words and their bounds."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from vzdetain.counts import _SEVERAL_WORDS, SEVERAL_BOUNDS, Count

        rows = []
        for key, (lo, hi) in SEVERAL_BOUNDS.items():
            cells = []
            for lang in ("en", "es"):
                for w in _SEVERAL_WORDS[lang][key]:
                    c = Count.parse(w, lang=lang)
                    if (c.low, c.high) != (lo, hi):
                        raise self.error(f"{w!r} gives {c.interval()}, not {(lo, hi)}")
                cells.append(", ".join(f"`{w}`" for w in _SEVERAL_WORDS[lang][key]))
            rows.append([*cells, _interval(lo, hi)])
        return [_table(["English", "Spanish", "bounds"], rows, [30, 30, 30])]


class EnumTable(SphinxDirective):
    """Members of an enum, their values, docs and (optionally) labels."""

    required_arguments = 1
    option_spec = {"labels": directives.flag}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        dotted = self.arguments[0]
        try:
            cls = _resolve(dotted)
        except (ImportError, AttributeError) as exc:
            raise self.error(f"cannot import {dotted}: {exc}") from None
        if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
            raise self.error(f"{dotted} is not an enum")
        docs = ModuleAnalyzer.for_module(cls.__module__).find_attr_docs()
        labels = "labels" in self.options
        header = ["member", "value"]
        if labels:
            header += ["English", "Spanish"]
        header.append("meaning")
        rows = []
        for member in cls:
            doc = " ".join(" ".join(docs.get((cls.__qualname__, member.name), [])).split())
            doc = _plain_rst(doc)
            row = [f"`{member.name}`", f"`{member.value!r}`"]
            if labels:
                label = getattr(member, "label", None)
                if label is None:
                    raise self.error(f"{dotted} members have no label()")
                row += [label("en"), label("es")]
            row.append(doc)
            rows.append(row)
        if not any(r[-1] for r in rows):
            header.pop()
            rows = [r[:-1] for r in rows]
        widths = [20, 20, 25, 25, 30][: len(header)]
        self.env.note_dependency(importlib.import_module(cls.__module__).__file__ or "")
        return [_table(header, rows, widths)]


class CatalogueTable(SphinxDirective):
    """The built-in sources or measures."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from vzdetain.catalogue import MEASURES, SOURCES

        which = self.arguments[0]
        if which == "sources":
            rows = [[f"`{s.id}`", s.name, s.kind.name, s.notes] for s in SOURCES.values()]
            return [_table(["id", "name", "kind", "notes"], rows, [20, 35, 15, 30])]
        if which == "measures":
            rows = [
                [
                    f"`{m.name}`",
                    m.kind.name,
                    ", ".join(f"`{w}`" for w in m.within),
                    f"{m.label('en')} / {m.label('es')}",
                    m.description,
                ]
                for m in MEASURES.values()
            ]
            return [
                _table(
                    ["name", "kind", "within", "labels (en / es)", "description"],
                    rows,
                    [18, 8, 18, 22, 34],
                )
            ]
        raise self.error("argument must be 'sources' or 'measures'")


class CsvColumns(SphinxDirective):
    """CSV columns from the code, described by the content; disagreement fails the build."""

    required_arguments = 1
    has_content = True
    option_spec = {  # noqa: RUF012
        "required": directives.unchanged,
        "required-from": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        columns = tuple(_resolve(self.arguments[0]))
        described: dict[str, str] = {}
        order: list[str] = []
        current = None
        for line in self.content:
            if not line.strip():
                continue
            if line[:1].isspace() and current is not None:
                described[current] += " " + line.strip()
                continue
            name, sep, text = line.partition(":")
            if not sep:
                raise self.error(f"expected 'column: description', got {line!r}")
            current = name.strip()
            order.append(current)
            described[current] = text.strip()
        if tuple(order) != columns:
            raise self.error(
                f"described columns {order} differ from {self.arguments[0]} = {list(columns)}"
            )
        required: set[str] = set()
        if "required" in self.options:
            required = set(_resolve(self.options["required"]))
        elif "required-from" in self.options:
            cls = _resolve(self.options["required-from"])
            required = {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING and f.init}
        unknown = required - set(columns)
        if unknown:
            raise self.error(f"required columns {sorted(unknown)} are not columns")
        rows = [[f"`{c}`", "yes" if c in required else "", described[c]] for c in columns]
        return [_table(["column", "required", "content"], rows, [18, 10, 72])]


class SchemaTable(SphinxDirective):
    """The fields of one object of the shipped JSON Schema (``$`` for the top level)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        import json
        from importlib.resources import files

        resource = files("vzdetain").joinpath("schema/dataset.schema.json")
        schema = json.loads(resource.read_text(encoding="utf-8"))
        self.env.note_dependency(str(resource))
        name = self.arguments[0]
        node = schema if name == "$" else schema.get("$defs", {}).get(name)
        if node is None:
            raise self.error(f"no definition {name!r} in the schema")
        if "properties" not in node:
            objects = [n for n in node.get("oneOf", ()) if "properties" in n]
            node = objects[0] if len(objects) == 1 else node
        if "properties" not in node:
            raise self.error(f"definition {name!r} is not an object with properties")
        required = set(node.get("required", ()))
        rows = [
            [
                f"`{key}`",
                _schema_type(sub),
                "yes" if key in required else "",
                sub.get("description", ""),
            ]
            for key, sub in node["properties"].items()
        ]
        return [_table(["field", "type", "required", "description"], rows, [16, 34, 10, 40])]


def _schema_type(node: dict[str, Any]) -> str:
    """A short description of a JSON Schema node's type."""
    if "$ref" in node:
        return f"`{node['$ref'].rsplit('/', 1)[-1]}` (see below)"
    if "const" in node:
        return f"`{json_dumps(node['const'])}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "oneOf" in node:
        return " or ".join(_schema_type(n) for n in node["oneOf"])
    kind = node.get("type", "any")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array" and "items" in node:
        return f"array of {_schema_type(node['items'])}"
    if (
        kind == "object"
        and "additionalProperties" in node
        and isinstance(node["additionalProperties"], dict)
    ):
        return f"object of {_schema_type(node['additionalProperties'])} values"
    if "pattern" in node:
        return f"{kind} matching `{node['pattern']}`"
    return str(kind)


def json_dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


class AllTable(SphinxDirective):
    """Every name in a package's ``__all__``, linked to where it is documented."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from sphinx import addnodes

        package = importlib.import_module(self.arguments[0])
        names = list(getattr(package, "__all__", ()))
        if not names:
            raise self.error(f"{self.arguments[0]} has no __all__")
        table = _table(["name", "kind", "summary"], [["", "", ""] for _ in names], [25, 12, 63])
        tbody = next(iter(table.findall(nodes.tbody)))
        for name, row in zip(names, tbody.children, strict=True):
            obj = getattr(package, name)
            if isinstance(obj, type(importlib)):
                target, reftype, kind = obj.__name__, "mod", "module"
            elif getattr(obj, "__module__", "").startswith(self.arguments[0]) and hasattr(
                obj, "__qualname__"
            ):
                target = f"{obj.__module__}.{obj.__qualname__}"
                reftype = "obj"
                if isinstance(obj, type) and issubclass(obj, BaseException):
                    kind = "exception"
                elif isinstance(obj, type) and issubclass(obj, enum.Enum):
                    kind = "enum"
                elif isinstance(obj, type):
                    kind = "class"
                else:
                    kind = "function"
            else:
                target, reftype, kind = f"{self.arguments[0]}.{name}", "data", "data"
            doc = (getattr(obj, "__doc__", None) or "") if kind != "data" else ""
            summary = doc.strip().split("\n\n", 1)[0].replace("\n", " ").strip()
            if kind == "data":
                summary = f"`{obj!r}`"
            ref = addnodes.pending_xref(
                "",
                refdomain="py",
                reftype=reftype,
                reftarget=target,
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
            ref += nodes.literal(name, name)
            para = nodes.paragraph()
            para += ref
            cells = list(row.children)
            cells[0] += para
            cells[1] += _paragraph(kind)
            cells[2] += _rst_inline(self, summary)
        return [table]


def _rst_inline(directive: SphinxDirective, text: str) -> nodes.paragraph:
    """A paragraph with ``literal`` and ``:role:`target``` markup turned into plain literals."""
    return _paragraph(_plain_rst(text))


def _plain_rst(text: str) -> str:
    """Docstring markup reduced to the backtick literals of :func:`_paragraph`."""
    import re

    text = re.sub(r":[a-z:]+:`~?([^`<]*?)(?: <[^>]*>)?`", r"`\1`", text)
    return text.replace("``", "`")


class ArgparseHelp(SphinxDirective):
    """The ``--help`` text of a command (and of each subcommand), from its argparse parser.

    The argument names a function returning the parser; with ``:command: NAME`` only that
    subcommand's help is shown.
    """

    required_arguments = 1
    option_spec = {"command": directives.unchanged}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        import argparse
        import os

        parser = _resolve(self.arguments[0])()
        name = self.options.get("command")
        if name:
            subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
            if not subs or name not in subs[0].choices:
                raise self.error(f"{self.arguments[0]} has no subcommand {name!r}")
            parser = subs[0].choices[name]
        old = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "90"
        try:
            text = parser.format_help()
        finally:
            if old is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = old
        block = nodes.literal_block(text, text)
        block["language"] = "text"
        return [block]


# ---------------------------------------------------------------------- events


def _lookup(dotted: str) -> Any:
    """Import the longest module prefix of ``dotted`` and walk the rest as attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def _home(obj: Any) -> str | None:
    """Where a vzdetain object is documented: ``module.qualname``."""
    if isinstance(obj, type(importlib)):
        return obj.__name__
    home = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not home or not qualname or not home.startswith("vzdetain"):
        return None
    return f"{home}.{qualname}"


def _alias_targets(target: str, module: str | None) -> list[str]:
    """Documented names a reference to a re-exported vzdetain object may mean."""
    candidates = [target, f"vzdetain.{target}"]
    if module:
        candidates.insert(0, f"{module}.{target}")
    out = []
    for candidate in candidates:
        if not candidate.startswith("vzdetain"):
            continue
        try:
            home = _home(_lookup(candidate))
        except (ImportError, AttributeError):
            continue
        if home and home != target and home not in out:
            out.append(home)
    return out


def _missing_reference(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    domain = env.domains["py"]
    for alias in _alias_targets(node.get("reftarget", ""), node.get("py:module")):
        found = domain.resolve_xref(
            env, node.get("refdoc", ""), app.builder, node["reftype"], alias, node, contnode
        )
        if found is not None:
            return found
    return None


def _restore_attribute_docs(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Undo napoleon's reading of ``Words: more words`` in an attribute docstring as a type.

    napoleon takes the text before the first colon of an attribute's docstring as its type
    (the Google "inline attribute" style). vzdetain never writes types there -- they come
    from the annotations -- so the text is put back in front of the description.
    """
    if what not in ("attribute", "data", "property") or not name.startswith("vzdetain"):
        return
    for i, line in enumerate(lines):
        if line.startswith(":type: "):
            words = line[len(":type: ") :]
            del lines[i]
            if i > 0 and not lines[i - 1].strip():
                del lines[i - 1]
            for j, first in enumerate(lines):
                if first.strip():
                    lines[j] = f"{words}: {first.lstrip()}"
                    break
            else:
                lines.insert(0, words)
            return


def _skip_member(
    app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any
) -> bool | None:
    if what == "class" and isinstance(obj, enum.Enum):
        return False
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("vz-qualifier-table", QualifierTable)
    app.add_directive("vz-several-table", SeveralTable)
    app.add_directive("vz-enum-table", EnumTable)
    app.add_directive("vz-catalogue", CatalogueTable)
    app.add_directive("vz-csv-columns", CsvColumns)
    app.add_directive("vz-schema-table", SchemaTable)
    app.add_directive("vz-all-table", AllTable)
    app.add_directive("vz-argparse", ArgparseHelp)
    app.connect("missing-reference", _missing_reference)
    app.connect("autodoc-skip-member", _skip_member)
    # after napoleon (priority 500) has rewritten the docstring
    app.connect("autodoc-process-docstring", _restore_attribute_docs, priority=600)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
