"""A deterministic large synthetic taxonomy (~10k concepts) for speed checks of counting and sampling."""

from __future__ import annotations

import random

from gas_solver.taxonomy import taxonomy_from_dict


def big_taxonomy(n_categories: int = 40, per_category: int = 250, n_relations: int = 30, seed: int = 0):
    """Categories under 4 top groups, ``per_category`` concepts each, 8 attribute types, relations with domains."""
    rnd = random.Random(seed)
    tops = ["living", "food", "artifact", "place"]
    cats = [{"id": "thing"}] + [{"id": t, "parent": "thing"} for t in tops]
    leaves = []
    for i in range(n_categories):
        cid = f"cat{i:03d}"
        cats.append({"id": cid, "parent": tops[i % len(tops)]})
        leaves.append(cid)
    objects = [{"id": f"{c}_{j:04d}", "name": f"{c} word {j}", "category": c, "plural": f"{c} words {j}"}
               for c in leaves for j in range(per_category)]
    attr_types = []
    for t in range(8):
        applies = sorted(rnd.sample(tops, rnd.randint(1, 4)))
        n_vals = rnd.randint(3, 12)
        values = [f"t{t}v{v}" for v in range(n_vals)]
        if t == 0:  # value-level applicability on one leaf category
            values[0] = {"id": "t0v0", "name": "t0v0", "applies_to": [leaves[0]]}
        attr_types.append({"id": f"type{t}", "name": f"type {t}", "order": "colour", "applies_to": applies,
                           "values": values})
    relations = []
    for r in range(n_relations):
        subj = sorted(rnd.sample(tops + leaves, rnd.randint(1, 3)))
        obj = sorted(rnd.sample(tops + leaves, rnd.randint(1, 3)))
        relations.append({"id": f"rel{r:02d}", "name": f"rel {r}", "present": f"rels {r}", "kind": "spatial",
                          "subject": subj, "object": obj})
    scene = [{"id": "style", "name": "style", "modalities": ["image"], "phrase": "in {value}", "question": "{value}?",
              "values": [{"id": f"s{i}", "name": f"s{i}"} for i in range(20)]}]
    return taxonomy_from_dict({"format": "gas-taxonomy/1", "name": "synthetic", "version": "1", "categories": cats,
                               "objects": objects, "attribute_types": attr_types, "relations": relations,
                               "scene_attribute_types": scene})
