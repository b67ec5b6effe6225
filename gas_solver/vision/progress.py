"""Progress of long runs: a bar on a terminal, plain periodic lines when piped to a log (nohup, slurm).

A job whose output goes to a file gets no carriage-return bar (it would be unreadable, and tqdm
stays quiet there): instead one line every ``every`` seconds, and at the end, with the count, the
rate and the time left, so a log shows how far a run got when it is read or killed.

Examples
--------
>>> import io
>>> log = io.StringIO()
>>> bar = Progress(3, unit="scene", desc="generate", stream=log, every=0)
>>> bar.update(3); bar.close()
>>> "generate: 3/3 scenes" in log.getvalue()
True
"""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class Progress:
    """``enabled`` None: a ``tqdm`` bar on a terminal, periodic plain lines otherwise; True: the bar; False: silent."""

    def __init__(self, total: int, *, unit: str, desc: str, enabled: bool | None = None, stream=None,
                 every: float = 30.0):
        self.total, self.unit, self.desc = total, unit, desc
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self.done = 0
        self.start = self.last = time.monotonic()
        self.quiet = enabled is False or total == 0
        use_bar = enabled if enabled is not None else bool(getattr(self.stream, "isatty", lambda: False)())
        self.bar = None
        if use_bar and not self.quiet:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit=unit, desc=desc, file=self.stream)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if not self.quiet and (now - self.last >= self.every or self.done >= self.total):
            self.last = now
            self._line(now)

    def _line(self, now: float) -> None:
        spent = now - self.start
        rate = self.done / spent if spent > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        pct = 100 * self.done / self.total if self.total else 100.0
        eta = f", {_duration(left)} left" if self.done < self.total and rate > 0 else f", {_duration(spent)} in all"
        plural = "" if self.total == 1 else "s"
        print(f"{self.desc}: {self.done}/{self.total} {self.unit}{plural} ({pct:.0f}%), {rate:.3g} {self.unit}/s{eta}",
              file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
