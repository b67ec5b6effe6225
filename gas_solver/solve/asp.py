"""The clingo (answer-set programming) models: structures and labelled scenes.

Each program lives in its own ``.lp`` file next to this module; Python only
adds facts and constants and reads typed output predicates (never parses
``str(symbol)``):

``structures.lp``
    unlabelled structures of one (objects, slots, edges) split.
``labels.lp``
    labelled scenes on one structure, as the integer vector of
    :mod:`.problem` (``val(K,V)``: position ``K`` has value ``V``), with every
    constraint family and the lex-leader constraints.
``universal.lp``
    with ``labels.lp``: one program for every structure of the bounds
    (satisfiability and unsat cores, :mod:`.unsat`).
``scene_attrs.lp``
    scene attributes chosen inside the program (only when raw rules run).

Raw-rule vocabulary
-------------------
Raw rules of a constraint file (``[asp] rules``, validated by
:mod:`gas_solver.constraints.raw_asp`) are added to ``labels.lp`` and see one
candidate scene through these atoms (ids are clingo strings, objects the
integers ``0..n-1``):

==================  ===========================================================
``object(O)``       O is an object of the scene
``concept(O,C)``    object O is concept C (``"wn:02084071"``)
``category(O,K)``   object O falls under category K, is-a closed (``"animal"``)
``attr(O,T,V)``     object O has attribute type T with value V
``rel(S,P,O)``      relation from object S to object O with predicate P
``scene_attr(T,V)`` the scene has scene-attribute type T with value V
==================  ===========================================================

Rules must not depend on object numbers (they see one representative of each
scene).  Example: ``:- rel(S,"riding",O), category(O,"bird").``  Only this
backend runs raw rules; :mod:`.cpsat` refuses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import clingo

__all__ = ["structure_models"]

_HERE = Path(__file__).parent


def _program(name: str) -> str:
    return (_HERE / name).read_text()


def structure_models(lim: dict, splits) -> Iterator[tuple]:
    """Every model of ``structures.lp`` for each (objects, slots, edges) split (isomorphic duplicates possible),
    as ``(n, attribute slots per object, sorted edges)``: :mod:`.structures` makes them Structures."""
    text = _program("structures.lp")
    for n, a, r in splits:
        consts = {
            "n": n, "a": a, "r": r,
            "apo_lo": lim["apo"][0], "apo_hi": min(lim["apo"][1], a),
            "out_lo": lim["out"][0], "out_hi": lim["out"][1],
            "in_lo": lim["in"][0], "in_hi": lim["in"][1],
            "acyclic": int(lim["acyclic"]), "connected": int(lim["connected"]),
        }
        if consts["apo_lo"] > consts["apo_hi"]:
            continue
        args = ["0", "--warn=none"] + [x for k, v in consts.items() for x in ("-c", f"{k}={v}")]
        ctl = clingo.Control(args)
        ctl.add("base", [], text)
        ctl.ground([("base", [])])
        found: list[tuple] = []

        def on_model(model, n=n, found=found):
            attrs = [0] * n
            edges = []
            for sym in model.symbols(shown=True):
                if sym.name == "edge":
                    edges.append((sym.arguments[0].number, sym.arguments[1].number))
                elif sym.name == "slots":
                    attrs[sym.arguments[0].number] = sym.arguments[1].number
            found.append((n, tuple(attrs), tuple(sorted(edges))))

        ctl.solve(on_model=on_model)
        yield from found


# ---------------------------------------------------------------------------
# Labelled scenes on one structure
# ---------------------------------------------------------------------------

def q(text: str) -> str:
    """``text`` as a clingo string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _facts(problem, *, external: bool, scene_options=None, scene_range=None, scene_groups=None,
           scene_required=()) -> list[str]:
    """The facts of ``labels.lp`` for ``problem`` (as program text lines)."""
    f: list[str] = []
    for k, dom in enumerate(problem.domains):
        f.append(f"pos({k}).")
        f.extend(f"dom({k},{v})." for v in dom)
    for i, k in enumerate(problem.concept_pos):
        f.append(f"concept_pos({k},{i}).")
        if not problem.universal:
            f.append(f"slots({i},{problem.structure.attributes[i]}).")
    for (i, t), k in problem.attr_pos.items():
        f.append(f"attr_pos({k},{i},{q(t)}).")
    for (u, v), k in problem.edge_pos.items():
        f.append(f"edge_pos({k},{u},{v}).")
    for c, g in enumerate(problem.group_of):
        f.append(f"label_group({c},{g}).")
        if problem.capacity is not None:
            f.append(f"capacity({c},{problem.capacity[c]}).")
    if problem.universal:  # "no object" is a label of its own group, with no attributes and no edges
        f.append(f"label_group({len(problem.labels)},{problem.n_groups}).")
    for g in range(problem.n_groups):
        for t, codes in problem.options[g].items():
            f.extend(f"option({g},{q(t)},{v})." for v in sorted(codes))
        f.extend(f"subject_ok({g},{p})." for p in sorted(problem.subject_ok[g]))
        f.extend(f"object_ok({g},{p})." for p in sorted(problem.object_ok[g]))
    for r, (ta, va, tb, vb) in enumerate(problem.exclusions):  # no object holds a value of each side
        f.extend(f"excl_side({r},0,{q(ta)},{v})." for v in sorted(va))
        f.extend(f"excl_side({r},1,{q(tb)},{v})." for v in sorted(vb))
    if problem.raw:  # names for the raw-rule vocabulary
        f.extend(f"label_name({c},{q(label)})." for c, label in enumerate(problem.labels))
        for t, vals in problem.values.items():
            f.extend(f"value_name({q(t)},{k + 1},{q(v)})." for k, v in enumerate(vals))
        f.extend(f"pred_name({p},{q(name)})." for p, name in enumerate(problem.predicates))
    if problem.pair_ok is not None:
        f.extend(f"real_pred({p})." for p in range(len(problem.predicates)))
        f.extend(f"pair_ok({i},{j},{a})." for (i, j), atoms in sorted(problem.pair_ok.items()) for a in sorted(atoms))
        # a predicate atom on an edge needs one of its predicates to fit both concepts
        f.append(":- edge_pos(K,S,O), val(K,P), real_pred(P), ogroup(S,GS), ogroup(O,GO), not pair_ok(GS,GO,P).")
    for qid, (k, vals, on_groups) in enumerate(problem.conditions):
        if on_groups:
            obj = problem.positions[k][1]
            f.extend(f"gcond({qid},{obj},{g})." for g in sorted(vals))
        else:
            f.extend(f"cond({qid},{k},{v})." for v in sorted(vals))
    mid = 0
    indices = set()
    for index, mode, at_least, matches in problem.patterns:
        indices.add(index)
        f.append(f"require({index},{at_least})." if mode == "require" else f"forbid({index}).")
        for conds in matches:
            f.append(f"match_of({mid},{index}).")
            f.extend(f"match_cond({mid},{qid})." for qid in conds)
            mid += 1
    gid = 0
    for index, groups, lo, hi in problem.cardinalities:
        indices.add(index)
        f.append(f"card_lo({index},{lo}).")
        if hi is not None:
            f.append(f"card_hi({index},{hi}).")
        for conds in groups:
            f.append(f"group_of({gid},{index}).")
            f.extend(f"group_cond({gid},{qid})." for qid in conds)
            gid += 1
    if problem.repeat is not None:
        indices.add(problem.repeat)
        f.append(f"repeat({problem.repeat}).")
    for p, src in enumerate(problem.perms):
        f.append(f"perm({p}).")
        f.extend(f"src({p},{k},{j})." for k, j in enumerate(src))
    for index in sorted(indices):
        f.append(f"#external active({index})." if external else f"active({index}).")
    if scene_options is not None:
        for t, vals in scene_options.items():
            f.extend(f"scene_opt({q(t)},{q(v)})." for v in vals)
            for g in (scene_groups or {}).get(t, "").split():  # a type may sit in several groups
                f.append(f"scene_group({q(t)},{q(g)}).")
        f.extend(f"scene_required({q(t)})." for t in sorted(scene_required))
        lo, hi = scene_range
        f.append(f"#const scene_lo={lo}.")
        f.append(f"#const scene_hi={-1 if hi is None else hi}.")
    return f, sorted(indices)


def _label_categories(problem, taxonomy) -> list[str]:
    out = []
    for c, label in enumerate(problem.labels):
        cat = taxonomy.object(label).category
        for k in taxonomy.path(cat):
            out.append(f"label_category({c},{q(k)}).")
    return out


def _control(problem, taxonomy, *, external: bool, scene_options=None, scene_range=None, models: int = 0,
             lim: dict | None = None, scene_groups=None, scene_required=()):
    facts, indices = _facts(problem, external=external, scene_options=scene_options, scene_range=scene_range,
                            scene_groups=scene_groups, scene_required=scene_required)
    args = [str(models), "--warn=none"]
    if problem.universal:
        def hi(x):
            return -1 if x is None else x

        consts = {"none_label": len(problem.labels), "none_pred": len(problem.predicates),
                  "n_lo": lim["n"][0], "n_hi": hi(lim["n"][1]), "a_lo": lim["a"][0], "a_hi": hi(lim["a"][1]),
                  "r_lo": lim["r"][0], "r_hi": hi(lim["r"][1]), "c_lo": lim["c"][0], "c_hi": hi(lim["c"][1]),
                  "apo_lo": lim["apo"][0], "apo_hi": hi(lim["apo"][1]), "out_lo": lim["out"][0],
                  "out_hi": hi(lim["out"][1]), "in_lo": lim["in"][0], "in_hi": hi(lim["in"][1]),
                  "acyclic": int(lim["acyclic"]), "connected": int(lim["connected"])}
        args += [x for k, v in consts.items() for x in ("-c", f"{k}={v}")]
    ctl = clingo.Control(args)
    ctl.add("base", [], _program("labels.lp"))
    if problem.universal:
        ctl.add("base", [], _program("universal.lp"))
    ctl.add("base", [], "\n".join(facts + (_label_categories(problem, taxonomy) if problem.raw else [])))
    if scene_options is not None:
        ctl.add("base", [], _program("scene_attrs.lp"))
    for index, program in problem.raw:
        ctl.add("base", [], program)
    ctl.ground([("base", [])])
    return ctl, indices


def label_solutions(problem, taxonomy, *, scene_options=None, scene_range=None, scene_groups=None,
                    scene_required=()) -> list[tuple]:
    """Every model of ``labels.lp`` for ``problem``: ``(vector, scene_attributes)`` pairs.

    ``scene_attributes`` is ``None`` unless ``scene_options`` is given (raw rules
    that read ``scene_attr/2``), then a sorted tuple of (type, value).
    """
    ctl, _ = _control(problem, taxonomy, external=False, scene_options=scene_options, scene_range=scene_range,
                      scene_groups=scene_groups, scene_required=scene_required)
    width = len(problem.domains)
    out = []

    def on_model(model):
        x = [0] * width
        sattrs = []
        for sym in model.symbols(shown=True):
            if sym.name == "val":
                x[sym.arguments[0].number] = sym.arguments[1].number
            else:
                sattrs.append((sym.arguments[0].string, sym.arguments[1].string))
        out.append((tuple(x), tuple(sorted(sattrs)) if scene_options is not None else None))

    ctl.solve(on_model=on_model)
    return out


class CoreModel:
    """``labels.lp`` for one problem, grounded once, every user constraint behind ``#external active(I)``.

    :meth:`solve` switches constraints on and off with assumptions, so one
    grounding serves every step of an unsat-core search.
    """

    def __init__(self, problem, taxonomy, lim: dict | None = None):
        self.ctl, self.indices = _control(problem, taxonomy, external=True, models=1, lim=lim)
        self.lits = {}
        for index in self.indices:
            sym = clingo.Function("active", [clingo.Number(index)])
            # externals start out fixed to false: release them so the assumptions decide
            self.ctl.assign_external(sym, None)
            atom = self.ctl.symbolic_atoms[sym]
            if atom is not None:
                self.lits[atom.literal] = index

    def solve(self, active=None) -> tuple[bool, list[int]]:
        """``(True, [])`` if a labelling exists with the ``active`` constraints (default all), else
        ``(False, core)`` with the constraint indices of clingo's unsat core."""
        on = set(self.indices) if active is None else set(active)
        core: list[int] = []
        result = self.ctl.solve(
            assumptions=[(clingo.Function("active", [clingo.Number(i)]), i in on) for i in self.indices],
            on_core=lambda c: core.extend(c))
        if result.satisfiable:
            return True, []
        return False, sorted({self.lits[abs(lit)] for lit in core if abs(lit) in self.lits} & on)


def label_core(problem, taxonomy) -> tuple[bool, list[int]]:
    """Satisfiability of ``problem`` with every user constraint behind an assumption.

    Returns ``(True, [])`` when some labelling exists, else ``(False, core)``
    with the constraint indices clingo's unsat core names.
    """
    return CoreModel(problem, taxonomy).solve()
