"""政府收支分类科目: the 支出功能分类 (类/款/项) and 部门预算支出经济分类 (类/款) catalogues.

Why here and as data: the 部门收支总表 must list every 功能分类 类 in the official order, empty
ones included, and names typed by users ("行政运行 ", "科学技术管理事务（206）") are checked
against the catalogue. The 类 list is complete; the 款/项 lists cover the subjects science and
technology departments use plus the personnel-related subjects every department has (养老,
医疗, 住房公积金). A code missing from the 款/项 lists is *not* an error: the catalogue is not
exhaustive at those levels, only at 类 level.

Codes: 功能分类 类 3 digits, 款 5, 项 7; 经济分类 类 3, 款 5.

Sources: 财政部《政府收支分类科目》(2021 edition for the 款/项 listed). Two 类 are listed beyond
the everyday ones and are worth confirming against the year's 科目 book: 209 社会保险基金支出
(social-insurance fund budgets) and 235 超长期特别国债安排的支出 (recalled as added in 2024;
``since`` keeps it out of earlier years' tables).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    """One 科目: code, official name, and the first budget year it exists (None: long-standing)."""

    code: str
    name: str
    since: int | None = None


# 支出功能分类 类, in the official order (the order of the 部门收支总表 spending side).
FUNCTION_CLASSES: tuple[Subject, ...] = (
    Subject("201", "一般公共服务支出"),
    Subject("202", "外交支出"),
    Subject("203", "国防支出"),
    Subject("204", "公共安全支出"),
    Subject("205", "教育支出"),
    Subject("206", "科学技术支出"),
    Subject("207", "文化旅游体育与传媒支出"),
    Subject("208", "社会保障和就业支出"),
    Subject("209", "社会保险基金支出"),
    Subject("210", "卫生健康支出"),
    Subject("211", "节能环保支出"),
    Subject("212", "城乡社区支出"),
    Subject("213", "农林水支出"),
    Subject("214", "交通运输支出"),
    Subject("215", "资源勘探工业信息等支出"),
    Subject("216", "商业服务业等支出"),
    Subject("217", "金融支出"),
    Subject("219", "援助其他地区支出"),
    Subject("220", "自然资源海洋气象等支出"),
    Subject("221", "住房保障支出"),
    Subject("222", "粮油物资储备支出"),
    Subject("223", "国有资本经营预算支出"),
    Subject("224", "灾害防治及应急管理支出"),
    Subject("227", "预备费"),
    Subject("229", "其他支出"),
    Subject("230", "转移性支出"),
    Subject("231", "债务还本支出"),
    Subject("232", "债务付息支出"),
    Subject("233", "债务发行费用支出"),
    Subject("234", "抗疫特别国债安排的支出", since=2020),
    Subject("235", "超长期特别国债安排的支出", since=2024),
)

# 支出功能分类 款 and 项 (partial, see the module docstring).
FUNCTION_DETAILS: tuple[Subject, ...] = (
    # 201 一般公共服务支出
    Subject("20103", "政府办公厅（室）及相关机构事务"),
    Subject("2010301", "行政运行"),
    Subject("2010302", "一般行政管理事务"),
    Subject("2010303", "机关服务"),
    Subject("2010350", "事业运行"),
    Subject("2010399", "其他政府办公厅（室）及相关机构事务支出"),
    # 206 科学技术支出
    Subject("20601", "科学技术管理事务"),
    Subject("2060101", "行政运行"),
    Subject("2060102", "一般行政管理事务"),
    Subject("2060103", "机关服务"),
    Subject("2060199", "其他科学技术管理事务支出"),
    Subject("20602", "基础研究"),
    Subject("2060201", "机构运行"),
    Subject("2060203", "自然科学基金"),
    Subject("2060204", "实验室及相关设施"),
    Subject("2060205", "重大科学工程"),
    Subject("2060206", "专项基础科研"),
    Subject("2060207", "专项技术基础"),
    Subject("2060208", "科技人才队伍建设"),
    Subject("2060299", "其他基础研究支出"),
    Subject("20603", "应用研究"),
    Subject("2060301", "机构运行"),
    Subject("2060302", "社会公益研究"),
    Subject("2060303", "高技术研究"),
    Subject("2060304", "专项科研试制"),
    Subject("2060399", "其他应用研究支出"),
    Subject("20604", "技术研究与开发"),
    Subject("2060401", "机构运行"),
    Subject("2060404", "科技成果转化与扩散"),
    Subject("2060405", "共性技术研究与开发"),
    Subject("2060499", "其他技术研究与开发支出"),
    Subject("20605", "科技条件与服务"),
    Subject("2060501", "机构运行"),
    Subject("2060502", "技术创新服务体系"),
    Subject("2060503", "科技条件专项"),
    Subject("2060599", "其他科技条件与服务支出"),
    Subject("20606", "社会科学"),
    Subject("2060601", "社会科学研究机构"),
    Subject("2060602", "社会科学研究"),
    Subject("2060603", "社科基金支出"),
    Subject("2060699", "其他社会科学支出"),
    Subject("20607", "科学技术普及"),
    Subject("2060701", "机构运行"),
    Subject("2060702", "科普活动"),
    Subject("2060703", "青少年科技活动"),
    Subject("2060704", "学术交流活动"),
    Subject("2060705", "科技馆站"),
    Subject("2060799", "其他科学技术普及支出"),
    Subject("20608", "科技交流与合作"),
    Subject("2060801", "国际交流与合作"),
    Subject("2060802", "重大科技合作项目"),
    Subject("2060899", "其他科技交流与合作支出"),
    Subject("20609", "科技重大项目"),
    Subject("2060901", "科技重大专项"),
    Subject("2060902", "重点研发计划"),
    Subject("2060999", "其他科技重大项目"),
    Subject("20699", "其他科学技术支出"),
    Subject("2069901", "科技奖励"),
    Subject("2069902", "核应急"),
    Subject("2069903", "转制科研机构"),
    Subject("2069999", "其他科学技术支出"),
    # 208 社会保障和就业支出
    Subject("20805", "行政事业单位养老支出"),
    Subject("2080501", "行政单位离退休"),
    Subject("2080502", "事业单位离退休"),
    Subject("2080503", "离退休人员管理机构"),
    Subject("2080505", "机关事业单位基本养老保险缴费支出"),
    Subject("2080506", "机关事业单位职业年金缴费支出"),
    Subject("2080507", "对机关事业单位基本养老保险基金的补助"),
    Subject("2080599", "其他行政事业单位养老支出"),
    # 210 卫生健康支出
    Subject("21011", "行政事业单位医疗"),
    Subject("2101101", "行政单位医疗"),
    Subject("2101102", "事业单位医疗"),
    Subject("2101103", "公务员医疗补助"),
    Subject("2101199", "其他行政事业单位医疗支出"),
    # 217 金融支出
    Subject("21701", "金融部门行政支出"),
    Subject("2170101", "行政运行"),
    Subject("2170102", "一般行政管理事务"),
    Subject("2170103", "机关服务"),
    Subject("2170150", "事业运行"),
    Subject("2170199", "金融部门其他行政支出"),
    # 221 住房保障支出
    Subject("22102", "住房改革支出"),
    Subject("2210201", "住房公积金"),
    Subject("2210202", "提租补贴"),
    Subject("2210203", "购房补贴"),
)

# 部门预算支出经济分类 类, in the official order.
ECONOMIC_CLASSES: tuple[Subject, ...] = (
    Subject("301", "工资福利支出"),
    Subject("302", "商品和服务支出"),
    Subject("303", "对个人和家庭的补助"),
    Subject("307", "债务利息及费用支出"),
    Subject("309", "资本性支出（基本建设）"),
    Subject("310", "资本性支出"),
    Subject("311", "对企业补助（基本建设）"),
    Subject("312", "对企业补助"),
    Subject("313", "对社会保障基金补助"),
    Subject("399", "其他支出"),
)

# 部门预算支出经济分类 款 (the ones departments' basic spending uses).
ECONOMIC_DETAILS: tuple[Subject, ...] = (
    Subject("30101", "基本工资"),
    Subject("30102", "津贴补贴"),
    Subject("30103", "奖金"),
    Subject("30106", "伙食补助费"),
    Subject("30107", "绩效工资"),
    Subject("30108", "机关事业单位基本养老保险缴费"),
    Subject("30109", "职业年金缴费"),
    Subject("30110", "职工基本医疗保险缴费"),
    Subject("30111", "公务员医疗补助缴费"),
    Subject("30112", "其他社会保障缴费"),
    Subject("30113", "住房公积金"),
    Subject("30114", "医疗费"),
    Subject("30199", "其他工资福利支出"),
    Subject("30201", "办公费"),
    Subject("30202", "印刷费"),
    Subject("30203", "咨询费"),
    Subject("30204", "手续费"),
    Subject("30205", "水费"),
    Subject("30206", "电费"),
    Subject("30207", "邮电费"),
    Subject("30208", "取暖费"),
    Subject("30209", "物业管理费"),
    Subject("30211", "差旅费"),
    Subject("30212", "因公出国（境）费用"),
    Subject("30213", "维修（护）费"),
    Subject("30214", "租赁费"),
    Subject("30215", "会议费"),
    Subject("30216", "培训费"),
    Subject("30217", "公务接待费"),
    Subject("30218", "专用材料费"),
    Subject("30224", "被装购置费"),
    Subject("30225", "专用燃料费"),
    Subject("30226", "劳务费"),
    Subject("30227", "委托业务费"),
    Subject("30228", "工会经费"),
    Subject("30229", "福利费"),
    Subject("30231", "公务用车运行维护费"),
    Subject("30239", "其他交通费用"),
    Subject("30240", "税金及附加费用"),
    Subject("30299", "其他商品和服务支出"),
    Subject("30301", "离休费"),
    Subject("30302", "退休费"),
    Subject("30303", "退职（役）费"),
    Subject("30304", "抚恤金"),
    Subject("30305", "生活补助"),
    Subject("30306", "救济费"),
    Subject("30307", "医疗费补助"),
    Subject("30308", "助学金"),
    Subject("30309", "奖励金"),
    Subject("30310", "个人农业生产补贴"),
    Subject("30311", "代缴社会保险费"),
    Subject("30399", "其他对个人和家庭的补助"),
    Subject("31001", "房屋建筑物购建"),
    Subject("31002", "办公设备购置"),
    Subject("31003", "专用设备购置"),
    Subject("31005", "基础设施建设"),
    Subject("31006", "大型修缮"),
    Subject("31007", "信息网络及软件购置更新"),
    Subject("31008", "物资储备"),
    Subject("31013", "公务用车购置"),
    Subject("31019", "其他交通工具购置"),
    Subject("31021", "文物和陈列品购置"),
    Subject("31022", "无形资产购置"),
    Subject("31099", "其他资本性支出"),
    Subject("31201", "资本金注入"),
    Subject("31203", "政府投资基金股权投资"),
    Subject("31204", "费用补贴"),
    Subject("31205", "利息补贴"),
    Subject("31299", "其他对企业补助"),
    Subject("39999", "其他支出"),
)

_FUNCTION_NAMES = {s.code: s.name for s in FUNCTION_CLASSES + FUNCTION_DETAILS}
_ECONOMIC_NAMES = {s.code: s.name for s in ECONOMIC_CLASSES + ECONOMIC_DETAILS}

_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (the 序号 style of budget tables, 1–99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"序号超出范围：{n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


def function_classes(year: int | None = None) -> tuple[Subject, ...]:
    """The 功能分类 类 in force in budget ``year`` (all of them when ``year`` is None)."""
    return tuple(s for s in FUNCTION_CLASSES
                 if year is None or s.since is None or s.since <= year)


def function_class_labels(year: int | None = None) -> list[tuple[str, str]]:
    """(code, label) per 类 for the 部门收支总表: ("201", "一、一般公共服务支出") …"""
    return [(s.code, f"{chinese_number(i)}、{s.name}")
            for i, s in enumerate(function_classes(year), start=1)]


def _clean_code(code: str) -> str:
    return unicodedata.normalize("NFKC", str(code)).strip()


def function_name(code: str) -> str | None:
    """Official name of a 功能分类 类/款/项 code, None when the catalogue does not list it."""
    return _FUNCTION_NAMES.get(_clean_code(code))


def function_class(code: str) -> tuple[str, str | None]:
    """The 类 of any 功能分类 code: ("2060101" → ("206", "科学技术支出"))."""
    code3 = _clean_code(code)[:3]
    return code3, _FUNCTION_NAMES.get(code3) if len(code3) == 3 else None


def economic_name(code: str) -> str | None:
    """Official name of a 经济分类 类/款 code, None when the catalogue does not list it."""
    return _ECONOMIC_NAMES.get(_clean_code(code))


def economic_class(code: str) -> tuple[str, str | None]:
    """The 类 of any 经济分类 code: ("30201" → ("302", "商品和服务支出"))."""
    code3 = _clean_code(code)[:3]
    return code3, _ECONOMIC_NAMES.get(code3) if len(code3) == 3 else None


# Characters that differ between how people type a name and the catalogue without changing
# its meaning: spaces, brackets of either width (NFKC maps full-width to ASCII), 、 and dots.
_NAME_NOISE = re.compile(r"[\s()\[\]【】、，,.。·:：\-—_/\\\"'“”‘’]")


def normalize_name(name: str) -> str:
    """Comparable form of a 科目 name: NFKC, no spaces, brackets or punctuation."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", str(name)))


def _check(code: str, name: str, names: dict[str, str], classes: dict[str, str],
           what: str) -> str | None:
    clean = _clean_code(code)
    if not re.fullmatch(r"\d{3}|\d{5}|\d{7}", clean):
        return f"{what}科目编码“{code}”应为 3 位（类）、5 位（款）或 7 位（项）数字"
    if clean[:3] not in classes:
        return f"{what}科目编码“{code}”的类级编码 {clean[:3]} 不在政府收支分类科目中"
    expected = names.get(clean)
    if expected is None:
        return None  # a 款/项 the (partial) catalogue does not list: nothing to compare with
    if normalize_name(name) != normalize_name(expected):
        return f"{what}科目 {clean} 的名称应为“{expected}”，填写的是“{name}”"
    return None


def check_function_code_name(code: str, name: str) -> str | None:
    """None when ``code`` and ``name`` agree with the 功能分类 catalogue, else a message."""
    classes = {s.code: s.name for s in FUNCTION_CLASSES}
    return _check(code, name, _FUNCTION_NAMES, classes, "功能分类")


def check_economic_code_name(code: str, name: str) -> str | None:
    """None when ``code`` and ``name`` agree with the 经济分类 catalogue, else a message."""
    classes = {s.code: s.name for s in ECONOMIC_CLASSES}
    if len(_clean_code(code)) == 7:
        return f"经济分类科目编码“{code}”应为 3 位（类）或 5 位（款）数字"
    return _check(code, name, _ECONOMIC_NAMES, classes, "经济分类")


def check_code_name(code: str, name: str) -> str | None:
    """Check a 功能分类 code/name pair (the common case); see ``check_economic_code_name``."""
    return check_function_code_name(code, name)
