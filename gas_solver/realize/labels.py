"""Which labels of a scene a taxonomy does not know.

Realizers look words up by label; a scene that names a concept, attribute,
relation or scene attribute the taxonomy lacks fails with :class:`UnknownLabel`,
naming the field.

>>> from gas_solver.taxonomy import load_taxonomy
>>> unknown_label({"objects": [{"concept": "unicorn_x"}]}, load_taxonomy("tests/data/toy.toml"))
('objects[0].concept', "unknown concept 'unicorn_x'")
"""

from __future__ import annotations

from ..errors import GasError
from ..scene import Scene, scene_to_dict
from ..taxonomy.model import Taxonomy

__all__ = ["UnknownLabel", "check_labels", "unknown_label"]


class UnknownLabel(GasError, KeyError):
    """A scene names a concept, attribute, relation or scene attribute the taxonomy does not have."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def check_labels(scene: Scene, taxonomy: Taxonomy) -> None:
    """Raise :class:`UnknownLabel` if ``scene`` uses a label ``taxonomy`` does not know."""
    problem = unknown_label(scene_to_dict(scene, None, canonical=False), taxonomy)
    if problem is not None:
        raise UnknownLabel(f"{problem[0]}: {problem[1]} (taxonomy {taxonomy.name!r})")


def unknown_label(data: dict, taxonomy: Taxonomy) -> tuple[str, str] | None:
    """The first label of a scene object (``scene_to_dict`` form, already valid) that ``taxonomy``
    does not know, as (field, message), or None.  Field indices follow the input's order.
    """
    modality = data.get("modality", "image")
    for i, o in enumerate(data.get("objects", ())):
        if not taxonomy.has_object(str(o["concept"])):
            return f"objects[{i}].concept", f"unknown concept {o['concept']!r}"
        for j, a in enumerate(o.get("attributes", ())):
            at = taxonomy.attribute_types.get(str(a["type"]))
            if at is None:
                return f"objects[{i}].attributes[{j}].type", f"unknown attribute type {a['type']!r}"
            if all(v.id != a["value"] for v in at.values):
                return (f"objects[{i}].attributes[{j}].value",
                        f"unknown value {a['value']!r} of attribute type {a['type']!r}")
    for k, r in enumerate(data.get("relations", ())):
        if str(r["predicate"]) not in taxonomy.relations:
            return f"relations[{k}].predicate", f"unknown relation {r['predicate']!r}"
    for k, a in enumerate(data.get("scene_attributes", ())):
        st = taxonomy.scene_attribute_types.get(str(a["type"]))
        if st is None:
            return f"scene_attributes[{k}].type", f"unknown scene-attribute type {a['type']!r}"
        if all(v.id != a["value"] for v in st.values):
            return (f"scene_attributes[{k}].value",
                    f"unknown value {a['value']!r} of scene-attribute type {a['type']!r}")
        if modality not in st.modalities:
            return f"scene_attributes[{k}].type", f"scene-attribute type {a['type']!r} does not apply to {modality}"
    return None
