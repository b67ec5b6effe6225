"""``gas realize`` on the command line."""

from __future__ import annotations

import json

import orjson
from click.testing import CliRunner

from gas_solver.cli.main import cli

LINES = [
    {"objects": [{"concept": "dog", "attributes": [{"type": "colour", "value": "brown"}]}, {"concept": "horse"}],
     "relations": [{"subject": 0, "predicate": "riding", "object": 1}],
     "scene_attributes": [{"type": "style", "value": "monet"}], "split": "train"},
    {"objects": [{"concept": "water"}], "modality": "video",
     "scene_attributes": [{"type": "camera_movement", "value": "pan_left"}]},
]


def _write(path, rows):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))


def test_realize_adds_caption_and_questions(tmp_path, data_dir):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, LINES)
    res = CliRunner().invoke(cli, ["realize", str(src), "-o", str(out), "--taxonomy", str(data_dir / "toy.toml"),
                                   "--caption-style", "plain"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["caption"] for r in rows] == ["In the style of Claude Monet, a brown dog rides a horse.",
                                           "As the camera pans left, there is some water."]
    assert rows[0]["split"] == "train" and rows[0]["id"].startswith("sg-")
    assert rows[0]["questions"][0]["question"] == "Is there a dog?"
    # no caption / no questions
    res = CliRunner().invoke(cli, ["realize", str(src), "-o", str(out), "--taxonomy", str(data_dir / "toy.toml"),
                                   "--no-caption", "--no-qa"])
    assert res.exit_code == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert "caption" not in rows[0] and "questions" not in rows[0]


def test_output_independent_of_line_position(tmp_path, data_dir):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _write(a, LINES)
    _write(b, list(reversed(LINES)))
    tax = ["--taxonomy", str(data_dir / "toy.toml"), "--seed", "7"]
    for src in (a, b):
        assert CliRunner().invoke(cli, ["realize", str(src), "-o", str(src) + ".out", *tax]).exit_code == 0
    la = (tmp_path / "a.jsonl.out").read_bytes().splitlines()
    lb = (tmp_path / "b.jsonl.out").read_bytes().splitlines()
    assert la == list(reversed(lb))


def test_bad_input_names_file_line_and_field(tmp_path, data_dir):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, [LINES[0], {"objects": [{"concept": "dog"}, {"concept": "cat"}]}])
    res = CliRunner().invoke(cli, ["realize", str(src), "-o", str(out), "--taxonomy", str(data_dir / "toy.toml")])
    assert res.exit_code == 1
    assert f"Error: {src}:2: objects[1].concept: unknown concept 'cat'" in res.output
    assert not out.exists() and list(tmp_path.iterdir()) == [src]  # nothing half-written
    src.write_text('{"objects": [\n')
    res = CliRunner().invoke(cli, ["realize", str(src), "-o", str(out), "--taxonomy", str(data_dir / "toy.toml")])
    assert res.exit_code == 1 and f"Error: {src}:1: not JSON" in res.output
    src.write_text('{"objects": [{"concept": "dog"}], "relations": [{"subject": 0, "object": 3, "predicate": "in"}]}\n')
    res = CliRunner().invoke(cli, ["realize", str(src), "-o", str(out), "--taxonomy", str(data_dir / "toy.toml")])
    assert res.exit_code == 1 and f"Error: {src}:1:" in res.output and "outside" in res.output


def test_help():
    res = CliRunner().invoke(cli, ["realize", "--help"])
    assert res.exit_code == 0 and "gas realize scenes.jsonl -o rows.jsonl" in res.output


def test_gas_sample_rows_carry_caption_and_questions(tmp_path, data_dir):
    from gas_solver.realize import parse_caption
    from gas_solver.scene import canonical_id, scene_from_dict
    from gas_solver.taxonomy import load_taxonomy

    spec = tmp_path / "small.toml"
    spec.write_text("[space]\ncomplexity = [2, 6]\nscene_attributes = [0, 2]\n")
    tax_path = str(data_dir / "toy.toml")
    tax = load_taxonomy(tax_path)
    res = CliRunner().invoke(cli, ["sample", str(spec), "-n", "40", "--seed", "3", "--taxonomy", tax_path])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(rows) == 40
    for row in rows:
        assert canonical_id(scene_from_dict(row)) == row["id"]
        assert canonical_id(parse_caption(row["caption"], tax, modality=row["modality"])) == row["id"]
        assert row["questions"] and all(q["answer"] for q in row["questions"])
    res = CliRunner().invoke(cli, ["sample", str(spec), "-n", "5", "--taxonomy", tax_path, "--no-caption",
                                   "--caption-style", "plain"])
    row = json.loads(res.stdout.splitlines()[0])
    assert "caption" not in row and "questions" in row
    res = CliRunner().invoke(cli, ["sample", str(spec), "-n", "5", "--taxonomy", tax_path, "--no-qa",
                                   "--caption-style", "plain"])
    row = json.loads(res.stdout.splitlines()[0])
    assert "questions" not in row and row["caption"].endswith(".")


def test_rows_do_not_depend_on_the_hash_seed(tmp_path, data_dir):
    import os
    import subprocess
    import sys

    spec = tmp_path / "small.toml"
    spec.write_text("[space]\ncomplexity = [3, 7]\nscene_attributes = [0, 2]\n")
    outs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"h{hash_seed}.jsonl"
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        code = ("import sys; from gas_solver.cli.main import cli; "
                f"sys.argv = ['gas', 'sample', {str(spec)!r}, '-n', '200', '--seed', '4', "
                f"'--taxonomy', {str(data_dir / 'realize_tricky.toml')!r}, '-o', {str(out)!r}]; cli()")
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b'"caption"') == 200


def test_realize_of_plain_sample_rows_equals_sample_rows(tmp_path, data_dir):
    # `gas sample --no-caption --no-qa | gas realize` gives the same bytes as `gas sample` with the same seed
    spec = tmp_path / "small.toml"
    spec.write_text("[space]\ncomplexity = [2, 6]\nscene_attributes = [0, 2]\n")
    tax = ["--taxonomy", str(data_dir / "realize_tricky.toml")]
    plain, real, full = (tmp_path / f"{n}.jsonl" for n in ("plain", "real", "full"))
    run = CliRunner().invoke
    assert run(cli, ["sample", str(spec), "-n", "60", "--seed", "5", "--no-caption", "--no-qa", "-o", str(plain),
                     *tax]).exit_code == 0
    assert run(cli, ["realize", str(plain), "-o", str(real), "--seed", "5", *tax]).exit_code == 0
    assert run(cli, ["sample", str(spec), "-n", "60", "--seed", "5", "-o", str(full), *tax]).exit_code == 0
    assert real.read_bytes() == full.read_bytes()


def test_question_options(tmp_path, data_dir):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, LINES)
    tax = ["--taxonomy", str(data_dir / "toy.toml")]
    res = CliRunner().invoke(cli, ["realize", str(src), "-o", str(out), *tax, "--no-negatives", "--no-multiple-choice"])
    assert res.exit_code == 0, res.output
    qs = [q for x in out.read_text().splitlines() for q in json.loads(x)["questions"]]
    assert qs and all(q["answer"] == "yes" and q["choices"] is None for q in qs)
    res = CliRunner().invoke(cli, ["realize", str(src), "-o", str(out), *tax, "--choice-position", "0"])
    qs = [q for x in out.read_text().splitlines() for q in json.loads(x)["questions"] if q["choices"]]
    assert qs and all(q["choices"][0] == q["answer"] for q in qs)
    res = CliRunner().invoke(cli, ["realize", str(src), "-o", str(out), *tax, "--choice-position", "first"])
    assert res.exit_code == 2 and "--choice-position" in res.output
