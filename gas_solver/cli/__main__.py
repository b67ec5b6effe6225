"""``python -m gas_solver.cli``: the ``gas`` command."""

from .main import cli

if __name__ == "__main__":
    cli()
