"""Random valid scenes drawn directly from a taxonomy (for property tests of the realizers).

Concepts come from a small pool so that repeated concepts are common; every
attribute is applicable to its object; every relation is allowed by the
taxonomy for its pair; relation graphs may be DAGs or cyclic; scene attributes
are drawn for the modality.
"""

from __future__ import annotations

import random

from hypothesis import strategies as st

from gas_solver.scene import MODALITIES, Attribute, Relation, Scene, SceneAttribute, SceneObject


def random_scene(tax, rng: random.Random, complexity: int, *, modality: str | None = None,
                 acyclic: bool | None = None) -> Scene:
    """A random scene of exactly ``complexity`` (objects + attributes + relations) where possible."""
    modality = modality or rng.choice(MODALITIES)
    acyclic = rng.random() < 0.5 if acyclic is None else acyclic
    pool = rng.sample(tax.objects, min(len(tax.objects), rng.randint(1, 4)))
    n = rng.randint(1, max(1, (complexity + 1) // 2))
    concepts = [rng.choice(pool) for _ in range(n)]
    options = [tax.attribute_values_for(c.category) for c in concepts]
    budget = complexity - n
    # relations first (as many as the budget and the taxonomy allow)
    order = list(range(n))
    rng.shuffle(order)
    rank = {o: k for k, o in enumerate(order)}
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b and (not acyclic or rank[a] < rank[b])]
    rng.shuffle(pairs)
    rels = []
    n_rel = rng.randint(0, budget) if budget else 0
    for a, b in pairs:
        if len(rels) >= n_rel:
            break
        preds = tax.relations_for(concepts[a].category, concepts[b].category)
        if preds:
            rels.append(Relation(a, b, rng.choice(sorted(preds))))
    budget -= len(rels)
    attrs: list[dict[str, str]] = [{} for _ in range(n)]
    tries = 0
    while budget > 0 and tries < 50:
        tries += 1
        i = rng.randrange(n)
        free = [(t, v) for t, v in options[i] if t not in attrs[i]]
        if free:
            t, v = rng.choice(free)
            attrs[i][t] = v
            budget -= 1
    objects = tuple(SceneObject(c.id, tuple(Attribute(t, v) for t, v in a.items()))
                    for c, a in zip(concepts, attrs))
    sattrs = []
    for stype in tax.scene_attribute_types_for(modality):
        if rng.random() < 0.4:
            sattrs.append(SceneAttribute(stype.id, rng.choice(stype.values).id))
    scene = Scene(objects, tuple(rels), tuple(sattrs), modality)
    scene.validate()
    return scene


def scenes(tax, min_complexity: int = 1, max_complexity: int = 10):
    """Hypothesis strategy of random valid scenes of ``tax``."""
    return st.builds(lambda seed, c: random_scene(tax, random.Random(seed), c),
                     st.integers(0, 2**32 - 1), st.integers(min_complexity, max_complexity))
