"""The 政府收支分类 catalogue: complete 类 list in official order, and code/name agreement."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from generator.app.batch import collect_workbooks
from generator.app.cli import main
from generator.compute.disclosure import compute_disclosure
from generator.compute.standard_tables import compute_standard_tables
from generator.model import BudgetWorkbook, catalog
from generator.read.reader import read_workbook
from generator.render.xlsx_tables import render_tables
from generator.resources import templates_dir
from generator.validate import validate
from generator.validate.findings import Finding, Severity
from tests.factories import budget_data, write_budget

# Written out here, independently of the module, so a reordering there is caught.
OFFICIAL_CLASSES = [
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"), ("209", "社会保险基金支出"), ("210", "卫生健康支出"),
    ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
    ("227", "预备费"), ("229", "其他支出"), ("230", "转移性支出"), ("231", "债务还本支出"),
    ("232", "债务付息支出"), ("233", "债务发行费用支出"), ("234", "抗疫特别国债安排的支出"),
    ("235", "超长期特别国债安排的支出"),
]


def test_it_lists_all_31_function_classes_in_official_order() -> None:
    assert [(s.code, s.name) for s in catalog.FUNCTION_CLASSES] == OFFICIAL_CLASSES
    assert len(catalog.function_classes()) == 31


def test_it_leaves_out_classes_that_did_not_exist_in_the_budget_year() -> None:
    codes_2021 = [s.code for s in catalog.function_classes(2021)]
    assert "235" not in codes_2021 and "234" in codes_2021
    assert len(codes_2021) == 30
    assert [s.code for s in catalog.function_classes(2025)][-1] == "235"


def test_it_labels_classes_with_chinese_numbers_for_the_summary_table() -> None:
    labels = catalog.function_class_labels(2025)
    assert labels[0] == ("201", "一、一般公共服务支出")
    assert labels[9] == ("210", "十、卫生健康支出")
    assert labels[-1] == ("235", "三十一、超长期特别国债安排的支出")


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"),
                                         (31, "三十一"), (99, "九十九")])
def test_it_writes_chinese_numbers(n: int, text: str) -> None:
    assert catalog.chinese_number(n) == text


def test_it_knows_the_science_subjects_by_code() -> None:
    assert catalog.function_name("2060101") == "行政运行"
    assert catalog.function_name("20601") == "科学技术管理事务"
    assert catalog.function_name("2069999") == "其他科学技术支出"
    assert catalog.function_name("2210201") == "住房公积金"
    assert catalog.function_name("9999999") is None
    assert catalog.function_class("2060499") == ("206", "科学技术支出")
    assert catalog.function_class(" 2101101 ") == ("210", "卫生健康支出")


def test_it_knows_the_economic_classes_and_sections() -> None:
    assert [s.code for s in catalog.ECONOMIC_CLASSES][:3] == ["301", "302", "303"]
    assert catalog.economic_name("30201") == "办公费"
    assert catalog.economic_class("30113") == ("301", "工资福利支出")
    assert catalog.economic_class("31002") == ("310", "资本性支出")


def test_matching_code_and_name_pass_despite_spacing_and_bracket_width() -> None:
    assert catalog.check_code_name("2060101", "行政运行") is None
    assert catalog.check_code_name("2060101", " 行政 运行\n") is None
    assert catalog.check_economic_code_name("30212", "因公出国(境)费用") is None
    assert catalog.check_economic_code_name("30213", "维修(护)费") is None


def test_a_wrong_name_gets_a_chinese_message_naming_the_right_one() -> None:
    message = catalog.check_code_name("2060101", "一般行政管理事务")
    assert message is not None and "行政运行" in message and "2060101" in message
    message = catalog.check_economic_code_name("30201", "印刷费")
    assert message is not None and "办公费" in message


def test_bad_codes_are_reported_but_unlisted_items_are_not() -> None:
    assert "3 位" in (catalog.check_code_name("20601011", "行政运行") or "")
    assert "218" in (catalog.check_code_name("2180101", "行政运行") or "")
    # 2060601's 款 is listed but e.g. 2089901 is not in the (partial) item list: no complaint.
    assert catalog.check_code_name("2089901", "随便什么") is None
    assert catalog.check_economic_code_name("3010101", "基本工资") is not None


# --------------------------------------------------------------------------------------------
# The catalogue as data: shipped files, variants by 地区 and year, the user's own file
# --------------------------------------------------------------------------------------------

NATIONAL_2025_LAST = "三十一、超长期特别国债安排的支出"
HEBEI_2025_LAST = "三十一、人行科目"


def _workbook(tmp_path: Path, year: int = 2025, region: str = "", name: str = "预算.xlsx",
              lines: list[dict[str, object]] | None = None) -> Path:
    data = budget_data()
    data.forms["基本信息"].update({"year": year, "region": region})
    if lines is not None:
        data.tables["功能分类支出"] = lines
    folder = tmp_path / f"wb-{year}-{region or '全国'}-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    return write_budget(folder / name, data)


def _read(path: Path, catalog_file: Path | None = None) -> tuple[BudgetWorkbook, list[Finding]]:
    result = read_workbook(path, catalog_file=catalog_file)
    assert isinstance(result.model, BudgetWorkbook)
    return result.model, validate(result)


def _tables(model: BudgetWorkbook, out: Path) -> Path:
    return render_tables(compute_disclosure(model), compute_standard_tables(model), out, templates_dir())


def _summary_labels(model: BudgetWorkbook, tmp_path: Path) -> list[str]:
    """The spending-side labels of the rendered 部门收支总表 (column D), in order."""
    out = _tables(model, tmp_path / f"tables-{len(list(tmp_path.iterdir()))}.xlsx")
    ws = openpyxl.load_workbook(out)["部门收支总表"]
    return [v[3] for v in ws.iter_rows(min_row=6, values_only=True) if isinstance(v[3], str) and "、" in v[3]]


def _summary_amounts(model: BudgetWorkbook, tmp_path: Path) -> dict[str, object]:
    out = _tables(model, tmp_path / f"amounts-{len(list(tmp_path.iterdir()))}.xlsx")
    ws = openpyxl.load_workbook(out)["部门收支总表"]
    return {v[3]: v[4] for v in ws.iter_rows(min_row=6, values_only=True) if isinstance(v[3], str)}


def test_the_shipped_files_parse_and_the_module_constants_come_from_them() -> None:
    national = catalog.shipped("全国")
    assert [(s.code, s.name) for s in national.function_classes] == OFFICIAL_CLASSES
    assert len(national.function_details) == len(catalog.FUNCTION_DETAILS) > 80
    assert len(national.economic_details) == len(catalog.ECONOMIC_DETAILS) > 60
    assert "河北" in catalog.regions()
    assert catalog.shipped("河北").function_classes[-1].name == "人行科目"


@pytest.mark.parametrize(("region", "expected"), [("河北", "河北"), ("河北省", "河北"), (" 河北省石家庄市 ", "河北"),
                                                  ("湖北省", None), ("", None)])
def test_a_typed_region_finds_its_variant(region: str, expected: str | None) -> None:
    assert catalog.region_key(region) == expected


def test_the_region_chooses_the_summary_table_classes(tmp_path: Path) -> None:
    national, _ = _read(_workbook(tmp_path, 2025, ""))
    hebei, found = _read(_workbook(tmp_path, 2025, "河北省"))
    national_labels, hebei_labels = _summary_labels(national, tmp_path), _summary_labels(hebei, tmp_path)
    assert national_labels[-1] == NATIONAL_2025_LAST
    assert len(hebei_labels) == 31 and hebei_labels[-1] == HEBEI_2025_LAST
    assert "超长期特别国债安排的支出" not in "".join(hebei_labels)
    assert hebei_labels[:30] == national_labels[:30]
    notes = [f for f in found if f.code == "catalog-choice"]
    assert len(notes) == 1 and notes[0].severity is Severity.INFO and "人行科目" in notes[0].message
    assert (notes[0].sheet, notes[0].header) == ("基本信息", "地区") and notes[0].cell.startswith("B")


def test_the_budget_year_chooses_the_classes_in_force(tmp_path: Path) -> None:
    labels_2021 = _summary_labels(_read(_workbook(tmp_path, 2021))[0], tmp_path)
    labels_2025 = _summary_labels(_read(_workbook(tmp_path, 2025))[0], tmp_path)
    assert len(labels_2021) == 30 and len(labels_2025) == 31
    assert labels_2025[:30] == labels_2021 and labels_2025[30] == NATIONAL_2025_LAST
    # Hebei's list is known for 2025 only: another year falls back to the national list, and says so.
    hebei_2026, found = _read(_workbook(tmp_path, 2026, "河北"))
    assert _summary_labels(hebei_2026, tmp_path)[-1] == NATIONAL_2025_LAST
    assert any(f.code == "catalog-choice" and "没有2026年" in f.message for f in found)


def test_a_region_without_a_variant_uses_the_national_list_and_says_so(tmp_path: Path) -> None:
    model, found = _read(_workbook(tmp_path, 2025, "湖北省"))
    assert _summary_labels(model, tmp_path)[-1] == NATIONAL_2025_LAST
    assert [f.message for f in found if f.code == "catalog-choice"] == [
        "地区“湖北省”没有随工具提供的专用科目表，部门收支总表按全国通用科目表列示2025年功能分类的类"]
    assert not any(f.code == "catalog-choice" for f in _read(_workbook(tmp_path, 2025))[1])


MY_CATALOG = """分类,科目编码,科目名称,说明
功能分类,201,一般公共服务支出,
功能分类,206,科学技术支出,
功能分类,208,社会保障和就业支出,
功能分类,221,住房保障支出,
功能分类,,本地特别科目,没有编码的类：只列示
功能分类,2060199,其他科学技术管理事务（本地）,本地名称
"""


def test_a_users_catalogue_beside_the_workbook_lists_its_classes_in_order(tmp_path: Path) -> None:
    path = _workbook(tmp_path, 2025, "河北省")
    (path.parent / "科目表.csv").write_text(MY_CATALOG, encoding="utf-8")
    data = budget_data()  # the factory's lines: 206 (two lines) only
    model, found = _read(path)
    labels = _summary_labels(model, tmp_path)
    assert labels == ["一、一般公共服务支出", "二、科学技术支出", "三、社会保障和就业支出", "四、住房保障支出",
                      "五、本地特别科目"]
    amounts = _summary_amounts(model, tmp_path)
    assert amounts["二、科学技术支出"] == 100 and amounts["一、一般公共服务支出"] is None  # empty rows kept blank
    assert len(data.tables["功能分类支出"]) == 2
    assert any(f.code == "catalog-choice" and "科目表.csv" in f.message for f in found)
    # The user's name for 2060199 is now the one checked: the factory's national name is flagged.
    assert [f.message for f in found if f.code == "function-code-name"] == [
        "功能分类科目 2060199 的名称应为“其他科学技术管理事务（本地）”，填写的是“其他科学技术管理事务支出”"]


def test_a_users_xlsx_catalogue_pasted_from_an_export_works_too(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "科目表"
    ws.append(["306001 某某局 | 预算年度:2025 | 单位:万元"])  # the export's title line above the header
    ws.append(["科目编码", "科目名称"])
    ws.append([201, "一、一般公共服务支出"])  # code typed as a number, 序号 pasted with the name
    ws.append([206.0, "二、科学技术支出"])
    ws.append([None, "三、人行科目"])
    own = tmp_path / "我的科目表.xlsx"
    book.save(own)
    model, found = _read(_workbook(tmp_path, 2025), catalog_file=own)
    assert _summary_labels(model, tmp_path) == ["一、一般公共服务支出", "二、科学技术支出", "三、人行科目"]
    assert not [f for f in found if f.is_error]


def test_a_gb18030_tab_separated_catalogue_is_read() -> None:
    # What Excel/WPS on a Chinese Windows saves as plain CSV / text.
    data = "科目编码\t科目名称\n201\t一般公共服务支出\n206\t科学技术支出\n".encode("gb18030")
    layer = catalog.parse_rows(catalog.rows_from_csv(data, "科目表.txt"), "科目表.txt")
    assert [(s.code, s.name) for s in layer.function_classes] == [("201", "一般公共服务支出"), ("206", "科学技术支出")]


def test_code_checks_use_the_chosen_catalogue(tmp_path: Path) -> None:
    line = {"code": "2350101", "name": "超长期特别国债支出", "project": D("60")}
    basic = {"code": "2060101", "name": "行政运行", "personnel": D("30"), "public": D("10")}
    _, national = _read(_workbook(tmp_path, 2025, "", lines=[basic, line]))
    _, hebei = _read(_workbook(tmp_path, 2025, "河北", lines=[basic, line]))
    assert not [f for f in national if f.code == "function-code-unknown"]
    unknown = [f for f in hebei if f.code == "function-code-unknown"]
    assert len(unknown) == 1 and unknown[0].is_error and unknown[0].header == "科目编码"
    assert "235" in unknown[0].message and "河北科目表（2025年）" in unknown[0].message
    assert "部门收支总表无法列示" in unknown[0].message


def test_a_class_missing_from_the_catalogue_is_an_error_not_a_vanished_amount(tmp_path: Path) -> None:
    lines = [{"code": "2060101", "name": "行政运行", "personnel": D("30"), "public": D("10")},
             {"code": "2180199", "name": "其他", "project": D("60")}]
    _, found = _read(_workbook(tmp_path, 2025, lines=lines))
    assert [(f.code, f.cell) for f in found if f.code.startswith("function-code")] == [("function-code-unknown", "A3")]


MALFORMED = """科目编码,科目名称,起始年度
201,一般公共服务支出,
20a,科学技术支出,
206,,
206,科学技术支出,2025
207,文化旅游体育与传媒支出,明年
"""


def test_a_malformed_catalogue_lists_every_problem_in_chinese() -> None:
    with pytest.raises(catalog.CatalogError) as caught:
        catalog.parse_rows(catalog.rows_from_csv(MALFORMED.encode(), "科目表.csv"), "科目表.csv")
    message = str(caught.value)
    assert message.startswith("科目表“科目表.csv”有 3 处问题：")
    assert "第 3 行：功能分类科目编码“20a”应为 3 位（类）、5 位（款）或 7 位（项）数字" in message
    assert "第 4 行：科目名称为空" in message
    assert "第 6 行：起始年度“明年”应为四位年份" in message
    assert "第 5 行：功能分类科目“206”与第 3 行重复" not in message  # row 3 was refused, not kept


@pytest.mark.parametrize(("text", "problem"), [
    ("名字,备注\n甲,乙\n", "找不到表头"),
    ("科目编码,科目名称\n", "没有任何科目行"),
    ("科目编码,科目名称\n201,一般公共服务支出\n201,一般公共服务\n", "与第 2 行重复"),
    ("分类,科目编码,科目名称\n收入分类,101,税收收入\n", "分类“收入分类”应为“功能分类”或“经济分类”"),
    ("科目编码,科目名称,起始年度,终止年度\n201,一般公共服务支出,2025,2021\n", "起始年度 2025 晚于终止年度 2021"),
])
def test_each_malformed_shape_gets_its_own_message(text: str, problem: str) -> None:
    with pytest.raises(catalog.CatalogError, match=problem):
        catalog.parse_rows(catalog.rows_from_csv(text.encode(), "x.csv"), "x.csv")


def test_the_same_code_in_separate_years_is_not_a_duplicate() -> None:
    text = "科目编码,科目名称,起始年度,终止年度\n207,文化体育与传媒支出,,2018\n207,文化旅游体育与传媒支出,2019,\n"
    layer = catalog.parse_rows(catalog.rows_from_csv(text.encode(), "x.csv"), "x.csv")
    assert catalog.choose(2018, own=layer).function_name("207") == "文化体育与传媒支出"
    assert catalog.choose(2025, own=layer).function_name("207") == "文化旅游体育与传媒支出"


def test_a_malformed_catalogue_beside_the_workbook_is_an_error_at_the_region(tmp_path: Path) -> None:
    path = _workbook(tmp_path, 2025, "河北")
    (path.parent / "科目表.csv").write_text(MALFORMED, encoding="utf-8")
    model, found = _read(path)
    errors = [f for f in found if f.code == "catalog-file"]
    assert len(errors) == 1 and errors[0].is_error and (errors[0].sheet, errors[0].header) == ("基本信息", "地区")
    assert "第 3 行" in errors[0].message
    assert _summary_labels(model, tmp_path)[-1] == HEBEI_2025_LAST  # checks went on with the shipped list


def test_check_and_build_take_a_catalogue_file_and_refuse_a_malformed_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path, 2025)
    bad = tmp_path / "坏科目表.csv"
    bad.write_text(MALFORMED, encoding="utf-8")
    assert main(["check", str(path), "--catalog", str(bad), "--no-annotate"]) == 2
    err = capsys.readouterr().err
    assert "无法使用科目表：科目表“坏科目表.csv”有 3 处问题" in err and "Traceback" not in err
    assert main(["build", str(path), "--catalog", str(tmp_path / "没有这个文件.csv")]) == 2
    assert "找不到或无法打开文件" in capsys.readouterr().err

    good = tmp_path / "科目表-自定义.csv"
    good.write_text(MY_CATALOG.replace("（本地）", ""), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(path), "--catalog", str(good), "-o", str(out)]) == 0
    tables = next(out.glob("*/*部门预算公开表.xlsx"))
    ws = openpyxl.load_workbook(tables)["部门收支总表"]
    labels = [v[3] for v in ws.iter_rows(min_row=6, values_only=True) if isinstance(v[3], str) and "、" in v[3]]
    assert labels[-1] == "五、本地特别科目" and len(labels) == 5


def test_a_batch_does_not_take_the_catalogue_workbook_for_a_budget(tmp_path: Path) -> None:
    path = _workbook(tmp_path, 2025)
    (path.parent / "科目表.xlsx").write_bytes(b"")
    assert collect_workbooks([path.parent]) == [path]
