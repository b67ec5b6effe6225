"""Generation with tiny random diffusers pipelines on CPU: files, index, seeds, resume, LoRA, video."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")  # before numpy/PIL/torch users

import numpy as np
import orjson
from PIL import Image

from gas_solver.errors import GasError, SourceError
from gas_solver.vision.extra import MissingExtra, VisionError, require
from gas_solver.vision.generate import GenerateOptions, generate_images, load_pipeline, pipeline_kind
from gas_solver.vision.media import load_media, sample_indices
from gas_solver.vision.rows import item_seed, read_rows

pytestmark = pytest.mark.gpu_side

FAST = dict(steps=2, width=64, height=64)


def _index(out):
    return [orjson.loads(line) for line in (out / "index.jsonl").read_bytes().splitlines()]


def _pixels(path):
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.int16)


def test_writes_expected_files_index_and_seeds(sd_pipe, dataset_file, rows, tmp_path):
    out = tmp_path / "out"
    res = generate_images(dataset_file, out, pipeline=sd_pipe, images_per_caption=2, batch_size=3, seed=7, **FAST)
    assert (res.generated, res.skipped, res.outputs) == (3, 0, 6)
    index = _index(out)
    assert [r["id"] for r in index] == [r["id"] for r in rows]  # dataset order
    for line, row in zip(index, rows):
        assert line["caption"] == row["caption"] and line["questions"] == row["questions"]
        assert line["kind"] == "image"
        assert [o["k"] for o in line["outputs"]] == [0, 1]
        assert [o["seed"] for o in line["outputs"]] == [item_seed(row["id"], k, 7) for k in (0, 1)]
        for o in line["outputs"]:
            assert o["image"] == f"images/{row['id']}/{o['k']}.png"
            with Image.open(out / o["image"]) as im:
                assert im.size == (64, 64)
    settings = orjson.loads((out / "generation.json").read_bytes())["settings"]
    assert settings["options"]["seed"] == 7 and settings["options"]["steps"] == 2
    assert not list(out.rglob("*.tmp"))


def test_same_seed_same_bytes_and_one_item_alone(sd_pipe, dataset_file, rows, tmp_path):
    a, b, alone = tmp_path / "a", tmp_path / "b", tmp_path / "alone"
    generate_images(dataset_file, a, pipeline=sd_pipe, images_per_caption=2, batch_size=4, **FAST)
    generate_images(dataset_file, b, pipeline=sd_pipe, images_per_caption=2, batch_size=4, **FAST)
    for p in sorted(a.rglob("*.png")):
        assert p.read_bytes() == (b / p.relative_to(a)).read_bytes()
    # the last scene alone, batch size 1: its noise comes from its own seed, not its batch neighbours
    generate_images([rows[2]], alone, pipeline=sd_pipe, images_per_caption=2, batch_size=1, **FAST)
    for k in (0, 1):
        rel = f"images/{rows[2]['id']}/{k}.png"
        assert np.abs(_pixels(a / rel) - _pixels(alone / rel)).max() <= 1  # float noise of batched convs only
    # and different items do differ
    assert np.abs(_pixels(a / f"images/{rows[2]['id']}/0.png") - _pixels(a / f"images/{rows[2]['id']}/1.png")).max() > 10
    # another run seed gives other images
    other = tmp_path / "other"
    generate_images([rows[2]], other, pipeline=sd_pipe, seed=1, **FAST)
    assert np.abs(_pixels(other / f"images/{rows[2]['id']}/0.png") - _pixels(alone / f"images/{rows[2]['id']}/0.png")).max() > 10


def test_restart_skips_finished_and_recovers_a_torn_index(sd_pipe, dataset_file, rows, tmp_path):
    out = tmp_path / "out"
    first = generate_images(dataset_file, out, pipeline=sd_pipe, limit=2, **FAST)
    assert (first.generated, first.skipped) == (2, 0)
    stamp = (out / f"images/{rows[0]['id']}/0.png").stat().st_mtime_ns
    second = generate_images(dataset_file, out, pipeline=sd_pipe, **FAST)
    assert (second.generated, second.skipped) == (1, 2)
    assert (out / f"images/{rows[0]['id']}/0.png").stat().st_mtime_ns == stamp  # not rewritten
    assert [r["id"] for r in _index(out)] == [r["id"] for r in rows]
    # a run killed while writing its last index line: the torn line is dropped, that scene redone
    data = (out / "index.jsonl").read_bytes()
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[1]
    (out / "index.jsonl").write_bytes(data[: len(data) - len(last) - 1] + last[:20])
    third = generate_images(dataset_file, out, pipeline=sd_pipe, **FAST)
    assert (third.generated, third.skipped) == (1, 2)
    assert [r["id"] for r in _index(out)] == [r["id"] for r in rows]
    # a deleted output file makes its scene unfinished again
    (out / f"images/{rows[1]['id']}/0.png").unlink()
    fourth = generate_images(dataset_file, out, pipeline=sd_pipe, **FAST)
    assert (fourth.generated, fourth.skipped) == (1, 2)
    assert (out / f"images/{rows[1]['id']}/0.png").exists()


def test_other_settings_are_refused_and_duplicates_ignored(sd_pipe, rows, tmp_path):
    out = tmp_path / "out"
    res = generate_images(rows + [rows[0]], out, pipeline=sd_pipe, **FAST)
    assert (res.generated, res.duplicates) == (3, 1)
    with pytest.raises(VisionError, match=r"other settings: --steps \(2 then, 3 now\)"):
        generate_images(rows, out, pipeline=sd_pipe, steps=3, width=64, height=64)
    # batch size does not change outputs, so it may change on resume
    assert generate_images(rows, out, pipeline=sd_pipe, batch_size=1, **FAST).skipped == 3


def test_lora_changes_the_output(sd_folder, rows, tmp_path):
    from gas_solver.vision.tiny import tiny_lora

    pipe, kind = load_pipeline(str(sd_folder), device="cpu", dtype="fp32")
    assert kind == "image"
    lora = tiny_lora(pipe, tmp_path / "lora")
    plain, with_lora, half = tmp_path / "plain", tmp_path / "lora_out", tmp_path / "half"
    generate_images(rows[:1], plain, model=str(sd_folder), device="cpu", **FAST)
    generate_images(rows[:1], with_lora, model=str(sd_folder), device="cpu", lora=str(lora), **FAST)
    generate_images(rows[:1], half, model=str(sd_folder), device="cpu", lora=str(lora), lora_scale=0.5, **FAST)
    rel = f"images/{rows[0]['id']}/0.png"
    d_full = np.abs(_pixels(plain / rel) - _pixels(with_lora / rel)).max()
    d_half = np.abs(_pixels(plain / rel) - _pixels(half / rel)).max()
    d_scale = np.abs(_pixels(with_lora / rel) - _pixels(half / rel)).max()
    assert d_full > 5 and d_half > 0 and d_scale > 0  # the adapter acts, and its weight matters
    settings = orjson.loads((with_lora / "generation.json").read_bytes())["settings"]
    assert settings["lora"] == str(lora) and settings["model"] == str(sd_folder)


def test_video_pipeline_writes_gif_and_frames(rows, tmp_path):
    from gas_solver.vision.tiny import tiny_video_pipeline

    pipe = tiny_video_pipeline()
    assert pipeline_kind(type(pipe).__name__) == "video"
    out = tmp_path / "video"
    res = generate_images(rows[:2], out, pipeline=pipe, steps=2, width=32, height=32, num_frames=5,
                          video_formats=("gif", "frames"), batch_size=2)
    assert res.generated == 2
    line = _index(out)[0]
    o = line["outputs"][0]
    assert line["kind"] == "video" and o["num_frames"] == 5 and len(o["frames"]) == 5
    with Image.open(out / o["gif"]) as gif:
        assert gif.n_frames == 5
    frames = load_media(out, o, max_frames=3)
    assert len(frames) == 3 and frames[0].size == (32, 32)
    assert len(load_media(out, {"gif": o["gif"]}, max_frames=8)) == 5


def test_mp4_without_a_writer_fails_before_generating(rows, tmp_path, monkeypatch):
    from diffusers.utils import import_utils

    from gas_solver.vision.tiny import tiny_video_pipeline

    monkeypatch.setattr(import_utils, "is_imageio_available", lambda: False)
    out = tmp_path / "v"
    with pytest.raises(VisionError, match="imageio-ffmpeg"):
        generate_images(rows[:1], out, pipeline=tiny_video_pipeline(), steps=1, num_frames=2, video_formats=("mp4",))
    assert not (out / "videos").exists() and not (out / "index.jsonl").exists()


def test_kind_from_class_name_and_sampled_frames():
    assert pipeline_kind("StableDiffusionXLPipeline") == "image"
    assert pipeline_kind("FluxPipeline") == "image"
    assert pipeline_kind("CogVideoXPipeline") == "video"
    assert pipeline_kind("WanPipeline") == "video"
    assert pipeline_kind("ShapEPipeline") == "3d"
    assert sample_indices(10, 5) == [1, 3, 5, 7, 9]
    assert sample_indices(2, 5) == [0, 1]


def test_bad_inputs_fail_clearly(sd_pipe, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "sg-1", "caption": "a dog"}\n{"id": "sg-2"}\n')
    with pytest.raises(SourceError, match=r"bad.jsonl:2: caption: missing"):
        list(read_rows(bad))
    bad.write_text('{"id": "sg-1", "caption": "a dog", "questions": [{"id": "q0", "question": "?"}]}\n')
    with pytest.raises(SourceError, match=r"bad.jsonl:1: questions\[0\]\.type"):
        list(read_rows(bad))
    bad.write_text('{"id": "sg-1", "caption": \n')
    with pytest.raises(SourceError, match=r"bad.jsonl:1: not valid JSON"):
        list(read_rows(bad))
    with pytest.raises(SourceError, match="no .jsonl or .parquet"):
        list(read_rows(_empty(tmp_path)))
    with pytest.raises(VisionError, match="cannot read the pipeline config"):
        load_pipeline(str(tmp_path / "no_such_model"), device="cpu")
    with pytest.raises(SourceError, match=r"<rows>:2: caption: missing"):
        generate_images([{"id": "sg-1", "caption": "a dog"}, {"id": "sg-2"}], tmp_path / "o", pipeline=sd_pipe)
    with pytest.raises(VisionError, match="exactly one of"):
        generate_images([], tmp_path / "o")
    with pytest.raises(VisionError, match="images_per_caption"):
        GenerateOptions(images_per_caption=0)


def _empty(tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    return d


def test_missing_extra_names_the_install_command():
    with pytest.raises(MissingExtra, match=r"pip install gas-solver\[gpu\]"):
        require("gas_solver_no_such_package")
    assert issubclass(MissingExtra, GasError)


def test_reads_build_folders_jsonl_and_parquet(rows, tmp_path):
    """`gas build` rows: flat scalar columns, the scene graph and the questions as JSON text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def built(r):
        scene = {k: r[k] for k in ("id", "modality", "complexity", "shape", "objects", "relations", "scene_attributes")}
        return {"id": r["id"], "index": 0, "modality": r["modality"], "complexity": r["complexity"], "caption": r["caption"],
                "scene": orjson.dumps(scene).decode(), "questions": orjson.dumps(r["questions"]).decode()}

    folder = tmp_path / "built" / "data"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([built(r) for r in rows]), folder / "train-00000-of-00001.parquet")
    got = list(read_rows(tmp_path / "built"))
    assert [r["id"] for r in got] == [r["id"] for r in rows]
    for g, r in zip(got, rows):
        assert g["questions"] == r["questions"] and g["objects"] == r["objects"] and g["caption"] == r["caption"]
        assert "scene" not in g
    # with JSONL shards beside them, the JSONL ones are read
    (folder / "train-00000-of-00001.jsonl").write_bytes(orjson.dumps(built(rows[0])) + b"\n")
    got = list(read_rows(tmp_path / "built"))
    assert [r["id"] for r in got] == [rows[0]["id"]] and got[0]["relations"] == rows[0]["relations"]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(orjson.dumps({**built(rows[0]), "scene": "{oops"}) + b"\n")
    with pytest.raises(SourceError, match=r"bad.jsonl:1: scene: not JSON"):
        list(read_rows(bad))


def test_shap_e_pipeline_writes_views_and_turntable(rows, tmp_path):
    from gas_solver.vision.tiny import tiny_shap_e_pipeline

    out = tmp_path / "3d"
    res = generate_images(rows[:1], out, pipeline=tiny_shap_e_pipeline(), steps=2, frame_size=16, render_samples=4)
    assert res.generated == 1
    line = _index(out)[0]
    o = line["outputs"][0]
    assert line["kind"] == "3d" and len(o["views"]) == 20
    with Image.open(out / o["views"][0]) as im:
        assert im.size == (16, 16)
    with Image.open(out / o["gif"]) as gif:
        assert gif.n_frames == 20
    # random weights give an empty level set: no PLY, and the index says why
    assert ("mesh" in o and (out / o["mesh"]).exists()) or o["mesh_error"].startswith("no mesh")
    assert len(load_media(out, o, max_frames=4)) == 4


def test_cli_without_the_extra_names_the_install_command(dataset_file, tmp_path):
    """`gas generate` / `gas score` on a machine without torch: a clean error, exit 1, no traceback."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['torch'] = None\n"
            "from gas_solver.cli.main import cli\n"
            "cli(sys.argv[1:])\n")
    for args in (["generate", str(dataset_file), "-o", str(tmp_path / "o"), "--model", "m"],
                 ["score", str(tmp_path), "--vqa", "m"]):
        if args[0] == "score":
            (tmp_path / "index.jsonl").write_text("")
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.startswith("Error: torch is not installed") and "pip install gas-solver[gpu]" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_redone_scene_keeps_one_index_line(sd_pipe, dataset_file, rows, tmp_path):
    out = tmp_path / "out"
    generate_images(dataset_file, out, pipeline=sd_pipe, **FAST)
    (out / f"images/{rows[1]['id']}/0.png").unlink()  # a user deletes one image of a finished scene
    again = generate_images(dataset_file, out, pipeline=sd_pipe, **FAST)
    assert (again.generated, again.skipped) == (1, 2)
    ids = [r["id"] for r in _index(out)]
    assert sorted(ids) == sorted(r["id"] for r in rows) and len(ids) == len(rows)  # one line per id, not 4
    assert (out / f"images/{rows[1]['id']}/0.png").exists()


def test_relative_and_absolute_model_paths_are_one_model(sd_folder, dataset_file, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.chdir(sd_folder.parent)
    generate_images(dataset_file, out, model=sd_folder.name, device="cpu", dtype="fp32", limit=1, **FAST)
    res = generate_images(dataset_file, out, model=str(sd_folder), device="cpu", dtype="fp32", limit=2, **FAST)
    assert (res.generated, res.skipped) == (1, 1)


def test_settings_are_checked_before_the_pipeline_loads(sd_folder, dataset_file, tmp_path, monkeypatch):
    import gas_solver.vision.generate as gen

    out = tmp_path / "out"
    generate_images(dataset_file, out, model=str(sd_folder), device="cpu", dtype="fp32", limit=1, **FAST)

    def no_load(*a, **k):
        raise AssertionError("the pipeline was loaded before the settings check")

    monkeypatch.setattr(gen, "load_pipeline", no_load)
    with pytest.raises(VisionError, match=r"--guidance \(None then, 2\.0 now\)"):
        generate_images(dataset_file, out, model=str(sd_folder), device="cpu", dtype="fp32", guidance=2.0, **FAST)


def test_progress_lines_when_piped(sd_folder, dataset_file, tmp_path):
    """Piped to a log (not a terminal), the run prints plain progress lines on stderr, not a silent wait."""
    from click.testing import CliRunner

    from gas_solver.cli.main import cli

    res = CliRunner().invoke(cli, ["generate", str(dataset_file), "-o", str(tmp_path / "o"), "--model", str(sd_folder),
                                   "--steps", "2", "--resolution", "64", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    lines = [x for x in res.stderr.splitlines() if x.startswith("generate (image): ")]
    assert lines and lines[-1].startswith("generate (image): 3/3 scenes (100%)")
    assert not any("\r" in x for x in res.stderr.split("\n") if "generate (" in x)  # plain lines, no bar redraws
