"""What a subscriber can pick besides topics: counties, industries, weekdays, hours.

Counties are the county-level divisions of Quanzhou plus the two development zones the
documents name; industries are the ones the catalog's items carry most. Names are the
catalog's own (Chinese), so filtering compares them as they are.
"""

from __future__ import annotations

COUNTIES: list[tuple[str, str]] = [
    ("鲤城区", "Licheng"), ("丰泽区", "Fengze"), ("洛江区", "Luojiang"), ("泉港区", "Quangang"),
    ("石狮市", "Shishi"), ("晋江市", "Jinjiang"), ("南安市", "Nan'an"), ("惠安县", "Hui'an"),
    ("安溪县", "Anxi"), ("永春县", "Yongchun"), ("德化县", "Dehua"), ("金门县", "Kinmen"),
    ("泉州开发区", "Quanzhou Development Zone"), ("泉州台商投资区", "Quanzhou Taiwanese Investment Zone"),
]

INDUSTRIES: list[tuple[str, str]] = [
    ("跨境电商", "Cross-border e-commerce"), ("外贸", "Foreign trade"), ("鞋服", "Footwear & apparel"),
    ("农产品", "Farm produce"), ("陶瓷", "Ceramics"), ("水暖", "Plumbing fixtures"), ("石化", "Petrochemicals"),
    ("半导体", "Semiconductors"), ("新能源汽车", "New-energy vehicles"), ("体育用品", "Sporting goods"),
]

WEEKDAYS = {
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}

HOURS = list(range(6, 23))  # 06:00-22:00 Asia/Shanghai: nobody wants a digest at 3 am


def county_label(name: str | None, lang: str) -> str | None:
    """>>> county_label("晋江市", "en"), county_label("晋江市", "zh"), county_label(None, "en")
    ('Jinjiang', '晋江市', None)
    """
    if name is None:
        return None
    return next((en if lang == "en" else zh for zh, en in COUNTIES if zh == name), name)


def industry_label(name: str | None, lang: str) -> str | None:
    if name is None:
        return None
    return next((en if lang == "en" else zh for zh, en in INDUSTRIES if zh == name), name)
