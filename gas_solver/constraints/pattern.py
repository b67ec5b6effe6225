"""The pattern language: small sub-graphs over categories, concepts, attributes and predicates.

Grammar (whitespace is free between tokens)::

    pattern   := element ("," element)*
    element   := node (edge node)*                       a path: a -[p]-> b -[q]-> c
    edge      := "-[" predicates "]->"
    predicates:= "*" | name ("|" name)*                  relation ids or kind:<kind>
    node      := VAR [":" labels] [attrs]
    labels    := "*" | name ("|" name)*                  category ids (is-a closed) or concept ids
    attrs     := "{" cond ("," cond)* "}"
    cond      := type ["=" value ("|" value)*]           the object has an attribute of this type (and value)
    VAR       := [A-Za-z_][A-Za-z0-9_]*

A variable is *defined* where it carries ``:labels`` or ``{attrs}``, once; elsewhere
it is a bare reference (``a:person -[holding]-> b:kitchenware, b -[on_top_of]-> c:furniture``).
Every variable must be defined; two edges may not join the same ordered pair
(a scene has at most one relation per ordered pair: write ``-[p|q]->``); an edge
may not join a variable to itself.

Semantics: a *match* is an injective map from the variables to the scene's objects
such that every node's concept is in its labels and has its attribute conditions,
and every edge ``x -[P]-> y`` is a relation of the scene from the image of ``x``
to the image of ``y`` with a predicate in ``P``.  See :func:`gas_solver.constraints.check.pattern_matches`.

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> p = parse_pattern("a:animal{colour=brown} -[riding]-> b:vehicle", tax)
>>> [n.var for n in p.nodes], p.edges[0].predicates
(['a', 'b'], frozenset({'riding'}))
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConstraintFileError
from ..taxonomy.model import Taxonomy
from .model import AttributeCondition, ConceptSet, Pattern, PatternEdge, PatternNode
from .names import NameProblem, Names

__all__ = ["parse_pattern", "PatternLocation"]

_VAR_START = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_VAR_CHARS = _VAR_START | set("0123456789")
_NAME_CHARS = _VAR_CHARS | set(".:'/+")


@dataclass(frozen=True)
class PatternLocation:
    """Where a pattern string sits in its file: path, line and column of its first character, dotted key."""

    path: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None


class _Fail(Exception):
    def __init__(self, offset: int, message: str, hint: str | None = None):
        self.offset = offset
        self.message = message
        self.hint = hint


@dataclass
class _RawNode:
    var: str
    offset: int
    labels: list[tuple[str, int]] | None  # None: no ":labels"; [] : "*"
    attrs: list[tuple[str, int, list[tuple[str, int]] | None]] | None


class _Parser:
    def __init__(self, text: str):
        self.t = text
        self.i = 0

    def ws(self) -> None:
        while self.i < len(self.t) and self.t[self.i].isspace():
            self.i += 1

    def peek(self) -> str:
        return self.t[self.i] if self.i < len(self.t) else ""

    def describe(self) -> str:
        return f"'{self.peek()}'" if self.peek() else "the end of the pattern"

    def expect(self, tok: str, what: str) -> None:
        self.ws()
        if not self.t.startswith(tok, self.i):
            raise _Fail(self.i, f"expected {what}, found {self.describe()}")
        self.i += len(tok)

    def var(self) -> tuple[str, int]:
        self.ws()
        start = self.i
        if self.peek() not in _VAR_START or not self.peek():
            hint = None
            if self.peek() == "-":
                hint = "an edge needs a variable on both sides: 'a:person -[holding]-> b:*'"
            raise _Fail(start, f"expected a variable name, found {self.describe()}", hint)
        while self.peek() and self.peek() in _VAR_CHARS:
            self.i += 1
        return self.t[start:self.i], start

    def name(self, what: str) -> tuple[str, int]:
        self.ws()
        start = self.i
        while self.i < len(self.t):
            ch = self.t[self.i]
            if ch in _NAME_CHARS:
                self.i += 1
            elif ch == "-" and self.i + 1 < len(self.t) and self.t[self.i + 1] in _VAR_CHARS and self.i > start:
                self.i += 1  # an inner hyphen ("t-shirt"); "-[" starts an edge
            else:
                break
        if self.i == start:
            raise _Fail(start, f"expected {what}, found {self.describe()}")
        return self.t[start:self.i], start

    def alternatives(self, what: str, star: bool) -> list[tuple[str, int]]:
        self.ws()
        if star and self.peek() == "*":
            self.i += 1
            return []
        out = [self.name(what)]
        while True:
            self.ws()
            if self.peek() != "|":
                return out
            self.i += 1
            out.append(self.name(what))

    def node(self) -> _RawNode:
        var, off = self.var()
        self.ws()
        labels = attrs = None
        if self.peek() == ":":
            self.i += 1
            labels = self.alternatives("a category or concept id (or '*')", star=True)
            self.ws()
        if self.peek() == "{":
            self.i += 1
            attrs = []
            while True:
                t, toff = self.name("an attribute type")
                self.ws()
                values = None
                if self.peek() == "=":
                    self.i += 1
                    values = self.alternatives("an attribute value", star=False)
                    self.ws()
                attrs.append((t, toff, values))
                if self.peek() == ",":
                    self.i += 1
                    continue
                if self.peek() == "}":
                    self.i += 1
                    break
                raise _Fail(self.i, f"expected ',' or '}}' in the attribute conditions, found {self.describe()}")
        return _RawNode(var, off, labels, attrs)

    def parse(self) -> tuple[list[_RawNode], list[tuple[str, str, list[tuple[str, int]] | None, int]]]:
        nodes: list[_RawNode] = []
        edges = []
        self.ws()
        if not self.peek():
            raise _Fail(0, "empty pattern", "e.g. 'a:animal -[riding]-> b:vehicle'")
        while True:
            left = self.node()
            nodes.append(left)
            while True:
                self.ws()
                if not self.t.startswith("-", self.i):
                    break
                eoff = self.i
                if not self.t.startswith("-[", self.i):
                    raise _Fail(self.i, "expected '-[' to start an edge", "edges read '-[pred]->' or '-[*]->'")
                self.i += 2
                self.ws()
                preds: list | None
                if self.peek() == "*":
                    self.i += 1
                    preds = None
                else:
                    preds = self.alternatives("a relation id (or '*')", star=False)
                self.ws()
                if self.t.startswith("]-", self.i) and not self.t.startswith("]->", self.i):
                    raise _Fail(self.i, "expected ']->' to end the edge", "edges point forward: 'a -[pred]-> b'")
                self.expect("]->", "']->' to end the edge")
                right = self.node()
                nodes.append(right)
                edges.append((left.var, right.var, preds, eoff))
                left = right
            self.ws()
            if not self.peek():
                return nodes, edges
            if self.peek() == ",":
                self.i += 1
                continue
            hint = None
            if self.peek() == "<":
                hint = "edges point forward: swap the two ends and write 'a -[pred]-> b'"
            elif self.peek() in _VAR_CHARS:
                hint = "separate pattern parts with ','"
            raise _Fail(self.i, f"unexpected {self.describe()}", hint)


def _resolve(text: str, taxonomy: Taxonomy) -> Pattern:
    nodes, edges = _Parser(text).parse()
    names = Names(taxonomy)
    defined: dict[str, _RawNode] = {}
    seen_order: list[str] = []
    for n in nodes:
        if n.var not in seen_order:
            seen_order.append(n.var)
        if n.labels is None and n.attrs is None:
            continue
        if n.var in defined:
            first = defined[n.var]
            if first.labels is None:
                spelled = n.var + "{...}"
            else:
                spelled = n.var + ":" + ("|".join(x for x, _ in first.labels) or "*")
            raise _Fail(n.offset, f"duplicate variable '{n.var}': it is already defined as '{spelled}'",
                        f"define a variable once, then refer to it as a bare '{n.var}'")
        defined[n.var] = n
    for n in nodes:
        if n.var not in defined:
            raise _Fail(n.offset, f"variable '{n.var}' is never defined",
                        f"give it a category once, e.g. '{n.var}:*' for any object")
    out_nodes = []
    for var in seen_order:
        n = defined[var]
        cats: set[str] = set()
        concepts: set[str] = set()
        for label, off in n.labels or []:
            try:
                kind, ident = names.object_ref(label)
            except NameProblem as exc:
                raise _Fail(off + exc.offset, exc.message, exc.hint) from None
            (cats if kind == "category" else concepts).add(ident)
        conds = []
        seen_types: dict[str, int] = {}
        for t, toff, values in n.attrs or []:
            try:
                tid = names.attribute_type(t)
            except NameProblem as exc:
                raise _Fail(toff, exc.message, exc.hint) from None
            if tid in seen_types:
                raise _Fail(toff, f"attribute type '{tid}' appears twice in the conditions of '{var}'",
                            f"list alternatives in one condition: '{tid}=x|y'")
            seen_types[tid] = toff
            vals = None
            if values is not None:
                vals = set()
                for v, voff in values:
                    try:
                        vals.add(names.attribute_value(tid, v))
                    except NameProblem as exc:
                        raise _Fail(voff, exc.message, exc.hint) from None
                vals = frozenset(vals)
            conds.append(AttributeCondition(tid, vals))
        out_nodes.append(PatternNode(var, ConceptSet(categories=frozenset(cats), concepts=frozenset(concepts)),
                                     tuple(conds)))
    out_edges = []
    pairs: dict[tuple[str, str], int] = {}
    for s, o, preds, off in edges:
        if s == o:
            raise _Fail(off, f"edge from '{s}' to itself", "a relation joins two different objects")
        if (s, o) in pairs:
            raise _Fail(off, f"second edge from '{s}' to '{o}'",
                        "a scene has at most one relation per ordered pair: write '-[p|q]->'")
        pairs[(s, o)] = off
        pset = None
        if preds is not None:
            pset = set()
            for p, poff in preds:
                try:
                    pset |= names.predicates(p)
                except NameProblem as exc:
                    raise _Fail(poff + exc.offset, exc.message, exc.hint) from None
            pset = frozenset(pset)
        out_edges.append(PatternEdge(s, o, pset))
    return Pattern(tuple(out_nodes), tuple(out_edges), text)


def parse_pattern(text: str, taxonomy: Taxonomy, *, where: PatternLocation | None = None) -> Pattern:
    """Parse and resolve a pattern string.

    Parameters
    ----------
    text : str
        The pattern, e.g. ``"a:person -[holding]-> b:kitchenware, b -[on_top_of]-> c:furniture"``.
    taxonomy : Taxonomy
        Names resolve against it (category ids are is-a closed).
    where : PatternLocation, optional
        Where the string sits in its file, so errors point at the exact column.

    Returns
    -------
    Pattern

    Raises
    ------
    ConstraintFileError
        On any syntax or name error, with the column of the problem inside the pattern.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> parse_pattern("a:fruit{colour=red|brown, state}", tax).nodes[0].attributes[0].values == {"red", "brown"}
    True
    >>> parse_pattern("a:animl", tax)
    Traceback (most recent call last):
    gas_solver.errors.ConstraintFileError: <input>:1:3: unknown category or concept 'animl' (did you mean 'animal'?)
    """
    where = where or PatternLocation(line=1, column=1)
    if not isinstance(text, str):
        raise ConstraintFileError(f"a pattern must be a string, not {type(text).__name__}",
                                  path=where.path, line=where.line, column=where.column, field=where.key)
    try:
        return _resolve(text, taxonomy)
    except _Fail as exc:
        line, col = where.line, where.column
        off = min(exc.offset, len(text))
        before = text[:off]
        if line is not None and "\n" in before:
            line += before.count("\n")
            col = off - before.rfind("\n")
        elif col is not None:
            col += off
        raise ConstraintFileError(exc.message, path=where.path, line=line, column=col, field=where.key,
                                  hint=exc.hint) from None
