"""CLI commands: realize (placeholder until the module lands)."""

COMMANDS: list = []
