"""``python -m generator`` is the same as ``budget-report``."""

from generator.app.console import entry

entry()
