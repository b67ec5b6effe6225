"""CLI commands: taxonomy (placeholder until the module lands)."""

COMMANDS: list = []
