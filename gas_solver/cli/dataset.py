"""CLI commands: dataset (placeholder until the module lands)."""

COMMANDS: list = []
