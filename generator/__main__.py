"""``python -m generator`` is the same as ``budget-report``."""

from generator.app.cli import entry

entry()
