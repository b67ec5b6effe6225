"""Validation of raw clingo rules (the ``[asp]`` escape hatch).

Raw rules see one scene through the documented predicate vocabulary below
(the ASP backend, :mod:`gas_solver.solve.asp`, provides exactly these atoms for
every candidate scene) and may only *restrict* the space:

* integrity constraints (``:- body.``), and
* normal rules ``aux(...) :- body.`` deriving auxiliary predicates of their own,
  stratified (no recursion through ``not`` or aggregates), so that every scene
  has exactly one answer set and counts stay exact.  Auxiliary names may not be
  those of the solver's internal predicates (:data:`RESERVED`).

Choice rules, disjunctions, ``#minimize``, ``#show``, ``#const``, ``#external``,
``#include`` and other directives are refused, as is deriving a vocabulary
predicate or using an undefined one.  ``#include`` is refused before clingo
reads the rules (clingo would read the named file while parsing).  Grounding
stays bounded: rule heads hold no arithmetic or intervals (``n(X+1) :- n(X)``
would count forever), intervals span at most :data:`MAX_INTERVAL` numbers and
integers stay within :data:`MAX_INTEGER`.

Vocabulary (all ids are clingo strings, object indices integers ``0..n-1``):

==================  ===========================================================
``object(O)``       O is an object of the scene
``concept(O,C)``    object O is concept C (``"wn:02084071"``)
``category(O,K)``   object O falls under category K, is-a closed (``"animal"``)
``attr(O,T,V)``     object O has attribute type T with value V
``rel(S,P,O)``      relation from object S to object O with predicate P
``scene_attr(T,V)`` the scene has scene-attribute type T with value V
==================  ===========================================================

Examples
--------
>>> check_raw_asp(':- rel(S,"riding",O), category(O,"bird").')
>>> check_raw_asp(':- foo(X).')
Traceback (most recent call last):
gas_solver.constraints.raw_asp.AspProblem: unknown predicate 'foo/1' (the vocabulary is object/1, concept/2, category/2, attr/3, rel/3, scene_attr/2)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ASP_VOCABULARY", "RESERVED", "AspProblem", "check_raw_asp", "MAX_INTERVAL", "MAX_INTEGER"]

#: the most numbers an interval ``a..b`` in raw rules may span (grounding makes one atom per number)
MAX_INTERVAL = 1_000
#: the largest integer raw rules may write (far below clingo's 32-bit integers)
MAX_INTEGER = 1_000_000

#: name -> arity of the predicates raw rules may read
ASP_VOCABULARY: dict[str, int] = {
    "object": 1,
    "concept": 2,
    "category": 2,
    "attr": 3,
    "rel": 3,
    "scene_attr": 2,
}


#: predicates the solver's own programs use (``gas_solver/solve/*.lp``); raw rules may not define them,
#: or an auxiliary atom would silently join the solver's model (a test keeps this list in step with the .lp files)
RESERVED: frozenset[str] = frozenset({
    "active", "attr_pos", "capacity", "card_hi", "card_lo", "conc", "concept_pos", "cond", "dom", "edge_pos", "eq",
    "excl_side",
    "exists", "filled", "forbid", "gcond", "group", "group_cond", "group_of", "holds", "ind", "label_category",
    "label_group", "label_name", "link", "match", "match_cond", "match_of", "nattr", "nobj", "nrel", "object_ok",
    "ogroup", "option", "outd", "perm", "pos", "pred_name", "repeat", "require", "scene_hi", "scene_lo",
    "scene_group", "scene_opt", "scene_required", "slots", "src", "subject_ok", "uconn", "ureach", "val",
    "value_name",
})


class AspProblem(Exception):
    """A problem in raw rules: ``line``/``column`` are 1-based inside the rules text."""

    def __init__(self, message: str, line: int = 1, column: int = 1, hint: str | None = None):
        super().__init__(message + (f" ({hint})" if hint else ""))
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint


@dataclass
class _Atom:
    name: str
    arity: int
    negative: bool  # under "not" or inside an aggregate: non-monotone dependency
    line: int
    column: int
    args: tuple = ()


def _vocab_text() -> str:
    return ", ".join(f"{k}/{v}" for k, v in ASP_VOCABULARY.items())


def _atoms(node, negative: bool, out: list[_Atom], loc=None) -> None:
    from clingo import ast

    if isinstance(node, ast.AST):
        t = node.ast_type
        if "location" in node.keys():
            loc = node.location.begin
        if t == ast.ASTType.Literal:
            negative = negative or node.sign != ast.Sign.NoSign
        elif t in (ast.ASTType.BodyAggregate, ast.ASTType.Aggregate, ast.ASTType.TheoryAtom):
            negative = True
        if t == ast.ASTType.SymbolicAtom:
            sym = node.symbol
            if sym.ast_type == ast.ASTType.Function:
                out.append(_Atom(sym.name, len(sym.arguments), negative, loc.line, loc.column, tuple(sym.arguments)))
                return
            if sym.ast_type == ast.ASTType.SymbolicTerm and sym.symbol.type.name == "Function":
                out.append(_Atom(sym.symbol.name, len(sym.symbol.arguments), negative, loc.line, loc.column))
                return
        for k in node.child_keys:
            _atoms(getattr(node, k), negative, out, loc)
    elif isinstance(node, (list, tuple)) or type(node).__name__.startswith("AST"):
        for x in node:
            _atoms(x, negative, out, loc)


#: argument positions of the vocabulary that hold taxonomy ids, and what kind of id
_ID_ARGS: dict[str, tuple[tuple[int, str], ...]] = {
    "concept": ((1, "concept"),),
    "category": ((1, "category"),),
    "attr": ((1, "attribute type"), (2, "attribute value")),
    "rel": ((1, "relation"),),
    "scene_attr": ((0, "scene-attribute type"), (1, "scene-attribute value")),
}


def _check_ids(atom: _Atom, names) -> None:
    """Constant ids in vocabulary atoms must be strings naming taxonomy ids (else the rule silently never fires)."""
    from clingo import ast

    from .names import NameProblem, did_you_mean

    found: dict[int, str] = {}
    for index, what in _ID_ARGS.get(atom.name, ()):
        term = atom.args[index]
        if term.ast_type != ast.ASTType.SymbolicTerm:
            continue  # a variable, an interval, ...: nothing to check
        sym = term.symbol
        kind = sym.type.name
        if kind == "Function" and not sym.arguments:
            raise AspProblem(f"{what} ids are strings: write \"{sym.name}\", not {sym.name}", atom.line, atom.column,
                             f"the constant {sym.name} is not the string \"{sym.name}\" and would never match")
        if kind != "String":
            raise AspProblem(f"{what} ids are strings, not {sym}", atom.line, atom.column)
        found[index] = sym.string
        if names is None:
            continue
        try:
            if what == "concept":
                if not names.tax.has_object(sym.string):
                    raise NameProblem(f"unknown concept '{sym.string}'", names._concept_hint(sym.string))
            elif what == "category":
                if sym.string not in names.tax.categories:
                    raise NameProblem(f"unknown category '{sym.string}'", did_you_mean(sym.string, names.tax.categories))
            elif what == "attribute type":
                names.attribute_type(sym.string)
            elif what == "attribute value":
                if 1 in found:
                    names.attribute_value(found[1], sym.string)
            elif what == "relation":
                if sym.string.startswith("kind:"):
                    raise NameProblem(f"'{sym.string}' is not a relation id", "rel/3 holds relation ids; "
                                      "list the relations of a kind in a helper predicate")
                names.predicates(sym.string)
            elif what == "scene-attribute type":
                names.scene_attribute_type(sym.string)
            elif what == "scene-attribute value":
                if 0 in found:
                    names.scene_attribute_pair(f"{found[0]}:{sym.string}")
        except NameProblem as exc:
            raise AspProblem(exc.message, atom.line, atom.column, exc.hint) from None


def _find_include(rules: str) -> tuple[int, int] | None:
    """(line, column) of an ``#include`` directive outside strings and comments, else None."""
    i, n, line, col0 = 0, len(rules), 1, 0
    while i < n:
        ch = rules[i]
        if ch == "\n":
            line, col0 = line + 1, i + 1
        elif rules.startswith("%*", i):
            end = rules.find("*%", i + 2)
            end = n if end < 0 else end + 2
            for k in range(i, end):
                if rules[k] == "\n":
                    line, col0 = line + 1, k + 1
            i = end
            continue
        elif ch == "%":
            end = rules.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch == '"':
            i += 1
            while i < n and rules[i] != '"':
                i += 2 if rules[i] == "\\" else 1
        elif rules.startswith("#include", i):
            return line, i - col0 + 1
        i += 1
    return None


def _bounded_terms(node, in_head: bool, loc=None) -> None:
    """Refuse terms that make grounding unbounded: arithmetic or intervals in heads, wide intervals, huge
    integers."""
    from clingo import ast

    if isinstance(node, ast.AST):
        if "location" in node.keys():
            loc = node.location.begin
        t = node.ast_type
        line, col = (loc.line, loc.column) if loc is not None else (1, 1)
        if in_head and t in (ast.ASTType.Interval, ast.ASTType.BinaryOperation, ast.ASTType.UnaryOperation):
            raise AspProblem("arithmetic or an interval in a rule head", line, col,
                             "a head such as n(X+1) or n(1..N) can derive unboundedly many atoms; "
                             "compute in the body instead")
        if t == ast.ASTType.Function and getattr(node, "external", 0):
            raise AspProblem(f"@{node.name}: external functions are not allowed in raw rules", line, col,
                             "raw rules run no code; compute with the vocabulary's atoms")
        if t == ast.ASTType.Interval:
            lo, hi = node.left, node.right
            nums = [x.symbol.number for x in (lo, hi) if x.ast_type == ast.ASTType.SymbolicTerm
                    and x.symbol.type.name == "Number"]
            if len(nums) != 2:
                raise AspProblem("interval bounds must be integers", line, col)
            if nums[1] - nums[0] + 1 > MAX_INTERVAL:
                raise AspProblem(f"the interval {nums[0]}..{nums[1]} spans {nums[1] - nums[0] + 1:,} numbers, "
                                 f"more than the limit of {MAX_INTERVAL:,}", line, col,
                                 "grounding makes one atom per number")
        if t == ast.ASTType.SymbolicTerm and node.symbol.type.name == "Number" \
                and abs(node.symbol.number) > MAX_INTEGER:
            raise AspProblem(f"the integer {node.symbol.number} is beyond the limit of {MAX_INTEGER:,}", line, col)
        for k in node.child_keys:
            _bounded_terms(getattr(node, k), in_head, loc)
    elif isinstance(node, (list, tuple)) or type(node).__name__.startswith("AST"):
        for x in node:
            _bounded_terms(x, in_head, loc)


def check_raw_asp(rules: str, names=None) -> None:
    """Check that ``rules`` parse with clingo and only use the documented vocabulary.

    Parameters
    ----------
    rules : str
        clingo rules (integrity constraints and stratified auxiliary rules).
    names : Names, optional
        When given, string ids in vocabulary atoms (``category(O, "animl")``) are checked
        against its taxonomy.

    Raises
    ------
    AspProblem
        With the line and column inside ``rules`` and a hint.
    """
    from clingo import ast

    found = _find_include(rules)
    if found is not None:
        raise AspProblem("#include is not allowed in raw rules", found[0], found[1],
                         "write the rules into the constraint file; an #include would read any file")
    messages: list[str] = []
    statements = []
    try:
        ast.parse_string(rules, statements.append, logger=lambda code, msg: messages.append(msg))
    except RuntimeError:
        msg = messages[0] if messages else "syntax error"
        # "<string>:4:5-7: error: syntax error, unexpected :-, expecting ) or ;"
        line = col = 1
        head, _, rest = msg.partition(": error: ")
        parts = head.split(":")
        if len(parts) >= 3:
            try:
                line = int(parts[1])
                col = int(parts[2].split("-")[0])
            except ValueError:
                pass
        text = (rest or msg).strip().splitlines()[0] if (rest or msg).strip() else "syntax error"
        raise AspProblem(f"clingo: {text}", line, col) from None

    heads: dict[tuple[str, int], tuple[int, int]] = {}
    rules_atoms: list[tuple[_Atom | None, list[_Atom]]] = []
    for st in statements:
        loc = st.location.begin
        if st.ast_type == ast.ASTType.Program:
            if st.name != "base" or len(st.parameters):
                raise AspProblem("#program directives are not allowed in raw rules", loc.line, loc.column)
            continue
        if st.ast_type.name == "Comment":  # clingo >= 5.8 keeps comments as statements
            continue
        if st.ast_type != ast.ASTType.Rule:
            kind = str(st.ast_type).split(".")[-1]
            raise AspProblem(f"only rules are allowed, not a {kind} statement", loc.line, loc.column,
                             "write integrity constraints ':- ...' and auxiliary rules 'p(X) :- ...'")
        head = st.head
        _bounded_terms(head, True)
        _bounded_terms(list(st.body), False)
        head_atom = None
        if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.BooleanConstant:
            if head.atom.value:  # "#true :- ..." is harmless but odd
                raise AspProblem("a rule with head #true has no effect", loc.line, loc.column)
        elif (head.ast_type == ast.ASTType.Literal and head.sign == ast.Sign.NoSign
              and head.atom.ast_type == ast.ASTType.SymbolicAtom):
            found: list[_Atom] = []
            _atoms(head, False, found)
            if len(found) != 1:
                raise AspProblem("unsupported rule head", loc.line, loc.column)
            head_atom = found[0]
            if head_atom.name in ASP_VOCABULARY:
                raise AspProblem(f"raw rules may not derive '{head_atom.name}/{head_atom.arity}': the scene's atoms "
                                 "are fixed by the solver", head_atom.line, head_atom.column,
                                 "restrict scenes with integrity constraints ':- ...'")
            if head_atom.name in RESERVED:
                raise AspProblem(f"'{head_atom.name}' is a predicate of the solver's own program", head_atom.line,
                                 head_atom.column, f"rename it, e.g. 'my_{head_atom.name}'")
            heads.setdefault((head_atom.name, head_atom.arity), (head_atom.line, head_atom.column))
        else:
            raise AspProblem("only integrity constraints and normal rules with one atom in the head are allowed",
                             loc.line, loc.column,
                             "choice rules and disjunctions would add answer sets and break exact counting")
        body: list[_Atom] = []
        _atoms(list(st.body), False, body)
        rules_atoms.append((head_atom, body))

    for _, body in rules_atoms:
        for a in body:
            key = (a.name, a.arity)
            if a.name in ASP_VOCABULARY:
                if ASP_VOCABULARY[a.name] != a.arity:
                    raise AspProblem(f"'{a.name}' takes {ASP_VOCABULARY[a.name]} arguments, not {a.arity}",
                                     a.line, a.column, f"the vocabulary is {_vocab_text()}")
                _check_ids(a, names)
            elif key not in heads:
                import difflib

                close = difflib.get_close_matches(a.name, list(ASP_VOCABULARY) + [h[0] for h in heads], n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"the vocabulary is {_vocab_text()}"
                raise AspProblem(f"unknown predicate '{a.name}/{a.arity}'", a.line, a.column, hint)

    # stratification: no cycle among auxiliary predicates through a negative dependency
    import networkx as nx

    g = nx.DiGraph()
    neg_edges = []
    for head_atom, body in rules_atoms:
        if head_atom is None:
            continue
        h = (head_atom.name, head_atom.arity)
        g.add_node(h)
        for a in body:
            b = (a.name, a.arity)
            if b in heads:
                g.add_edge(b, h)
                if a.negative:
                    neg_edges.append((b, h, a))
    comp = {}
    for i, scc in enumerate(nx.strongly_connected_components(g)):
        for v in scc:
            comp[v] = i
    for b, h, a in neg_edges:
        if comp[b] == comp[h]:
            raise AspProblem(f"'{h[0]}/{h[1]}' depends on itself through negation or an aggregate", a.line, a.column,
                             "raw rules must be stratified so that every scene has exactly one answer set")
