"""One shallow exception tree for the whole project.

The CLI catches :class:`GasError` at its edge and prints ``Error: <message>``
with a non-zero exit; library code raises the precise kind.
"""

from __future__ import annotations

__all__ = ["GasError", "SourceError", "TaxonomyError", "ConstraintFileError", "Unsatisfiable", "SpaceTooLarge",
           "ExactSamplingRefused", "WorkLimitExceeded"]


class GasError(Exception):
    """Base of every error the project raises on purpose."""


class SourceError(GasError):
    """An error located in an input file: names the file, line, column and field, with a hint.

    ``str(err)`` reads ``path:line:col: field 'x': message (hint)``.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None, field: str | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        loc = self.path or "<input>"
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        text = f"{loc}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class TaxonomyError(SourceError):
    """A taxonomy file is malformed (duplicate id, unknown parent, cycle, bad encoding, ...)."""


class ConstraintFileError(SourceError):
    """A constraint file is malformed (syntax, unknown key or name, bad range, ...)."""


class Unsatisfiable(GasError):
    """No scene satisfies the constraint file.

    ``conflict`` lists the conflicting constraints, each an object with at
    least ``description``, ``path`` and ``line`` attributes (a minimal set:
    dropping any one of them makes the file satisfiable).
    """

    def __init__(self, message: str, conflict: tuple = ()):
        self.conflict = tuple(conflict)
        lines = [message]
        for c in self.conflict:
            where = f"{getattr(c, 'path', None) or '<input>'}:{getattr(c, 'line', '?')}"
            key = getattr(c, "key", None)
            desc = getattr(c, "description", c)
            lines.append(f"  {where}: {key} = {desc}" if key and desc else f"  {where}: {key or desc}")
        super().__init__("\n".join(lines))


class SpaceTooLarge(GasError):
    """A request would list more scenes than the stated limit (pass force=True / --force)."""


class ExactSamplingRefused(GasError):
    """Exact sampling would take too long: its rejection step accepts too small a part of its proposals.

    ``acceptance`` is the exact acceptance rate where it is known (a :class:`~fractions.Fraction`),
    else None (raw ASP rules, measured on draws).  The explicit alternative is approximate
    sampling (``gas sample --distribution near-uniform``).
    """

    def __init__(self, message: str, *, acceptance=None):
        self.acceptance = acceptance
        super().__init__(message)


class WorkLimitExceeded(SpaceTooLarge):
    """A step's work estimate is above its stated limit; refused before starting (``gas_solver.solve.work``).

    ``what`` names the step, ``estimate`` and ``limit`` are numbers in the same unit, ``way_out`` says what to
    change in the constraint file.
    """

    def __init__(self, what: str, estimate, limit, unit: str, way_out: str):
        self.what, self.estimate, self.limit, self.unit, self.way_out = what, estimate, limit, unit, way_out
        super().__init__(f"{what}: about {_num(estimate)} {unit}, more than the limit of {_num(limit)}; {way_out}")


def _num(x) -> str:
    x = int(x)
    return f"{x:,}" if x < 10 ** 12 else f"{x:.3g}".replace("e+", "e")
