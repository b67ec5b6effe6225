"""The taxonomy build is deterministic and the committed default is its output.

Needs the WordNet 3.0 database files (Debian wordnet-base; CI installs it) and inflect
(the taxonomy-build extra).  Two builds run in fresh processes with different hash seeds,
so set/dict iteration order cannot leak into the bytes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gas_solver.taxonomy.load import default_taxonomy_path

from .conftest import BUILD_DIR, ROOT

WORDNET = Path("/usr/share/wordnet")
needs_wordnet = pytest.mark.skipif(not (WORDNET / "data.noun").exists(),
                                   reason="WordNet 3.0 not installed (apt-get install wordnet-base)")


def _start(out: Path, hash_seed: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    return subprocess.Popen([sys.executable, str(BUILD_DIR / "build.py"), "--wordnet", str(WORDNET), "-o", str(out)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen, out: Path) -> bytes:
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return out.read_bytes()


@pytest.mark.slow
@needs_wordnet
def test_build_is_deterministic_and_matches_committed(tmp_path, build_modules):
    # both builds at once (two processes): half the wall time on two cores
    pa, pb = _start(tmp_path / "a.json.gz", "1"), _start(tmp_path / "b.json.gz", "2")
    a, b = _finish(pa, tmp_path / "a.json.gz"), _finish(pb, tmp_path / "b.json.gz")
    assert a == b, "two builds differ"
    committed = default_taxonomy_path().read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(committed).hexdigest(), (
        "gas_solver/data/default_taxonomy.json.gz is stale: run `python taxonomy/build.py` and commit it")


def test_encode_is_canonical(build_modules):
    build, _ = build_modules
    doc1 = {"b": [1, 2], "a": {"y": 1, "x": "é"}}
    doc2 = {"a": {"x": "é", "y": 1}, "b": [1, 2]}
    assert build.encode(doc1) == build.encode(doc2)
    assert build.encode(doc1)[4:8] == b"\0\0\0\0"  # gzip mtime field is zero


def test_imagenet_list_reads_the_same_from_text(tmp_path, build_modules):
    build, _ = build_modules
    offsets = build.read_imagenet(build.DEFAULT_IMAGENET)
    assert len(offsets) == 21843
    assert build.imagenet_text(offsets) == build.DEFAULT_IMAGENET.read_text(encoding="ascii")
    strict = build.read_imagenet(build.DEFAULT_IMAGENET12K)
    assert len(strict) == 11821
    assert build.imagenet_text(strict) == build.DEFAULT_IMAGENET12K.read_text(encoding="ascii")


def test_write_is_atomic_and_validates(tmp_path, build_modules):
    build, _ = build_modules
    out = tmp_path / "t.json.gz"
    out.write_bytes(b"old")
    bad = {"format": "gas-taxonomy/1", "categories": [{"id": "a", "parent": "missing"}]}
    from gas_solver.errors import TaxonomyError

    with pytest.raises(TaxonomyError):
        build.write_taxonomy(bad, out)
    assert out.read_bytes() == b"old"  # nothing half-written
    assert list(tmp_path.iterdir()) == [out]
    good = {"format": "gas-taxonomy/1", "categories": [{"id": "a"}], "object_columns": ["id", "name", "category"],
            "objects": [["x", "x", "a"]]}
    build.write_taxonomy(good, out)
    from gas_solver.taxonomy import load_taxonomy

    assert load_taxonomy(out).object("x").name == "x"


def test_a_mass_category_word_is_said_first(build_modules):
    """Two concepts that share a name: the less familiar takes its category's word, after the name ("crane bird"),
    but a category word that is a mass noun goes first ("kitchen beaker", "sports pin": "beaker kitchenware" made
    the whole name a mass noun, "some beaker kitchenware"); the familiarity score still reads the word after the
    name, so its place moves no concept's tier."""
    import types

    fam = sys.modules["familiarity"]  # imported by build.py (the fixture)
    thing = lambda: types.SimpleNamespace(qualified=False, scored_name="")  # noqa: E731
    rows = [["a", "beaker", "container", 4.0, [], thing()], ["b", "beaker", "kitchenware", 3.0, [], thing()],
            ["c", "pin", "tool", 4.0, [], thing()], ["d", "pin", "sports_equipment", 3.0, [], thing()],
            ["e", "crane", "device", 4.0, [], thing()], ["f", "crane", "bird", 3.0, [], thing()]]
    assert fam.unique_names(rows, ["id", "name", "category", "familiarity", "synonyms"],
                            fam.Familiar(lambda w, lang: 1.0, None)) == 3
    assert [r[1] for r in rows] == ["beaker", "kitchen beaker", "pin", "sports pin", "crane", "crane bird"]
    assert [r[5].scored_name for r in rows[1::2]] == ["beaker kitchenware", "pin sports gear", ""]
    assert all(r[5].qualified for r in rows[1::2]) and [r[4] for r in rows[1::2]] == [["beaker"], ["pin"], ["crane"]]
