"""Synthetic 部门预算 workbooks for the benchmark and the batch test: any number of projects,
any number of departments, some of them deliberately broken."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from generator.model.schema import WorkbookKind
from generator.render.workbook_template import WorkbookData, write_workbook

SEED_001 = Path(__file__).resolve().parent.parent / "inputs" / "2021-高新区科技局-部门预算.xlsx"

_INDICATORS = (
    ("产出指标", "数量指标", "支持企业数量", "支持企业数量", "≥10家"),
    ("产出指标", "质量指标", "资金拨付率", "资金拨付额占预算额的比重", "≥90%"),
    ("产出指标", "时效指标", "资金下达时效", "资金下达时间", "12月底前"),
    ("产出指标", "成本指标", "补助标准", "每家企业补助金额", "≤5万元/家"),
    ("效益指标", "社会效益指标", "企业创新能力", "提高企业创新能力", "显著提高"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "满意度调查", "≥90%"),
)


def budget_data(projects: int, dept: str = "合成科技局", year: int = 2021) -> WorkbookData:
    """A valid budget workbook with ``projects`` projects of 6 indicators each."""
    each = Decimal("10.5")
    own = each * projects
    personnel, public = Decimal("300"), Decimal("40")
    data = WorkbookData()
    data.forms["基本信息"] = {
        "dept_name": dept, "org_full_name": f"合成市{dept}", "dept_code": "901", "unit_code": "901001",
        "year": year, "duty_basis": f"合成市{dept}的主要职责是：", "sub_units": "无二级预算单位。",
        "basic_change_reason": "人员调整", "project_change_reason": "项目增加",
    }
    data.forms["机关运行经费"] = {"current": Decimal("30"), "previous": Decimal("28"), "use": "日常办公"}
    data.tables["部门职责"] = [{"text": f"负责第{i}项科技工作。"} for i in range(1, 6)]
    data.tables["机构设置"] = [{"name": f"合成市{dept}", "nature": "行政", "rank": "正科级", "funding": "财政拨款"}]
    data.tables["收支预算"] = [
        {"item": "一般公共预算拨款", "current": personnel + public + own, "previous": personnel - 50 + public + own * 2},
        {"item": "人员经费", "current": personnel, "previous": personnel - 50},
        {"item": "日常公用经费", "current": public, "previous": public},
        {"item": "本级项目支出", "current": own, "previous": own * 2},
    ]
    data.tables["功能分类支出"] = [
        {"code": "2060101", "name": "行政运行", "personnel": personnel, "public": public},
        {"code": "2069999", "name": "其他科学技术支出", "project": own},
    ]
    data.tables["经济分类支出"] = [{"code": "30101", "name": "基本工资", "amount": personnel},
                                   {"code": "30201", "name": "办公费", "amount": public}]
    data.tables["三公经费"] = [{"item": item, "current": Decimal(amount), "previous": Decimal(amount)}
                           for item, amount in (("因公出国（境）费", 0), ("公务用车购置费", 0), ("公务用车运行费", 0),
                                                ("公务接待费", 2))]
    data.tables["整体绩效目标"] = [
        {"type": "总体", "goal": "提升全区科技创新能力。"},
        {"type": "分项", "name": "企业培育", "goal": "培育科技企业。", "indicators": "新增企业 100 家。"},
    ]
    data.tables["工作保障措施"] = [{"text": "完善制度建设。"}]
    data.tables["项目"] = [{
        "code": f"P{i:05d}", "name": f"科技项目{i:05d}", "fiscal": each, "other": Decimal(0),
        "purpose": f"用于支持第{i}批科技企业发展。", "plan_m3": Decimal(0), "plan_m6": Decimal("0.5"),
        "plan_m10": Decimal("0.8"), "plan_m12": Decimal(1), "goals": "支持企业创新\n提升服务水平", "area": "科技创新",
    } for i in range(1, projects + 1)]
    data.tables["绩效指标"] = [{
        "project_code": f"P{i:05d}", "project_name": f"科技项目{i:05d}", "level1": l1, "level2": l2, "level3": l3,
        "description": desc, "target": target, "basis": "《合成市科技项目管理办法》",
    } for i in range(1, projects + 1) for (l1, l2, l3, desc, target) in _INDICATORS]
    data.tables["政府采购"] = [{"project": "公用经费", "project_budget": Decimal("10"), "item": "办公用品",
                                "catalog_code": "A0999", "category": "货物", "unit": "批",
                                "quantity": Decimal(2), "price": Decimal(1)}]
    data.tables["国有资产"] = [{"item": item, "value": Decimal(value)} for item, value in (
        ("房屋（平方米）", 0), ("其中：办公用房（平方米）", 0), ("车辆（台、辆）", 0), ("单价在20万元以上的设备", 0),
        ("其他固定资产", 50))]
    return data


def broken(data: WorkbookData) -> WorkbookData:
    """The same department with errors a finance office really makes."""
    data = copy.deepcopy(data)
    data.tables["项目"][0]["fiscal"] = "十万"  # not a number
    data.tables["绩效指标"][0]["target"] = "文字描述"  # placeholder left in
    return data


def write_departments(folder: Path, count: int, projects: int = 20, broken_every: int = 50) -> list[Path]:
    """``count`` department workbooks in ``folder``; every ``broken_every``-th one is broken."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        data = budget_data(projects, dept=f"合成第{i:03d}局")
        if broken_every and i % broken_every == 0:
            data = broken(data)
        path = folder / f"{i:03d}-部门预算.xlsx"
        write_workbook(WorkbookKind.BUDGET, path, data)
        paths.append(path)
    return paths
