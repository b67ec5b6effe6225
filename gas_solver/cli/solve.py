"""CLI commands: solve (placeholder until the module lands)."""

COMMANDS: list = []
