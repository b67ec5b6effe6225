"""Is-a between the taxonomy's concepts, from WordNet's hypernym pointers.

A foil question ("Is there a ship?") is wrong when the scene holds a kind of ship (a PT boat), and open when it
holds something more general ("Is there a guide dog?" beside a dog).  The question realizer needs the taxonomy's
own is-a graph over concepts to avoid both, so the build stores, for every concept, its nearest more general
concepts that are also in the taxonomy (walking hypernym pointers up through synsets that are not).

>>> from pathlib import Path  # doctest: +SKIP
>>> object_isa(WordNet.read(Path("/usr/share/wordnet")), ["wn:02084071", "wn:02109961"])  # doctest: +SKIP
{'wn:02109961': ['wn:02084071']}
"""

from __future__ import annotations

from wordnet import WordNet


def object_isa(wn: WordNet, ids: list[str], anchors: dict[str, int] | None = None) -> dict[str, list[str]]:
    """``{concept id: sorted nearest ancestor concept ids}`` for the concepts ``ids`` ("wn:" + offset); concepts
    with no ancestor among ``ids`` are left out.  A concept added by hand ("gas:stop_sign") has no synset of
    its own: ``anchors`` gives the nearest synset above it (street sign), its first candidate ancestor."""
    anchors = anchors or {}
    wordnet_ids = [i for i in ids if i.startswith("wn:")]
    kept = {int(i[3:]) for i in wordnet_ids}
    out: dict[str, list[str]] = {}
    for i in wordnet_ids + [i for i in ids if i in anchors]:
        found: set[int] = set()
        seen: set[int] = set()
        stack = [anchors[i]] if i in anchors else list(wn.synsets[int(i[3:])].hypernyms)
        while stack:
            h = stack.pop()
            if h in seen:
                continue
            seen.add(h)
            if h in kept:
                found.add(h)  # nearest on this path: stop here
            else:
                stack.extend(wn.synsets[h].hypernyms)
        if found:
            out[i] = [f"wn:{h:08d}" for h in sorted(found)]
    return out
