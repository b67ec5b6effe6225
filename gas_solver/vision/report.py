"""The HTML report of an evaluation: one self-contained page next to the images it shows.

Top: the benchmark, the model, the judge and the headline score, then one bar per category.  Below: a
grid of cards, one per prompt, each with its images, its caption and every question (per image ``#k``) with the expected
answer, the model's answer and P(correct); wrong answers (GenEval: failed checks) are marked in red with
a ✗, and a card with any failure is outlined.  Images are linked by relative path, so the folder can be
moved or served as it is.  No script, no external resources.

Examples
--------
>>> bar_rows({"entity": 0.5})
'<div class="bar"><span class="label">entity</span><span class="track"><span class="fill" style="width:50.0%"></span></span><span class="value">0.500</span></div>'
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from .rows import atomic_write_bytes

__all__ = ["write_report", "render_report", "bar_rows"]

MAX_CARDS = 2000  # a page with more images than this stops being readable; the tables hold everything

_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px} .meta{color:#555;margin-bottom:16px}
.score{font-size:34px;font-weight:600}
.bars{max-width:720px;margin:12px 0 24px}
.bar{display:flex;align-items:center;gap:8px;margin:3px 0}
.bar .label{width:200px;text-align:right;font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar .track{flex:1;background:#e4e4e4;height:16px;border-radius:3px;overflow:hidden}
.bar .fill{display:block;height:100%;background:#3b7dd8}
.bar .value{width:52px;font-variant-numeric:tabular-nums;font-size:13px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px}
.card.failed{border:2px solid #d33}
.card .images{display:flex;gap:4px;flex-wrap:wrap}
.card img{width:140px;height:140px;object-fit:cover;image-rendering:pixelated;border:1px solid #ccc}
.caption{font-size:13px;margin:6px 0}
.card .id{font-size:11px;color:#888}
table.qa{border-collapse:collapse;width:100%;font-size:12px}
table.qa td{border-top:1px solid #eee;padding:2px 4px;vertical-align:top}
td.k{color:#888} tr.fail td{color:#b00;background:#fff0f0} tr.ok td.mark{color:#080} tr.fail td.mark{color:#d00;font-weight:700}
"""


def bar_rows(values: dict[str, float]) -> str:
    """One horizontal bar per category (values in [0, 1])."""
    parts = []
    for label, v in values.items():
        width = 0.0 if v is None or v != v else max(0.0, min(1.0, float(v))) * 100
        text = "n/a" if v is None or v != v else f"{v:.3f}"
        parts.append(f'<div class="bar"><span class="label">{html.escape(str(label))}</span><span class="track">'
                     f'<span class="fill" style="width:{width:.1f}%"></span></span><span class="value">{text}</span></div>')
    return "".join(parts)


def _question_table(answers: Sequence[dict]) -> tuple[str, bool]:
    rows, failed = [], False
    for a in answers:
        if "question" in a:
            ok = bool(a["correct"])
            cells = (f'<td class="mark">{"✓" if ok else "✗"}</td><td class="k">#{a["k"]}</td>'
                     f'<td>{html.escape(a["question"])}</td>'
                     f'<td>expected <b>{html.escape(str(a["expected"]))}</b></td>'
                     f'<td>model <b>{html.escape(str(a["answer"]))}</b> (p={a["p_correct"]:.2f})</td>')
        else:  # GenEval: one line per image, its failed checks
            ok = bool(a["correct"])
            why = "; ".join(a.get("reasons") or []) or "all checks passed"
            cells = (f'<td class="mark">{"✓" if ok else "✗"}</td><td class="k">#{a["k"]}</td>'
                     f'<td>[{html.escape(a["tag"])}]</td><td colspan="2">{html.escape(why)}</td>')
        failed |= not ok
        rows.append(f'<tr class="{"ok" if ok else "fail"}">{cells}</tr>')
    return f'<table class="qa">{"".join(rows)}</table>', failed


def render_report(summary: dict, rows: Sequence[dict], index: dict[str, dict], answers: Sequence[dict]) -> str:
    """The report page as a string (see :func:`write_report`)."""
    by_scene: dict[str, list[dict]] = defaultdict(list)
    for a in answers:
        by_scene[a["id"]].append(a)
    score = summary.get("score")
    head = (f'<h1>{html.escape(str(summary.get("format", "")))} evaluation of {html.escape(str(summary.get("model")))}</h1>'
            f'<div class="meta">benchmark {html.escape(str(summary.get("benchmark")))} · judge '
            f'{html.escape(str(summary.get("judge")))} · {summary.get("prompts")} prompts × '
            f'{summary.get("images_per_prompt")} images</div>'
            f'<div><span class="score">{score:.3f}</span> {html.escape(str(summary.get("headline")))}</div>'
            if isinstance(score, float) else "<h1>evaluation</h1>")
    metrics = summary.get("metrics") or {}
    bars = ('<h2>Per category</h2><div class="bars">' + bar_rows(summary.get("per_category") or {}) + "</div>"
            + '<h2>Metrics</h2><div class="bars">' + bar_rows({k: v for k, v in metrics.items() if k != "clip"}) + "</div>")
    cards = []
    for row in rows[:MAX_CARDS]:
        entry = index.get(row["id"])
        if entry is None:
            continue
        imgs = "".join(f'<img src="{html.escape(o["image"])}" alt="{html.escape(row["caption"][:80])}" '
                       f'title="image {o["k"]}">' for o in entry["outputs"] if "image" in o)
        table, failed = _question_table(by_scene.get(row["id"], []))
        cards.append(f'<div class="card{" failed" if failed else ""}" data-id="{html.escape(row["id"])}">'
                     f'<div class="images">{imgs}</div><div class="caption">{html.escape(row["caption"])}</div>'
                     f'<div class="id">{html.escape(row["id"])}</div>{table}</div>')
    more = (f"<p>{len(rows) - MAX_CARDS} more prompts are in per_question.csv.</p>" if len(rows) > MAX_CARDS else "")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>gas eval report</title>"
            f"<style>{_CSS}</style></head><body>{head}{bars}<h2>Prompts</h2><div class=\"grid\">{''.join(cards)}</div>"
            f"{more}</body></html>\n")


def write_report(out: str | Path, summary: dict, rows: Sequence[dict], index: dict[str, dict],
                 answers: Sequence[dict]) -> Path:
    """Write ``OUT/report.html``; returns its path."""
    path = Path(out) / "report.html"
    atomic_write_bytes(path, render_report(summary, rows, index, answers).encode())
    return path
