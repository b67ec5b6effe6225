"""Exact samplers: chi-square goodness of fit over fully enumerated spaces, determinism, validity."""

from __future__ import annotations

import dataclasses
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from brute_oracle import space, stabiliser, weights
from gas_solver.constraints.check import violations
from gas_solver.constraints.model import (
    AttributeCondition,
    Bounds,
    CardinalityConstraint,
    ConceptSet,
    ConstraintSpec,
    IntRange,
    Origin,
    Pattern,
    PatternConstraint,
    PatternEdge,
    PatternNode,
    SoftConstraint,
)
from gas_solver.errors import GasError
from gas_solver.scene import canonical_id
from gas_solver.solve.exact_random import IntCategorical
from gas_solver.solve.sample import Sampler, parse_strata
from gas_solver.taxonomy import load_taxonomy

O = Origin("spec.toml", 1, 1, "test")
# toy taxonomy, complexity <= 3, 3D modality with exactly one scene attribute: 1,295 graphs x 2 styles
BASE = dict(complexity=IntRange(1, 3), modality="3d", scene_attributes=IntRange(1, 1))


def node(var, *cats, attrs=()):
    return PatternNode(var, ConceptSet(categories=frozenset(cats)), tuple(attrs))


@pytest.fixture(scope="module")
def toy(data_dir):
    return load_taxonomy(data_dir / "toy.toml")


@pytest.fixture(scope="module")
def base_space(toy):
    sp = ConstraintSpec(bounds=Bounds(**BASE))
    return sp, space(toy, sp, 3)


def _observed(scenes, keys):
    memo: dict = {}  # equal Scene values (same object order) have equal ids; saves most canonicalisations
    c = Counter(memo[s] if s in memo else memo.setdefault(s, canonical_id(s)) for s in scenes)
    assert set(c) <= set(keys), "sampled a scene outside the space"
    return np.array([c[k] for k in keys], dtype=float)


def _chi2(obs, probs):
    exp = np.array([float(p) for p in probs]) * obs.sum()
    return chisquare(obs, exp).pvalue


def test_uniform_fits_chi_square(toy, base_space):
    sp, truth = base_space
    assert len(truth) >= 2000
    n = 52 * len(truth)
    scenes = Sampler(sp, toy).sample(n, seed=11)
    keys = sorted(truth)
    assert _chi2(_observed(scenes, keys), [Fraction(1, len(keys))] * len(keys)) > 0.01


def test_weighted_fits_chi_square(toy):
    sp = ConstraintSpec(bounds=Bounds(**BASE), soft=(
        SoftConstraint(Pattern((node("a", "mammal"),)), Fraction(3), O),
        SoftConstraint(Pattern((node("a"), node("b")), (PatternEdge("a", "b", frozenset({"on_top_of"})),)),
                       Fraction(1, 2), O),
        SoftConstraint(Pattern((node("a", attrs=[AttributeCondition("colour")]),)), Fraction(5, 4), O)))
    truth = space(toy, sp, 3)
    w = weights(toy, sp, truth)
    keys = sorted(truth)
    z = sum(w.values())
    sampler = Sampler(sp, toy, distribution="weighted")
    assert sampler.z == z
    scenes = sampler.sample(55 * len(keys), seed=5)
    assert _chi2(_observed(scenes, keys), [w[k] / z for k in keys]) > 0.01


def test_stratified_fits_chi_square(toy, base_space):
    sp, truth = base_space
    shares = {1: Fraction(1, 5), 2: Fraction(3, 10), 3: Fraction(1, 2)}
    per = Counter(s.complexity for s in truth.values())
    keys = sorted(truth)
    probs = [shares[truth[k].complexity] / per[truth[k].complexity] for k in keys]
    scenes = Sampler(sp, toy, distribution="stratified", strata={"complexity": shares}).sample(52 * len(keys), seed=3)
    assert _chi2(_observed(scenes, keys), probs) > 0.01
    by_c = Counter(s.complexity for s in scenes)
    assert abs(by_c[1] / len(scenes) - 0.2) < 0.01


def _structure_of(scene):
    from gas_solver.solve.structures import canonical_structure

    return canonical_structure(scene.n_objects, [len(o.attributes) for o in scene.objects],
                               [(r.subject, r.object) for r in scene.relations])


def test_per_structure_reproduces_its_own_law(toy, base_space):
    """P(scene O on S) = (|Aut S| / |Stab O|) / (#structures * #labellings(S)) — the reference's law."""
    sp, truth = base_space
    keys = sorted(truth)
    by_struct: dict = {}
    orbit = {}
    for k in keys:
        s = truth[k]
        st_ = _structure_of(s)
        orbit[k] = (st_.key, Fraction(st_.group_order, stabiliser(s)))
        by_struct[st_.key] = by_struct.get(st_.key, 0) + orbit[k][1]
    n_struct = len(by_struct)
    probs = [orbit[k][1] / (n_struct * by_struct[orbit[k][0]]) for k in keys]
    scenes = Sampler(sp, toy, distribution="per-structure").sample(52 * len(keys), seed=8)
    obs = _observed(scenes, keys)
    assert _chi2(obs, probs) > 0.01
    # and it is far from uniform: the uniform law is rejected outright
    assert _chi2(obs, [Fraction(1, len(keys))] * len(keys)) < 1e-12


def test_rejection_for_global_constraints_is_exactly_uniform(toy):
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 3), acyclic=False, repeat_objects=False),
                        patterns=(PatternConstraint(Pattern((node("a", "animal"),)), "require", O),),
                        cardinalities=(CardinalityConstraint("attribute_type", IntRange(0, 0), O,
                                                             attribute_type="size"),))
    truth = space(toy, sp, 3)
    keys = sorted(truth)
    sampler = Sampler(sp, toy)
    assert sampler.total == len(keys)
    scenes = sampler.sample(60 * len(keys), seed=21)
    assert _chi2(_observed(scenes, keys), [Fraction(1, len(keys))] * len(keys)) > 0.01


@pytest.mark.parametrize("distribution", ["uniform", "per-structure"])
def test_same_output_for_1_2_4_workers(toy, distribution, monkeypatch):
    import gas_solver.solve.sample.chunks as chunks_mod

    monkeypatch.setattr(chunks_mod, "CHUNK_SIZE", 300)  # several chunks without long runs
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 5), acyclic=False, scene_attributes=IntRange(0, 2)))
    sampler = Sampler(sp, toy, distribution=distribution)
    n = 5 * 300 + 77
    one = sampler.sample(n, seed=42)
    assert sampler.sample(n, seed=42, workers=2) == one
    assert sampler.sample(n, seed=42, workers=4) == one
    assert sampler.sample(n, seed=43) != one
    assert one[:100] == sampler.sample(100, seed=42)  # a prefix of a longer run
    assert sampler.sample_chunk(42, 1, 300) == one[300:600]


def test_unique_draws_without_replacement(toy):
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 2)))
    sampler = Sampler(sp, toy)
    everything = sampler.sample(sampler.total, seed=1, unique=True)
    assert len({canonical_id(s) for s in everything}) == sampler.total == 10 + 61 + 55
    assert sampler.sample(sampler.total, seed=1, unique=True, workers=2) == everything
    with pytest.raises(GasError, match="only 126"):
        sampler.sample(127, seed=1, unique=True)


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), acyclic=st.booleans(), repeat=st.booleans(), semantic=st.booleans(),
       forbid_red=st.booleans(), need_relation=st.booleans(), one_mammal=st.booleans(),
       distribution=st.sampled_from(["uniform", "weighted", "per-structure"]))
def test_every_sampled_scene_satisfies_its_constraints(toy, seed, acyclic, repeat, semantic, forbid_red, need_relation,
                                                      one_mammal, distribution):
    pats = []
    if forbid_red:
        pats.append(PatternConstraint(Pattern((node("a", attrs=[AttributeCondition("colour", frozenset({"red"}))]),)),
                                      "forbid", O))
    if need_relation:
        pats.append(PatternConstraint(Pattern((node("a"), node("b")), (PatternEdge("a", "b"),)), "require", O))
    cards = (CardinalityConstraint("objects", IntRange(0, 1), O, concepts=ConceptSet(categories=frozenset({"mammal"}))),
             ) if one_mammal else ()
    soft = (SoftConstraint(Pattern((node("a", "bird"),)), Fraction(5, 2), O),)
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(2, 5), acyclic=acyclic, repeat_objects=repeat,
                                      scene_attributes=IntRange(0, 1)),
                        semantic=semantic, patterns=tuple(pats), cardinalities=cards, soft=soft)
    for s in Sampler(sp, toy, distribution=distribution).sample_chunk(seed, 0, 60):
        assert violations(s, sp, toy) == []


def test_stratified_rejects_empty_strata_and_bad_text(toy):
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 3)))
    with pytest.raises(GasError, match="complexity=7 has no scenes"):
        Sampler(sp, toy, distribution="stratified", strata={"complexity": {3: 1, 7: 1}})
    with pytest.raises(GasError, match="needs strata"):
        Sampler(sp, toy, distribution="stratified")
    with pytest.raises(GasError, match="bad strata"):
        parse_strata("size:3=1")
    assert parse_strata("shape:1/1/0=0.5,2/0/1=0.5") == {"shape": {(1, 1, 0): Fraction(1, 2), (2, 0, 1): Fraction(1, 2)}}
    shape = Sampler(sp, toy, distribution="stratified", strata=parse_strata("shape:2/0/1=1")).sample(50, seed=0)
    assert {s.shape for s in shape} == {(2, 0, 1)}


def test_int_categorical_is_exact_for_huge_weights():
    w = [3 * 10**40, 10**40, 0, 10**40 + 1]
    cat = IntCategorical(w)
    assert cat.probabilities() == [Fraction(x, sum(w)) for x in w]
    draws = cat.draw(np.random.default_rng(0), 50_000)
    c = np.bincount(draws, minlength=4)
    assert c[2] == 0
    assert chisquare(c[[0, 1, 3]], np.array([3, 1, 1]) / 5 * 50_000).pvalue > 0.01
    # ties on the top bits are resolved by the low bits (weights that differ only below bit 62 of the total)
    fine = IntCategorical([2**100, 1, 2**100])
    d = fine.draw(np.random.default_rng(1), 20_000)
    assert set(d.tolist()) <= {0, 1, 2} and abs((d == 0).mean() - 0.5) < 0.02


def test_batch_constructed_scenes_equal_public_constructors(toy):
    """The batch path sets dataclass fields directly; the values must be what the constructors build."""
    from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject

    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 6), acyclic=False, scene_attributes=IntRange(0, 2)),
                        patterns=(PatternConstraint(Pattern((node("a", attrs=[AttributeCondition("size")]),)),
                                                    "forbid", O),))
    for s in Sampler(sp, toy).sample(3000, seed=4):
        rebuilt = Scene(tuple(SceneObject(o.concept, tuple(Attribute(a.type, a.value) for a in o.attributes))
                              for o in s.objects),
                        tuple(Relation(r.subject, r.object, r.predicate) for r in s.relations),
                        tuple(SceneAttribute(a.type, a.value) for a in s.scene_attributes), s.modality)
        assert rebuilt == s and hash(rebuilt) == hash(s)
        assert rebuilt.objects == s.objects and rebuilt.relations == s.relations
        assert canonical_id(rebuilt) == canonical_id(s)
        assert list(s.relations) == sorted(s.relations)
        assert all(list(o.attributes) == sorted(o.attributes) for o in s.objects)


def _req(pattern, at_least=1):
    return PatternConstraint(pattern, "require", O, at_least=at_least)


@pytest.mark.parametrize("weighted", [False, True])
def test_marked_matches_for_required_patterns_fit_chi_square(data_dir, weighted):
    """Required one-edge and one-node patterns are sampled by marked matches (no blind rejection)."""
    tax = load_taxonomy(data_dir / "tiny_a.toml")
    soft = (SoftConstraint(Pattern((node("a", "animal"),)), Fraction(3), O),
            SoftConstraint(Pattern((node("a"), node("b")), (PatternEdge("a", "b", frozenset({"near"})),)),
                           Fraction(1, 4), O)) if weighted else ()
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 4), acyclic=False),
                        patterns=(_req(Pattern((node("a", "animal"), node("b")), (PatternEdge("a", "b"),))),
                                  _req(Pattern((node("a", "animal"),)))),
                        soft=soft)
    truth = space(tax, sp, 4)
    keys = sorted(truth)
    w = weights(tax, sp, truth)
    z = sum(w.values())
    sampler = Sampler(sp, tax, distribution="weighted" if weighted else "uniform")
    assert sampler.model.required_marks and sampler.total == len(keys) > 30
    # scenes with two matches (two animals; a -> b and b -> a) exist, so the 1/matches correction shows
    assert any(s.n_objects - sum(o.concept not in ("cat", "dog") for o in s.objects) > 1 for s in truth.values())
    scenes = sampler.sample(60 * len(keys), seed=17)
    probs = [w[k] / z for k in keys] if weighted else [Fraction(1, len(keys))] * len(keys)
    assert _chi2(_observed(scenes, keys), probs) > 0.01


def test_seed_graph_on_the_default_taxonomy_samples_without_refusing():
    """A rare required edge (a brown dog next to a wooden bench) would defeat blind rejection."""
    from gas_solver.constraints import parse_constraints

    tax = load_taxonomy()
    dog = tax.search("dog")[0].id
    bench = tax.search("bench")[0].id
    text = (f'[space]\ncomplexity = [5, 7]\nobjects = [2, 3]\n[[require]]\n'
            f'pattern = "d:{dog}{{colour=brown}} -[next_to]-> b:{bench}{{material=wooden}}"\n')
    sp = parse_constraints(text, tax)
    for s in Sampler(sp, tax).sample(30, seed=3):
        assert violations(s, sp, tax) == []


def test_raw_asp_rules_by_exact_rejection_fit_chi_square(toy):
    """Raw rules cannot be counted; draws of the file without them, filtered by clingo, stay exactly uniform."""
    from gas_solver.constraints.model import RawAsp

    rules = ':- concept(O, "dog").\n:- rel(S, P, O), category(O, "bird").\nhas_rel(S) :- rel(S, P, O).\n' \
            ':- object(O), category(O, "fruit"), not has_rel(O), attr(O, "colour", V).'
    base = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 3), acyclic=False))
    sp = dataclasses.replace(base, raw_asp=(RawAsp(rules, Origin("f.toml", 4, 1, "asp")),))

    def passes(s):  # the rules' meaning, written independently in Python
        if any(o.concept == "dog" for o in s.objects):
            return False
        if any(toy.is_a(toy.object(s.objects[r.object].concept).category, "bird") for r in s.relations):
            return False
        subjects = {r.subject for r in s.relations}
        return not any(toy.is_a(toy.object(o.concept).category, "fruit") and i not in subjects
                       and any(a.type == "colour" for a in o.attributes) for i, o in enumerate(s.objects))

    truth = {k: s for k, s in space(toy, base, 3).items() if passes(s)}
    keys = sorted(truth)
    sampler = Sampler(sp, toy)
    assert sampler.total is None and sampler.proposal_total > len(keys)
    scenes = sampler.sample(50 * len(keys), seed=2)
    assert _chi2(_observed(scenes, keys), [Fraction(1, len(keys))] * len(keys)) > 0.01
    with pytest.raises(GasError, match="need the ASP backend"):
        Sampler(sp, toy, backend="cpsat")
    with pytest.raises(GasError, match="not available with raw ASP rules"):
        Sampler(sp, toy, distribution="stratified", strata={"complexity": {2: 1}})


def test_at_least_one_rare_object_uses_marks_not_blind_rejection(data_dir):
    """'At least one bench' among ~17k concepts: marked proposals keep the sampler exact and fast."""
    from gas_solver.constraints import parse_constraints

    tax = load_taxonomy()
    bench = tax.search("bench")[0].id
    sp = parse_constraints(f'[space]\ncomplexity = [2, 5]\n[[cardinality]]\nkind = "objects"\n'
                           f'objects = ["{bench}"]\nat_least = 1\n', tax)
    sampler = Sampler(sp, tax)
    assert sampler.model.sampler_marks
    for s in sampler.sample(200, seed=5):
        assert violations(s, sp, tax) == [] and any(o.concept == bench for o in s.objects)


def test_at_least_one_cardinality_by_marks_fits_chi_square(data_dir):
    tax = load_taxonomy(data_dir / "tiny_a.toml")
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 4), acyclic=False), cardinalities=(
        CardinalityConstraint("objects", IntRange(1, None), O, concepts=ConceptSet(concepts=frozenset({"cat"}))),
        CardinalityConstraint("attribute_type", IntRange(1, None), O, attribute_type="colour")))
    truth = space(tax, sp, 4)
    keys = sorted(truth)
    sampler = Sampler(sp, tax)
    assert len(sampler.model.sampler_marks) == 2 and sampler.total == len(keys)
    scenes = sampler.sample(60 * len(keys), seed=8)
    assert _chi2(_observed(scenes, keys), [Fraction(1, len(keys))] * len(keys)) > 0.01


@pytest.mark.parametrize("weighted", [False, True])
def test_batch_rejection_for_global_constraints_fits_chi_square(toy, weighted):
    """Cardinalities and distinct concepts without marks: numpy batches of the local space, filtered."""
    soft = (SoftConstraint(Pattern((node("a", "bird"),)), Fraction(3), O),) if weighted else ()
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 3), acyclic=False, repeat_objects=False),
                        cardinalities=(CardinalityConstraint("objects", IntRange(0, 1), O,
                                                             concepts=ConceptSet(categories=frozenset({"mammal"}))),),
                        soft=soft)
    truth = space(toy, sp, 3)
    keys = sorted(truth)
    w = weights(toy, sp, truth)
    z = sum(w.values())
    sampler = Sampler(sp, toy, distribution="weighted" if weighted else "uniform")
    assert sampler.law.reject is not None
    scenes = sampler.sample(50 * len(keys), seed=23)
    probs = [w[k] / z for k in keys] if weighted else [Fraction(1, len(keys))] * len(keys)
    assert _chi2(_observed(scenes, keys), probs) > 0.01
    assert sampler.sample(10, seed=23) == scenes[:10]


@pytest.mark.parametrize("distribution", ["uniform", "weighted", "stratified", "per-structure"])
def test_default_space_draws_are_valid(distribution):
    from gas_solver.constraints import load_default_constraints

    tax = load_taxonomy()
    sp = load_default_constraints(tax)
    strata = {"complexity": {3: 1, 8: 1}} if distribution == "stratified" else None
    scenes = Sampler(sp, tax, distribution=distribution, strata=strata).sample(300, seed=12)
    assert all(violations(s, sp, tax) == [] for s in scenes)
    if distribution == "stratified":
        assert {s.complexity for s in scenes} == {3, 8}


def test_per_scene_path_stratified_with_global_constraints_fits_chi_square(data_dir):
    """Strata with required patterns and cardinalities go one scene at a time (marks, exact rejection)."""
    tax = load_taxonomy(data_dir / "tiny_a.toml")
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 4), acyclic=False),
                        patterns=(_req(Pattern((node("a", "animal"),))),),
                        cardinalities=(CardinalityConstraint("attribute_type", IntRange(0, 1), O,
                                                             attribute_type="colour"),))
    truth = space(tax, sp, 4)
    keys = sorted(truth)
    per = Counter(s.complexity for s in truth.values())
    shares = {c: Fraction(c, 10) for c in per}
    total_share = sum(shares.values())
    probs = [shares[truth[k].complexity] / total_share / per[truth[k].complexity] for k in keys]
    sampler = Sampler(sp, tax, distribution="stratified", strata={"complexity": shares})
    assert sampler.law.reject is None and sampler.model.sampler_marks
    scenes = sampler.sample(60 * len(keys), seed=31)
    assert _chi2(_observed(scenes, keys), probs) > 0.01


@pytest.mark.parametrize("weighted", [False, True])
def test_reference_draws_and_batches_have_the_same_law(toy, weighted):
    """The scalar draws (solve/sample/scalar.py, the reference) and the numpy batches (the production path)
    both fit the exact law of the space, and each other (chi-square homogeneity on the same keys)."""
    from scipy.stats import chi2_contingency

    from gas_solver.solve.sample.scalar import draw_scenes

    soft = (SoftConstraint(Pattern((node("a", "mammal"),)), Fraction(3), O),) if weighted else ()
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 2), acyclic=False, scene_attributes=IntRange(0, 1)),
                        soft=soft)
    truth = space(toy, sp, 3)
    keys = sorted(truth)
    sampler = Sampler(sp, toy, distribution="weighted" if weighted else "uniform")
    assert not sampler.model.has_global  # a product-form space: sample() draws batches
    n = 40 * len(keys)
    batches = _observed(sampler.sample(n, seed=5), keys)
    reference = _observed(draw_scenes(sampler.tables, 5, 0, n), keys)
    if weighted:
        w = weights(toy, sp, truth)
        z = sum(w.values())
        probs = [Fraction(w[k]) / z for k in keys]
    else:
        probs = [Fraction(1, len(keys))] * len(keys)
    assert _chi2(batches, probs) > 0.01 and _chi2(reference, probs) > 0.01
    assert chi2_contingency(np.stack([batches, reference]))[1] > 0.01
