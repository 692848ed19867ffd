"""``python -m generator`` is the same as ``budget-report``."""

from .cli import entry

entry()
