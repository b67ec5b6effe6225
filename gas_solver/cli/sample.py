"""CLI commands: sample (placeholder until the module lands)."""

COMMANDS: list = []
