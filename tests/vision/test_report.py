"""The HTML report of `gas eval`, opened in headless Chromium (Debian's `chromium` package): a screenshot shows
the images, and the rendered page holds every question with the model's answer and the failures marked."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")

import html
import shutil
import subprocess
from types import SimpleNamespace

import numpy as np
import orjson
from PIL import Image

from gas_solver.vision.evaluate import evaluate
from gas_solver.vision.report import bar_rows

pytestmark = pytest.mark.gpu_side

MAGENTA = (255, 0, 255)


class SolidPipeline:
    """A stand-in text-to-image pipeline: every image is one solid colour the screenshot can look for."""

    def __call__(self, prompt, generator=None, num_images_per_prompt=1, output_type="pil", **kw):
        return SimpleNamespace(images=[Image.new("RGB", (64, 64), MAGENTA) for _ in prompt])


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("headless Chromium is not installed (apt-get install chromium); CI installs it")


def _run(browser, *args, timeout=120):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
           "--allow-file-access-from-files", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory, data_dir, blip):
    from gas_solver.vision.vqa import BlipVQA

    out = tmp_path_factory.mktemp("eval") / "tifa"
    evaluate(data_dir / "benchmarks/tifa_v1.0_question_answers.json", out, pipeline=SolidPipeline(),
             vqa=BlipVQA(*blip, name="tiny-blip"), images_per_prompt=2, progress=False)
    return out


def test_report_renders_images_questions_and_failures(report_folder, tmp_path):
    browser = _chromium()
    page = (report_folder / "report.html").as_uri()
    shot = tmp_path / "shot.png"
    res = _run(browser, f"--screenshot={shot}", "--window-size=1280,1400", page)
    assert shot.exists(), res.stderr[-2000:]
    px = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    magenta = (np.abs(px - np.array(MAGENTA)).sum(-1) < 30).sum()
    # 2 prompts x 2 images, each drawn 140x140 CSS px: the images were loaded and painted
    assert magenta > 0.8 * 4 * 140 * 140, magenta
    fail_border = (np.abs(px - np.array((0xdd, 0x33, 0x33))).sum(-1) < 20).sum()
    blue_bar = (np.abs(px - np.array((0x3b, 0x7d, 0xd8))).sum(-1) < 20).sum()
    dom = _run(browser, "--dump-dom", page).stdout
    answers = [orjson.loads(x) for x in (report_folder / "answers.jsonl").read_bytes().splitlines()]
    assert len(answers) == 10
    for a in answers:
        assert html.escape(a["question"]) in dom
    wrong = sum(not a["correct"] for a in answers)
    assert dom.count('class="fail"') == wrong and dom.count('class="ok"') == len(answers) - wrong
    if wrong:
        assert fail_border > 100  # a card with a failure is outlined in red
    assert dom.count("<img ") == 4 and "tifa_v1.0_question_answers.json" in dom
    assert blue_bar > 0 or all(v == 0 for v in orjson.loads((report_folder / "summary.json").read_bytes())["per_category"].values())


def test_bars_are_clamped_and_escaped():
    out = bar_rows({"<b>": 1.7, "nan": float("nan")})
    assert "&lt;b&gt;" in out and "width:100.0%" in out and "n/a" in out
