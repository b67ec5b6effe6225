"""Attribute domains by category and by kind: the reader of ``curated/attribute_domains.tsv``.

The file says which values of an attribute type a kind of thing plausibly takes (what furniture, a sofa or a
Dutch oven is made of; which things carry a design style; which foods keep their natural colours).  Each
rule becomes one entry of the taxonomy's top-level ``attribute_domains`` list, which the package applies
(:class:`gas_solver.taxonomy.model.AttributeDomain`): categories from the root down, then concept rules from
the most general ancestor to the concept itself, so the most specific rule has the last word.

Rows (tab-separated; ``#`` starts a comment line):

* ``@<set><TAB><type><TAB><values and @sets, comma-separated>`` defines a named value set of one type
  (``@wood  material  wooden,oak,pine``);
* ``<type><TAB><category or concept id><TAB><values><TAB><printed name>`` is a rule.  ``values`` is either a
  plain list (the type takes exactly these there), or a list of ``+x`` / ``-x`` items (add to, remove from
  what the less specific rules give), or ``-`` alone (the type does not apply there).  A concept id must be
  followed by the concept's printed name, which is checked against the built taxonomy, so a wrong id fails the
  build.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "d.tsv"
>>> _ = p.write_text("@wood\\tmaterial\\twooden,oak\\nmaterial\\tfurniture\\t@wood,steel\\n"
...                  "material\\tx:1\\t-oak\\tsofa\\n", encoding="utf-8")
>>> types = [{"id": "material", "values": [{"id": "wooden"}, {"id": "oak"}, {"id": "steel"}]}]
>>> for r in read_attribute_domains(p, types, {"x:1": "sofa"}, {"furniture"}): print(r)
{'type': 'material', 'target': 'furniture', 'mode': 'only', 'values': ['wooden', 'oak', 'steel']}
{'type': 'material', 'target': 'x:1', 'mode': 'remove', 'values': ['oak']}
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["read_attribute_domains"]


def _value_ids(t: dict) -> list[str]:
    return [v["id"] if isinstance(v, dict) else v for v in t["values"]]


def read_attribute_domains(path: Path, attribute_types: list[dict], names: dict[str, str],
                           categories: set[str]) -> list[dict]:
    """The rules of ``path`` as ``{type, target, mode, values}`` dicts, in file order (a row with both ``+`` and
    ``-`` items gives an "add" rule, then a "remove" rule).  Raises ``SystemExit`` naming file, line and field
    on an unknown type, value, set, category or concept, or a printed name that does not match."""
    known = {t["id"]: _value_ids(t) for t in attribute_types}
    sets: dict[tuple[str, str], list[str]] = {}
    rules: list[dict] = []

    def expand(items: list[str], tid: str, n: int) -> list[str]:
        out: list[str] = []
        for it in items:
            if it.startswith("@"):
                if (tid, it[1:]) not in sets:
                    raise SystemExit(f"{path}:{n}: unknown value set {it!r} of type {tid!r} (define it first)")
                vals = sets[(tid, it[1:])]
            elif it in known[tid]:
                vals = [it]
            else:
                raise SystemExit(f"{path}:{n}: {it!r} is not a value of attribute type {tid!r}")
            out.extend(v for v in vals if v not in out)
        return out

    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = re.split(r"\t+", line.strip())
        if len(cols) < 3:
            raise SystemExit(f"{path}:{n}: need at least 3 tab-separated fields, got {len(cols)}")
        if cols[0].startswith("@"):
            name, tid = cols[0][1:], cols[1]
            if tid not in known:
                raise SystemExit(f"{path}:{n}: unknown attribute type {tid!r}")
            sets[(tid, name)] = expand([x.strip() for x in cols[2].split(",") if x.strip()], tid, n)
            continue
        tid, target, spec = cols[0], cols[1], cols[2].strip()
        if tid not in known:
            raise SystemExit(f"{path}:{n}: unknown attribute type {tid!r}")
        if target not in categories:
            if target not in names:
                raise SystemExit(f"{path}:{n}: {target!r} is neither a category nor a concept")
            if len(cols) < 4 or cols[3] != names[target]:
                raise SystemExit(f"{path}:{n}: {target} is {names[target]!r}, not {cols[3] if len(cols) > 3 else ''!r}")
        if spec == "-":
            rules.append({"type": tid, "target": target, "mode": "only", "values": []})
            continue
        items = [x.strip() for x in spec.split(",") if x.strip()]
        signed = [x for x in items if x[0] in "+-"]
        if signed and len(signed) != len(items):
            raise SystemExit(f"{path}:{n}: mix of plain and +/- values (write either a plain list or +x/-x items)")
        if not signed:
            rules.append({"type": tid, "target": target, "mode": "only", "values": expand(items, tid, n)})
            continue
        plus = expand([x[1:] for x in items if x[0] == "+"], tid, n)
        minus = expand([x[1:] for x in items if x[0] == "-"], tid, n)
        if plus:
            rules.append({"type": tid, "target": target, "mode": "add", "values": plus})
        if minus:
            rules.append({"type": tid, "target": target, "mode": "remove", "values": minus})
    return rules
