"""A1 references ("B12", "A1:C3") and column letters, without importing openpyxl.

Importing anything from openpyxl loads the whole package (about a tenth of a second), and the
reader, the validator and ``check`` need only these few conversions.
"""

from __future__ import annotations

import re

MAX_COLUMN = 16_384  # XFD, Excel's last column

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_LETTERS: dict[int, str] = {}


def column_letter(index: int) -> str:
    """1 → "A", 28 → "AB"."""
    letters = _LETTERS.get(index)
    if letters is None:
        if not 1 <= index <= MAX_COLUMN:
            raise ValueError(f"column {index} is outside 1..{MAX_COLUMN}")
        n, out = index, ""
        while n:
            n, rest = divmod(n - 1, 26)
            out = chr(65 + rest) + out
        letters = _LETTERS[index] = out
    return letters


def column_index(letters: str) -> int:
    """"A" → 1, "ab" → 28; ``ValueError`` for anything that is not one to three letters."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"not a column: {letters!r}")
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    if index > MAX_COLUMN:
        raise ValueError(f"not a column: {letters!r}")
    return index


def split_ref(ref: str) -> tuple[str, int]:
    """"B12" → ("B", 12)."""
    match = _REF.fullmatch(ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return match.group(1).upper(), int(match.group(2))


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def range_bounds(ref: str) -> tuple[int, int, int, int]:
    """"A1:C3" (or one cell "B2") → (min_row, min_col, max_row, max_col); ``ValueError`` otherwise."""
    first, _, last = ref.partition(":")
    letters, row = split_ref(first)
    col = column_index(letters)
    if not last:
        return row, col, row, col
    letters2, row2 = split_ref(last)
    col2 = column_index(letters2)
    return min(row, row2), min(col, col2), max(row, row2), max(col, col2)
