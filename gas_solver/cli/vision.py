"""CLI commands: vision (placeholder until the module lands)."""

COMMANDS: list = []
