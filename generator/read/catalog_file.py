"""The user's own 科目表 (CSV or XLSX), and choosing a budget workbook's catalogue when reading it.

A finance officer extends the catalogue without code in one of two ways (docs/catalog.md):
``--catalog FILE`` on check/build, or a file named ``科目表.csv`` / ``科目表.xlsx`` in the folder of
the workbooks it applies to. The file's format is ``catalog.parse_rows``'s; this module only
turns bytes into rows (CSV here, XLSX through ``workbook_io``, which guards against broken and
hostile files) and remembers parsed files, so a batch of 200 workbooks parses one file once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from generator.model import BudgetWorkbook, catalog
from generator.model.catalog import CatalogError, Layer
from generator.read.workbook_io import UnreadableWorkbook, open_workbook
from generator.validate import findings as F
from generator.validate.findings import Finding

# Found beside the workbook without any option. An .xlsx of this name is not a workbook to
# build: the batch runner skips it.
BESIDE_NAMES = ("科目表.csv", "科目表.xlsx")
MAX_CSV_BYTES = 5 * 1024 * 1024
_FIX = "按 docs/catalog.md 修改科目表文件：表头含“科目编码”“科目名称”，每行一个科目"


def load_catalog_file(path: Path) -> Layer:
    """The user's catalogue at ``path``; ``CatalogError`` (Chinese, every problem) when unusable."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise CatalogError(path.name, [f"找不到或无法打开文件（{exc.strerror}）"]) from exc
    if path.is_dir():
        raise CatalogError(path.name, ["这是一个文件夹，不是科目表文件"])
    return _load(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _load(path_text: str, size: int, mtime_ns: int) -> Layer:
    # Keyed by size and mtime as well: a file edited between two checks is read again.
    path = Path(path_text)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        if size > MAX_CSV_BYTES:
            raise CatalogError(path.name, [f"文件过大（上限 {MAX_CSV_BYTES // 1024 // 1024} MB），不像科目表"])
        return catalog.parse_rows(catalog.rows_from_csv(path.read_bytes(), path.name), path.name)
    if suffix in (".xlsx", ".xlsm"):
        try:
            grids = open_workbook(path)
        except UnreadableWorkbook as exc:
            raise CatalogError(path.name, [str(exc)]) from exc
        # The sheet named 科目表, else the first sheet with content.
        grid = grids.get("科目表") or next((g for g in grids.values() if g.rows), None)
        if grid is None:
            raise CatalogError(path.name, ["工作簿是空的"])
        return catalog.parse_rows(grid.rows, path.name)
    raise CatalogError(path.name, ["只支持 .csv 或 .xlsx 格式的科目表"])


def catalog_beside(workbook: Path) -> Path | None:
    """The ``科目表.csv``/``科目表.xlsx`` in the workbook's folder, if any (the CSV when both)."""
    for name in BESIDE_NAMES:
        candidate = workbook.parent / name
        if candidate.is_file():
            return candidate
    return None


def choose_catalog(wb: BudgetWorkbook, workbook: Path, own_file: Path | None = None) -> list[Finding]:
    """Set ``wb.catalog`` from 预算年度, 地区 and the user's file (``own_file``, else one beside
    ``workbook``). A file that cannot be used is a 错误 at 地区 (the build would publish the
    wrong 类 list); the checks then run against the shipped catalogue."""
    path = own_file or catalog_beside(workbook)
    own: Layer | None = None
    found: list[Finding] = []
    if path is not None:
        try:
            own = load_catalog_file(path)
        except CatalogError as exc:
            found.append(F.make("catalog-file", "基本信息", wb.info.cells.get("region", ""), "地区",
                                str(path), str(exc), _FIX))
    wb.catalog = catalog.choose(wb.info.year or None, wb.info.region, own)
    return found
