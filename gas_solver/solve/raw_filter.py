"""Exact rejection against raw ASP rules: the sampler's answer to spaces it cannot count.

Raw rules (``[asp]``, :mod:`gas_solver.constraints.raw_asp`) may only restrict
the space: integrity constraints and stratified auxiliary rules, so a scene is
in the space iff the program "the scene's facts + the rules" has an answer
set.  Such a space is a subset of the same file without its raw rules, which
the exact sampler draws from exactly uniformly (or by weight); keeping the
draws that pass the rules therefore gives exactly uniform (weighted) draws
from the raw-rule space, at an acceptance rate that is not known in advance
(there is no exact count).  The check is one small clingo call per draw.

Examples
--------
>>> from gas_solver.scene import Scene, SceneObject
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> f = RawAspFilter([':- concept(O, "dog").'], tax)
>>> f.accepts(Scene((SceneObject("dog"),))), f.accepts(Scene((SceneObject("horse"),)))
(False, True)
"""

from __future__ import annotations

__all__ = ["RawAspFilter", "scene_facts"]


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def scene_facts(scene, taxonomy) -> str:
    """The scene in the raw-rule vocabulary: object/1, concept/2, category/2 (is-a closed), attr/3, rel/3, scene_attr/2."""
    out = []
    for i, o in enumerate(scene.objects):
        out.append(f"object({i}). concept({i},{_q(o.concept)}).")
        for k in taxonomy.path(taxonomy.object(o.concept).category):
            out.append(f"category({i},{_q(k)}).")
        for a in o.attributes:
            out.append(f"attr({i},{_q(a.type)},{_q(a.value)}).")
    for r in scene.relations:
        out.append(f"rel({r.subject},{_q(r.predicate)},{r.object}).")
    for a in scene.scene_attributes:
        out.append(f"scene_attr({_q(a.type)},{_q(a.value)}).")
    return "\n".join(out)


class RawAspFilter:
    """Decides raw ASP rules on single scenes with clingo.

    Parameters
    ----------
    programs : sequence of str
        The raw rule texts.
    taxonomy : Taxonomy
    """

    def __init__(self, programs, taxonomy):
        self.program = "\n".join(programs)
        self.taxonomy = taxonomy
        # declare every vocabulary predicate so that rules over absent atoms ground without warnings
        self._decl = "#defined object/1. #defined concept/2. #defined category/2. #defined attr/3. " \
                     "#defined rel/3. #defined scene_attr/2."
        self._memo: dict = {}

    def accepts(self, scene) -> bool:
        """True iff the scene satisfies every raw rule (the program has an answer set)."""
        hit = self._memo.get(scene)  # equal scene values (same object order) get the same answer
        if hit is None:
            import clingo

            ctl = clingo.Control(["--warn=none"])
            ctl.add("base", [], self._decl + "\n" + scene_facts(scene, self.taxonomy) + "\n" + self.program)
            ctl.ground([("base", [])])
            hit = bool(ctl.solve().satisfiable)
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[scene] = hit
        return hit
