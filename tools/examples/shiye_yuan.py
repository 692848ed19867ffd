"""An illustrative 事业单位 publishing in 元: 事业运行经费, 政府集中/分散采购, no projects, ten parts.

What the four seeds cannot show: a public institution (公益一类事业单位) whose documents are in 元
with two decimals, that has only basic spending (no 项目), runs on 事业运行经费 rather than
机关运行经费, and splits its purchases by 组织形式 — published with the ten-part outline common
in Hubei and Gansu (文件样式 = 信息公开说明（十部分）).

Every figure here is illustrative (no published document behind it): the amounts are consistent
(收入 = 支出, 功能分类 and 经济分类 add up to 基本支出) and of a realistic size for a city-level
institute; the 科目 codes and names are those of the national 政府收支分类科目. The 基本信息 cell of
部门名称 says so in its comment.

Run: ``python -m tools.examples.shiye_yuan`` -> ``inputs/2025-市科技情报所-部门预算.xlsx``.
"""

from __future__ import annotations

from generator.model.schema import STANDARD_TERMS, WorkbookKind
from generator.render.workbook_template import Noted, WorkbookData

from .common import D, write

FILENAME = "2025-市科技情报所-部门预算.xlsx"
ILLUSTRATIVE = ("示例数据（说明性，非真实单位）：演示以“元”公开、事业运行经费、政府集中采购与分散采购、"
                "无项目支出的事业单位，以及十部分的公开说明")
ORG = "某市科学技术情报研究所"

DUTIES = (
    "收集、整理和研究国内外科技文献与科技信息，建设和维护本市科技文献资源保障体系。",
    "承担科技查新、科技成果检索和知识产权信息分析服务。",
    "为市委、市政府和有关部门科技决策提供情报研究和咨询服务。",
    "开展科技信息化建设，运行维护本市科技信息公共服务平台。",
    "完成市科学技术局交办的其他任务。",
)

# 功能分类 (项): personnel and public spending of the institute's basic spending.
FUNCTIONS = (
    ("2060301", "机构运行", "2545000.00", "412300.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "380000.00", "0"),
    ("2101102", "事业单位医疗", "131800.00", "0"),
    ("2210201", "住房公积金", "200000.00", "0"),
)
ECONOMICS = (
    ("30101", "基本工资", "1100000.00"), ("30102", "津贴补贴", "300000.00"), ("30107", "绩效工资", "1145000.00"),
    ("30108", "机关事业单位基本养老保险缴费", "380000.00"), ("30110", "职工基本医疗保险缴费", "131800.00"),
    ("30113", "住房公积金", "200000.00"),
    ("30201", "办公费", "80000.00"), ("30205", "水费", "12000.00"), ("30206", "电费", "60000.00"),
    ("30211", "差旅费", "40000.00"), ("30213", "维修（护）费", "50000.00"), ("30217", "公务接待费", "6000.00"),
    ("30228", "工会经费", "50000.00"), ("30231", "公务用车运行维护费", "18000.00"),
    ("30299", "其他商品和服务支出", "96300.00"),
)
PURCHASES = (
    # project, budget, item, code, category, unit, quantity, price, method
    ("公用经费", "35000.00", "台式计算机", "A02010104", "货物", "台", "5", "6000.00", "政府集中采购"),
    ("公用经费", "35000.00", "打印设备", "A02021000", "货物", "台", "2", "2500.00", "政府集中采购"),
    ("公用经费", "120000.00", "物业管理服务", "C21040000", "服务", "年", "1", "120000.00", "分散采购"),
    ("公用经费", "15000.00", "印刷服务", "C23090000", "服务", "批", "1", "15000.00", "分散采购"),
)
TERMS = tuple((term, text) for term, text in STANDARD_TERMS if term != "机关运行费") + (
    ("事业运行经费", "指事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。"),
)


def build() -> WorkbookData:
    data = WorkbookData()
    data.forms["基本信息"] = {
        "dept_name": Noted("市科技情报所", ILLUSTRATIVE), "org_full_name": ORG, "dept_code": "306",
        "unit_code": "306002", "unit_name": ORG, "year": 2025, "amount_unit": "元",
        "style": "信息公开说明（十部分）", "unit_nature": "公益一类事业",
        "duty_basis": f"根据本所机构编制方案，{ORG}的主要职责是：",
        "sub_units": "本所无下属预算单位，部门预算即本所本级预算。",
        "basic_change_reason": "人员工资标准调整及新增编制内人员",
        "goods_note": "台式计算机和打印设备", "services_note": "物业管理服务和印刷服务",
        "purchase_previous": D("150000.00"), "service_purchase": D("120000.00"),
        "asset_purchase": D("35000.00"), "asset_purchase_use": "用于更新已达使用年限的办公计算机和打印设备",
    }
    data.forms["机关运行经费"] = {
        "current": D("412300.00"), "previous": D("380000.00"), "basic": D("412300.00"), "project": D("0"),
        "use": "办公、水电、差旅、维修、物业和工会经费等日常运转", "reason": "物业管理服务费用上涨",
    }
    data.tables["部门职责"] = [{"no": i, "text": t} for i, t in enumerate(DUTIES, 1)]
    data.tables["机构设置"] = [{"name": ORG, "nature": "公益一类事业", "rank": "正处级", "funding": "财政拨款"}]
    data.tables["收支预算"] = [
        {"side": "收入", "item": "一般公共预算拨款", "current": D("3469100.00"), "previous": D("3300000.00")},
        {"side": "收入", "item": "政府性基金预算拨款", "current": D("0"), "previous": D("0")},
        {"side": "收入", "item": "国有资本经营预算拨款", "current": D("0"), "previous": D("0")},
        {"side": "收入", "item": "事业收入", "current": D("200000.00"), "previous": D("180000.00"),
         "note": "科技查新和检索服务收入"},
        {"side": "支出", "item": "人员经费", "current": D("3256800.00"), "previous": D("3100000.00")},
        {"side": "支出", "item": "日常公用经费", "current": D("412300.00"), "previous": D("380000.00")},
        {"side": "支出", "item": "本级项目支出", "current": D("0"), "previous": D("0")},
        {"side": "支出", "item": "上年结转项目支出", "current": D("0"), "previous": D("0")},
    ]
    data.tables["功能分类支出"] = [
        {"code": code, "name": name, "personnel": D(personnel), "public": D(public)}
        for code, name, personnel, public in FUNCTIONS]
    data.tables["经济分类支出"] = [{"code": c, "name": n, "amount": D(a)} for c, n, a in ECONOMICS]
    data.tables["三公经费"] = [
        {"item": "因公出国（境）费", "current": D("0"), "previous": D("0")},
        {"item": "公务用车购置费", "current": D("0"), "previous": D("0")},
        {"item": "公务用车运行费", "current": D("18000.00"), "previous": D("20000.00")},
        {"item": "公务接待费", "current": D("6000.00"), "previous": D("8000.00")},
    ]
    data.tables["整体绩效目标"] = [
        {"type": "总体", "goal": "围绕全市科技创新需求，提供科技文献保障、科技查新和情报研究服务，"
                                 "保障本所正常运转，提升科技信息公共服务能力。"},
        {"type": "分项", "name": "科技文献保障", "goal": "1.保障科技文献资源持续更新；2.提高文献服务响应速度",
         "indicators": "数据库订购不少于12个；文献传递满足率不低于95%"},
        {"type": "分项", "name": "科技查新服务", "goal": "（1）按时完成科技查新委托；（2）保证查新报告质量",
         "indicators": "完成查新报告不少于300份；委托方满意度不低于90%"},
    ]
    data.tables["工作保障措施"] = [
        {"no": 1, "text": "严格执行预算，按月分析事业运行经费支出进度。"},
        {"no": 2, "text": "落实政府采购制度，集中采购目录内的品目全部委托集中采购机构实施。"},
    ]
    data.tables["政府采购"] = [
        {"project": p, "project_budget": D(b), "item": item, "catalog_code": code, "category": cat, "unit": unit,
         "quantity": D(q), "price": D(price), "fund": "一般公共预算", "method": method}
        for p, b, item, code, cat, unit, q, price, method in PURCHASES]
    data.tables["国有资产"] = [
        {"item": "房屋（平方米）", "quantity": D("1200"), "value": D("4800000.00")},
        {"item": "其中：办公用房（平方米）", "quantity": D("900"), "value": D("3600000.00")},
        {"item": "车辆（台、辆）", "quantity": D("1"), "value": D("180000.00")},
        {"item": "单价在20万元以上的设备", "quantity": D("2"), "value": D("520000.00")},
        {"item": "其他固定资产", "quantity": D("860"), "value": D("1340000.00")},
    ]
    data.tables["资产构成"] = [
        {"category": "房屋及构筑物", "value": D("4800000.00")}, {"category": "通用设备", "value": D("1500000.00")},
        {"category": "专用设备", "value": D("360000.00")}, {"category": "家具用具", "value": D("180000.00")},
    ]
    data.tables["名词解释"] = [{"no": i, "term": t, "text": x} for i, (t, x) in enumerate(TERMS, 1)]
    return data


def main() -> None:
    write(WorkbookKind.BUDGET, FILENAME, build())


if __name__ == "__main__":
    main()
