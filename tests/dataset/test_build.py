"""Building datasets: layout, Hugging Face loading, hold-outs, determinism, resume, refusal, uniqueness."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from gas_solver.constraints.check import pattern_matches
from gas_solver.constraints.pattern import parse_pattern
from gas_solver.dataset import DatasetError, compute_stats, read_manifest, verify_dataset
from gas_solver.dataset.manifest import STATE_DIR
from gas_solver.dataset.schema import COLUMNS, iter_shard_rows
from gas_solver.dataset.splits import combo_hash, combos_of
from gas_solver.errors import GasError
from gas_solver.scene import canonical_id, scene_from_dict
from gas_solver.solve.sample import CHUNK_SIZE, Sampler
from gas_solver.taxonomy import load_taxonomy

from .helpers import REFERENCE, TOY_SPACE, TOY_TAXONOMY, folder_bytes, toy_build


def rows_of(folder: Path, manifest: dict, fmt: str = "parquet"):
    for shard in manifest["shards"]:
        if shard["format"] == fmt:
            for row in iter_shard_rows(folder / shard["path"]):
                yield shard["split"], row


# -- layout and content --------------------------------------------------------

def test_layout_manifest_and_rows(reference):
    out, m = reference
    assert not (out / STATE_DIR).exists()
    names = sorted(p.name for p in (out / "data").iterdir())
    n_train = sum(1 for s in m["shards"] if s["split"] == "train" and s["format"] == "parquet")
    assert f"train-00000-of-{n_train:05d}.parquet" in names
    assert sorted(p.name for p in (out / "jsonl").iterdir()) == [n.replace(".parquet", ".jsonl") for n in names]
    assert m["requested"] == 3000 and m["written"]["total"] == 3000
    assert m["written"]["train"] + m["written"]["test"] == 3000
    # the manifest holds the constraint file itself and the taxonomy identity
    assert m["constraints"]["text"] == TOY_SPACE.read_text()
    assert m["taxonomy"]["hash"] == load_taxonomy(TOY_TAXONOMY).hash
    assert int(m["space"]["size"]) == Sampler_total()
    rows = [r for _, r in rows_of(out, m)]
    assert sorted(r["index"] for r in rows) == list(range(3000))
    assert list(rows[0]) == [c for c, _ in COLUMNS]


def Sampler_total():
    from gas_solver.constraints.parse import parse_constraints

    tax = load_taxonomy(TOY_TAXONOMY)
    return Sampler(parse_constraints(TOY_SPACE, tax), tax).total


def test_rows_are_the_sampler_draws(reference):
    """Row k is draw k of the sampler with the build's seed; ids are canonical; JSON and Parquet agree."""
    from gas_solver.constraints.parse import parse_constraints

    out, m = reference
    tax = load_taxonomy(TOY_TAXONOMY)
    sampler = Sampler(parse_constraints(TOY_SPACE, tax), tax)
    chunk = sampler.sample_chunk(REFERENCE["seed"], 0, CHUNK_SIZE)
    by_index = {r["index"]: r for _, r in rows_of(out, m)}
    for k in range(min(50, CHUNK_SIZE)):
        row = by_index[k]
        assert row["draw"] == k
        scene = scene_from_dict(orjson.loads(row["scene"]))
        assert row["id"] == canonical_id(scene) == canonical_id(chunk[k])
        assert (row["complexity"], row["n_objects"], row["n_attributes"], row["n_relations"]) == \
            (scene.complexity, *scene.shape)
        assert row["n_questions"] == len(orjson.loads(row["questions"])) > 0
        assert row["caption"]
    assert sorted(rows_of(out, m, "jsonl"), key=lambda t: t[1]["index"]) == \
        sorted(rows_of(out, m, "parquet"), key=lambda t: t[1]["index"])


def test_huggingface_loads_every_layout(reference, tmp_path):
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    out, m = reference
    cache = str(tmp_path / "hf")
    parquet = datasets.load_dataset("parquet", data_dir=str(out / "data"), cache_dir=cache)
    jsonl = datasets.load_dataset("json", data_dir=str(out / "jsonl"), cache_dir=cache)
    card = datasets.load_dataset(str(out), cache_dir=cache)  # the README's YAML configs
    for ds in (parquet, jsonl, card):
        assert {k: len(v) for k, v in ds.items()} == {"train": m["written"]["train"], "test": m["written"]["test"]}
        assert ds["train"].column_names == [c for c, _ in COLUMNS]
    assert parquet["test"][0] == jsonl["test"][0]
    # single-format folders load with data_dir = the folder itself
    single = tmp_path / "single"
    toy_build(single, n=300, formats=("jsonl",), split="train=0.5,validation=0.5")
    ds = datasets.load_dataset("json", data_dir=str(single), cache_dir=cache)
    assert sorted(ds) == ["train", "validation"] and sum(len(v) for v in ds.values()) == 300
    single_pq = tmp_path / "single_pq"
    toy_build(single_pq, n=300)
    assert len(datasets.load_dataset("parquet", data_dir=str(single_pq), cache_dir=cache)["train"]) == 300
    # a split name datasets does not infer from file names loads through the card's configs
    notes = []
    custom = tmp_path / "custom"
    toy_build(custom, n=300, split="train=0.5,ood=0.5", log=notes.append)
    assert any("load split 'ood' with load_dataset(DIR)" in n for n in notes)
    ds = datasets.load_dataset(str(custom), cache_dir=cache)
    assert sorted(ds) == ["ood", "train"] and sum(len(v) for v in ds.values()) == 300


# -- held-out splits -------------------------------------------------------------

def test_relation_pair_holdout_property(reference):
    out, m = reference
    seed, t = m["seed"], int(m["holdout"]["threshold"])
    train_combos, test_rows = set(), 0
    for split, row in rows_of(out, m):
        combos = combos_of(orjson.loads(row["scene"]), "relation-pairs")
        held = {c for c in combos if combo_hash(seed, c) < t}
        if split == "train":
            assert not held, row["id"]
            train_combos |= combos
        else:
            assert held, row["id"]  # every test scene has a combination held out of train
            test_rows += 1
    held_anywhere = {c for c in train_combos if combo_hash(seed, c) < t}
    assert not held_anywhere
    assert test_rows == m["written"]["test"]
    # the pilot is the whole build here (3,000 < PILOT_SIZE): the requested share is met up to ties
    assert abs(test_rows / 3000 - 0.2) < 0.03
    assert verify_dataset(out, deep=True) == []


def test_attribute_pair_holdout_with_validation(tmp_path):
    m = toy_build(tmp_path / "ds", n=2000, seed=1, split="train=0.7,validation=0.1,test=0.2", holdout="attribute-pairs")
    seed, t = m["seed"], int(m["holdout"]["threshold"])
    seen = {"train": set(), "validation": set(), "test": set()}
    for split, row in rows_of(tmp_path / "ds", m):
        combos = combos_of(orjson.loads(row["scene"]), "attribute-pairs")
        held = any(combo_hash(seed, c) < t for c in combos)
        assert held == (split == "test")
        seen[split] |= {c for c in combos if combo_hash(seed, c) < t}
    assert seen["test"] and not seen["train"] and not seen["validation"]
    assert m["written"]["validation"] > 0


def test_pattern_holdout(tmp_path):
    pattern = "a:animal -[riding]-> b:*"
    m = toy_build(tmp_path / "ds", n=1500, holdout=f"pattern:{pattern}")
    tax = load_taxonomy(TOY_TAXONOMY)
    p = parse_pattern(pattern, tax)
    counts = {"train": 0, "test": 0}
    for split, row in rows_of(tmp_path / "ds", m):
        matched = pattern_matches(scene_from_dict(orjson.loads(row["scene"])), p, tax) > 0
        assert matched == (split == "test")
        counts[split] += 1
    assert counts["test"] > 0 and counts["train"] > 0
    assert "a:animal -[riding]-> b:*" in (tmp_path / "ds" / "README.md").read_text()


def test_random_split_keeps_equal_scenes_together(reference, tmp_path):
    m = toy_build(tmp_path / "ds", n=2000, split="train=0.5,test=0.5")
    where: dict[str, str] = {}
    for split, row in rows_of(tmp_path / "ds", m):
        assert where.setdefault(row["id"], split) == split
    assert 800 < m["written"]["test"] < 1200


# -- determinism -----------------------------------------------------------------

@pytest.mark.parametrize("workers", [2, 4])
def test_worker_count_does_not_change_bytes(reference, tmp_path, workers):
    out, _ = reference
    toy_build(tmp_path / "ds", workers=workers, **REFERENCE)
    assert folder_bytes(tmp_path / "ds") == folder_bytes(out)


def test_ray_engine_gives_the_same_bytes(reference, tmp_path):
    ray = pytest.importorskip("ray")
    out, _ = reference
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        toy_build(tmp_path / "ds", workers=2, engine="ray", **REFERENCE)
    finally:
        ray.shutdown()
    assert folder_bytes(tmp_path / "ds") == folder_bytes(out)


def test_rebuilding_a_finished_folder_is_a_no_op(reference):
    out, m = reference
    before = folder_bytes(out)
    assert toy_build(out, **REFERENCE) == m
    assert folder_bytes(out) == before


# -- resume after kill -9 ---------------------------------------------------------

GAS = [sys.executable, "-c", "from gas_solver.cli.main import cli; cli()"]
KILL_OPTIONS = dict(n=2000, seed=5, shard_size=100, formats=("parquet", "jsonl"), holdout="attribute-pairs")


def _build_cmd(out: Path) -> list[str]:
    o = KILL_OPTIONS
    return GAS + ["build", str(TOY_SPACE), "--taxonomy", str(TOY_TAXONOMY), "-n", str(o["n"]), "-o", str(out),
                  "--seed", str(o["seed"]), "--shard-size", str(o["shard_size"]), "--format", "both",
                  "--holdout", o["holdout"], "--workers", "2"]


def _run_and_kill(cmd: list[str], parts: Path, after: int) -> int:
    """Start ``cmd``, SIGKILL it once ``after`` part records exist; returns the records then present."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.is_dir() and len(list(parts.glob("p*.json"))) >= after:
            break
        time.sleep(0.002)
    assert proc.poll() is None, "the build finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # the pool's workers notice that their driver is gone and exit (they would wait for tasks forever)
    deadline = time.monotonic() + 10
    while _processes_writing(parts.parent.parent) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _processes_writing(parts.parent.parent), "the killed driver's workers outlived it"
    return len(list(parts.glob("p*.json")))


def _processes_writing(out: Path) -> list[int]:
    """Pids of live processes whose command line names ``out`` (a build's driver and its forked workers)."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(out).encode() in cmdline.split(b"\0") and state != "Z":
            pids.append(int(proc.name))
    return pids


def test_kill_9_mid_build_twice_then_resume_is_byte_identical(tmp_path):
    """SIGKILL the driver of a 2-worker build twice; the same command finishes it, byte for byte."""
    killed = tmp_path / "killed"
    parts = killed / STATE_DIR / "parts"
    first = _run_and_kill(_build_cmd(killed), parts, 3)
    assert 3 <= first < 20 and not (killed / "manifest.json").exists()
    second = _run_and_kill(_build_cmd(killed), parts, first + 3)  # the resumed run, killed again
    assert first < second < 20
    resumed = subprocess.run(_build_cmd(killed), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    # the killed driver's forked workers may still commit the part they were making (each part is written by
    # atomic renames, with the bytes any run gives it), so at least the parts seen at the kill are done
    done = re.search(r"resuming: (\d+) of 20 parts already done", resumed.stderr)
    assert done and second <= int(done.group(1)) <= 20, resumed.stderr
    fresh = tmp_path / "fresh"
    toy_build(fresh, **KILL_OPTIONS)  # the same command, uninterrupted, in this process
    assert folder_bytes(killed) == folder_bytes(fresh)


def test_crash_during_finish_then_resume_is_byte_identical(tmp_path, monkeypatch):
    import gas_solver.dataset.card as card

    fresh = tmp_path / "fresh"
    toy_build(fresh, n=1200, holdout="relation-pairs")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("simulated kill after the shards were renamed")

    monkeypatch.setattr(card, "write_card", crash)
    with pytest.raises(KeyboardInterrupt):
        toy_build(tmp_path / "ds", n=1200, holdout="relation-pairs")
    assert any((tmp_path / "ds" / "data").iterdir()) and (tmp_path / "ds" / STATE_DIR).exists()
    monkeypatch.undo()
    toy_build(tmp_path / "ds", n=1200, holdout="relation-pairs")
    assert folder_bytes(tmp_path / "ds") == folder_bytes(fresh)


# -- refusing foreign folders ---------------------------------------------------------

def test_refuses_a_folder_of_another_command(reference, tmp_path):
    out, _ = reference
    before = folder_bytes(out)
    with pytest.raises(DatasetError, match=r"seed: 3 \(folder\) vs 4 \(this command\).*refusing to overwrite"):
        toy_build(out, **dict(REFERENCE, seed=4))
    assert folder_bytes(out) == before


def test_refuses_an_unfinished_build_of_another_command(tmp_path, monkeypatch):
    import gas_solver.dataset.card as card

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(card, "write_card", crash)
    out = tmp_path / "ds"
    with pytest.raises(KeyboardInterrupt):
        toy_build(out, n=500)
    monkeypatch.undo()
    before = folder_bytes(out)
    with pytest.raises(DatasetError, match=r"an unfinished build made by a different command \(n: 500 \(folder\) vs 600"):
        toy_build(out, n=600)
    assert folder_bytes(out) == before


def test_refuses_a_non_empty_folder(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(DatasetError, match=r"not empty \(notes.txt\).*refusing"):
        toy_build(out, n=10)
    assert (out / "notes.txt").read_text() == "keep me" and len(list(out.iterdir())) == 1


# -- uniqueness -------------------------------------------------------------------

def test_unique_rows_are_distinct_and_first_draws(tmp_path):
    m = toy_build(tmp_path / "ds", n=1500, unique=True)
    rows = sorted((r for _, r in rows_of(tmp_path / "ds", m)), key=lambda r: r["index"])
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == 1500
    draws = [r["draw"] for r in rows]
    assert draws == sorted(draws) and draws[0] == 0
    # the kept draws are exactly the first occurrences among all draws up to the last one kept
    from gas_solver.constraints.parse import parse_constraints

    tax = load_taxonomy(TOY_TAXONOMY)
    sampler = Sampler(parse_constraints(TOY_SPACE, tax), tax)
    seen, first = set(), []
    for c in range(draws[-1] // CHUNK_SIZE + 1):
        for off, s in enumerate(sampler.sample_chunk(0, c, CHUNK_SIZE)):
            d, cid = c * CHUNK_SIZE + off, canonical_id(s)
            if d <= draws[-1] and cid not in seen:
                seen.add(cid)
                first.append(d)
    assert first == draws


def test_unique_with_workers_gives_the_same_bytes(tmp_path):
    toy_build(tmp_path / "one", n=1500, unique=True, holdout="attribute-pairs")
    toy_build(tmp_path / "two", n=1500, unique=True, holdout="attribute-pairs", workers=2)
    assert folder_bytes(tmp_path / "one") == folder_bytes(tmp_path / "two")


def test_unique_more_than_the_space_is_an_error(tmp_path):
    total = Sampler_total()
    with pytest.raises(GasError, match="distinct scenes"):
        toy_build(tmp_path / "ds", n=total + 1, unique=True, shard_size=100_000)
    assert not (tmp_path / "ds").exists()  # refused before the folder is made


def test_stats_recomputed_from_shards_match_the_card(reference):
    out, m = reference
    stats = compute_stats(out, m)
    assert dict(stats.rows) == {k: v for k, v in m["written"].items() if k != "total"}
    assert stats.to_json()["complexity"] == m["stats"]["complexity"]
    assert stats.to_json()["question_types"] == m["stats"]["question_types"]
    card = (out / "README.md").read_text()
    assert f"| train | {m['written']['train']:,} |" in card
    for name in ("complexity", "categories", "concepts", "attributes", "relations", "questions"):
        png = out / "plots" / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f"(plots/{name}.png)" in card
    assert read_manifest(out)["fingerprint"] == m["fingerprint"]


def test_a_second_build_on_the_same_folder_is_refused_while_one_runs(tmp_path):
    import fcntl

    out = tmp_path / "ds"
    (out / STATE_DIR).mkdir(parents=True)
    with open(out / STATE_DIR / "lock", "w") as held:  # what a running build holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(DatasetError, match="another gas build is running on this folder"):
            toy_build(out, n=50)
    toy_build(out, n=50)  # once it is released, the same command builds
    assert read_manifest(out)["written"]["total"] == 50


def test_progress_bar_when_asked(tmp_path, capsys):
    toy_build(tmp_path / "ds", n=300, shard_size=100, progress=True)
    err = capsys.readouterr().err
    assert "300/300" in err and "scene/s" in err


def test_kill_after_the_manifest_before_cleanup(tmp_path):
    """The last step (removing .gas-build) is finished by the same command."""
    out = tmp_path / "ds"
    toy_build(out, n=300, shard_size=100)
    before = folder_bytes(out)
    (out / STATE_DIR / "parts").mkdir(parents=True)
    (out / STATE_DIR / "parts" / "p00000.json").write_text("{}")
    toy_build(out, n=300, shard_size=100)
    assert not (out / STATE_DIR).exists() and folder_bytes(out) == before


def test_build_takes_the_files_sampling_section(tmp_path):
    from gas_solver.dataset import build_dataset

    from .helpers import TOY_SPACE, TOY_TAXONOMY

    f = tmp_path / "sectioned.toml"
    f.write_text(TOY_SPACE.read_text() + '\n[sampling]\nby = "objects"\nstrata = "equal"\n')
    m = build_dataset(tmp_path / "out", 300, constraints=f, taxonomy=TOY_TAXONOMY, formats=("jsonl",))
    assert (m["distribution"], m["strata"]) == ("stratified", {"objects": "equal"})
    m = build_dataset(tmp_path / "out2", 300, constraints=f, taxonomy=TOY_TAXONOMY, formats=("jsonl",),
                      distribution="uniform")
    assert (m["distribution"], m["strata"]) == ("uniform", None)


def test_build_takes_repeats_strata(tmp_path):
    """[sampling] repeats (with by) reaches the sampler, the manifest and the reproducing command; a resumed or
    re-run build reads the plan's strata back."""
    import json

    from gas_solver.dataset import build_dataset

    from .helpers import TOY_SPACE, TOY_TAXONOMY, folder_bytes

    f = tmp_path / "repeats.toml"
    f.write_text(TOY_SPACE.read_text() + '\n[sampling]\nby = "objects"\nrepeats = { repeated = 1, distinct = 1 }\n')
    m = build_dataset(tmp_path / "out", 300, constraints=f, taxonomy=TOY_TAXONOMY, formats=("jsonl",))
    assert m["strata"] == {"objects": "equal", "repeats": {"repeated": "1", "distinct": "1"}}
    assert "--strata 'objects:equal' --strata 'repeats:repeated=1,distinct=1'" in m["command"]
    rows = [json.loads(line) for p in sorted((tmp_path / "out").rglob("*.jsonl"))
            for line in p.read_text().splitlines()]
    scenes = [json.loads(r["scene"]) if isinstance(r["scene"], str) else r["scene"] for r in rows]
    assert len(scenes) == 300
    assert any(len({o["concept"] for o in s["objects"]}) < len(s["objects"]) for s in scenes)
    before = folder_bytes(tmp_path / "out")
    build_dataset(tmp_path / "out", 300, constraints=f, taxonomy=TOY_TAXONOMY, formats=("jsonl",))
    assert folder_bytes(tmp_path / "out") == before


def test_the_card_names_the_outputs_of_its_modality(tmp_path):
    """A video or 3D dataset's card says what its questions score: generated videos, or the rendered views of
    generated 3D objects (not "generated images"); an image card keeps its words."""
    from gas_solver.dataset.card import scored_outputs

    text = (Path(__file__).parent / "toy_space.toml").read_text(encoding="utf-8")
    space = tmp_path / "video.toml"
    space.write_text(text.replace('modality = "image"', 'modality = "video"'), encoding="utf-8")
    from gas_solver.dataset import build_dataset

    build_dataset(tmp_path / "ds", 5, constraints=space, taxonomy=TOY_TAXONOMY)
    card = (tmp_path / "ds" / "README.md").read_text()
    assert "VQA-based scoring of generated videos, DSG/TIFA style" in card and "generated images" not in card
    assert scored_outputs("image") == "generated images"
    assert scored_outputs("3d") == "the rendered views of generated 3D objects"
