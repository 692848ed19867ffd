"""Small, valid workbooks built in code, for tests that need a known starting point."""

from __future__ import annotations

import copy
import zipfile
from decimal import Decimal as D
from pathlib import Path

from generator.model.schema import WorkbookKind
from generator.render.workbook_template import WorkbookData, write_workbook

BUDGET = WorkbookData(
    forms={
        "基本信息": {
            "dept_name": "测试科技局", "org_full_name": "测试市高新区科学技术局", "dept_code": "306",
            "unit_code": "306001", "year": 2021, "style": "信息公开说明",
            "duty_basis": "根据有关规定，测试市高新区科学技术局的主要职责是：",
            "sub_units": "无二级预算单位。", "carryover_note": "为上级下达专款",
            "basic_change_reason": "人员增加", "project_change_reason": "新增研发补助",
            "asset_purchase": D("2"), "asset_purchase_use": "用于办公",
        },
        "机关运行经费": {"current": D("10"), "previous": D("8"), "use": "日常办公", "reason": "人员增加"},
    },
    tables={
        "部门职责": [{"text": "负责全区科技工作。"}, {"text": "负责科技金融工作。"}],
        "机构设置": [{"name": "测试市高新区科学技术局", "nature": "行政", "rank": "正科级", "funding": "财政拨款"}],
        "收支预算": [
            {"item": "一般公共预算拨款", "current": D("100"), "previous": D("90")},
            {"item": "人员经费", "current": D("30"), "previous": D("28")},
            {"item": "日常公用经费", "current": D("10"), "previous": D("8")},
            {"item": "本级项目支出", "current": D("60"), "previous": D("54")},
        ],
        "功能分类支出": [
            {"code": "2060101", "name": "行政运行", "personnel": D("30"), "public": D("10")},
            {"code": "2060199", "name": "其他科学技术管理事务支出", "project": D("60")},
        ],
        "经济分类支出": [
            {"code": "30101", "name": "基本工资", "amount": D("30")},
            {"code": "30201", "name": "办公费", "amount": D("10")},
        ],
        "三公经费": [{"item": "因公出国（境）费", "current": D("0"), "previous": D("0")},
                     {"item": "公务用车购置费", "current": D("0"), "previous": D("0")},
                     {"item": "公务用车运行费", "current": D("0"), "previous": D("0")},
                     {"item": "公务接待费", "current": D("2"), "previous": D("2")}],
        "整体绩效目标": [
            {"type": "总体", "goal": "提升科技创新能力。"},
            {"type": "分项", "name": "加强企业培育", "goal": "推进企业发展。", "indicators": "新增企业 10 家。"},
        ],
        "工作保障措施": [{"text": "完善制度建设。"}],
        "项目": [{
            "code": "P001", "name": "科技保险保费补贴", "fiscal": D("60"), "other": D("0"),
            "purpose": "对科技型企业投保给予保费支持。", "plan_m3": D("0"), "plan_m6": D("0.5"),
            "plan_m10": D("0.8"), "plan_m12": D("1"), "goals": "推广科技保险\n降低企业风险", "area": "科技金融",
        }],
        "绩效指标": [
            {"project_code": "P001", "project_name": "科技保险保费补贴", "level1": "产出指标", "level2": "数量指标",
             "level3": "完成科技保险单数", "description": "投保单数", "target": "≥30单", "basis": "工作方案"},
            {"project_code": "P001", "project_name": "科技保险保费补贴", "level1": "效益指标", "level2": "社会效益指标",
             "level3": "风险管理水平", "description": "提高风险管理水平", "target": "显著提高", "basis": "工作方案"},
            {"project_code": "P001", "project_name": "科技保险保费补贴", "level1": "满意度指标",
             "level2": "服务对象满意度指标", "level3": "受益对象满意度", "description": "满意度调查",
             "target": "≥90%", "basis": "工作方案"},
        ],
        "政府采购": [{"project": "公用经费", "project_budget": D("10"), "item": "办公用品", "catalog_code": "A0999",
                      "category": "货物", "unit": "批", "quantity": D("2"), "price": D("1")}],
        "国有资产": [{"item": "房屋（平方米）", "value": D("0")}, {"item": "其中：办公用房（平方米）", "value": D("0")},
                     {"item": "车辆（台、辆）", "quantity": D("0"), "value": D("0")},
                     {"item": "单价在20万元以上的设备", "quantity": D("0"), "value": D("0")},
                     {"item": "其他固定资产", "quantity": D("10"), "value": D("5")}],
    },
)


def budget_data() -> WorkbookData:
    """A fresh deep copy of the valid budget workbook content, safe to modify."""
    return copy.deepcopy(BUDGET)


def write_budget(path: Path, data: WorkbookData | None = None) -> Path:
    write_workbook(WorkbookKind.BUDGET, path, data or budget_data())
    return path


SELF_EVAL = WorkbookData(
    forms={
        "基本信息": {"dept_name": "测试科技局", "org_full_name": "测试市高新区科学技术局", "year": 2021,
                     "preamble": "根据有关规定开展自评。", "fund_source_note": "区本级财政"},
        "自评组织": {"basis": "《预算绩效管理办法》", "group": "以局长为组长的绩效评价工作领导小组",
                     "method": "业务处室填报，小组审核。"},
    },
    tables={
        "部门概况": [{"text": "负责全区科技工作。"}],
        "收支情况": [{"source": "当年财政拨款", "initial": D("100"), "budget": D("100"), "executed": D("95")}],
        "整体绩效目标": [{"type": "总体", "goal": "提升创新能力。", "actual": "创新能力明显提升。"}],
        "项目": [{"code": "P001", "name": "科技保险保费补贴", "area": "科技金融", "initial": D("80"),
                  "budget": D("80"), "executed": D("76"), "goal": "推广科技保险", "result": "完成投保"}],
        "绩效指标": [
            {"project_code": "P001", "project_name": "科技保险保费补贴", "level1": "产出指标", "level2": "数量指标",
             "level3": "完成科技保险单数", "target": "≥30单", "actual": "32单", "weight": D("50")},
            {"project_code": "P001", "project_name": "科技保险保费补贴", "level1": "效益指标",
             "level2": "社会效益指标", "level3": "风险管理水平", "target": "显著提高", "actual": "达成年度指标",
             "weight": D("30")},
            {"project_code": "P001", "project_name": "科技保险保费补贴", "level1": "满意度指标",
             "level2": "服务对象满意度指标", "level3": "受益对象满意度", "target": "≥90%", "actual": "95%",
             "weight": D("10")},
        ],
        "整体绩效指标": [
            {"level1": "产出指标", "level2": "数量指标", "level3": "新增高新技术企业", "target": "≥80家",
             "actual": "90家", "weight": D("50")},
            {"level1": "效益指标", "level2": "社会效益指标", "level3": "创新环境", "target": "明显改善",
             "actual": "达成年度指标", "weight": D("30")},
            {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "企业满意度", "target": "≥90%",
             "actual": "93%", "weight": D("10")},
        ],
        "问题与改进": [{"type": "存在问题", "text": "无。"}, {"type": "改进措施", "text": "加强管理。"}],
        "评价工作组": [{"name": "张三", "org": "科技局", "post": "局长"}],
    },
)


def self_eval_data() -> WorkbookData:
    return copy.deepcopy(SELF_EVAL)


def write_self_eval(path: Path, data: WorkbookData | None = None) -> Path:
    write_workbook(WorkbookKind.SELF_EVAL, path, data or self_eval_data())
    return path


def xml_bomb(folder: Path) -> Path:
    """A valid budget workbook whose shared strings hold a "billion laughs" entity expansion."""
    folder.mkdir(parents=True, exist_ok=True)
    good = write_budget(folder / "good.xlsx")
    bomb = folder / "bomb.xlsx"
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                head, _, rest = data.decode("utf-8").partition("?>")
                data = (f"{head}?><!DOCTYPE sst [{entities}]>" + rest.replace("<t>", "<t>&i;", 1)).encode("utf-8")
            dst.writestr(item, data)
    good.unlink()
    return bomb
