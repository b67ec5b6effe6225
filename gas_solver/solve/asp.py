"""The clingo (answer-set programming) models: structures and labelled scenes.

Each program lives in its own ``.lp`` file next to this module; Python only
adds facts and constants and reads typed output predicates (never parses
``str(symbol)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import clingo

from .structures import Structure

__all__ = ["structure_models"]

_HERE = Path(__file__).parent


def _program(name: str) -> str:
    return (_HERE / name).read_text()


def structure_models(lim: dict, splits) -> Iterator[Structure]:
    """Every model of ``structures.lp`` for each (objects, slots, edges) split (isomorphic duplicates possible)."""
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
        found: list[Structure] = []

        def on_model(model, n=n, found=found):
            attrs = [0] * n
            edges = []
            for sym in model.symbols(shown=True):
                if sym.name == "edge":
                    edges.append((sym.arguments[0].number, sym.arguments[1].number))
                elif sym.name == "slots":
                    attrs[sym.arguments[0].number] = sym.arguments[1].number
            found.append(Structure(n, tuple(attrs), tuple(sorted(edges))))

        ctl.solve(on_model=on_model)
        yield from found
