"""Chinese places outside Quanzhou (foreign markets are in scope: firms export there): a question about another city's policy is out of scope,
unless the intent that matched is itself about that place (义乌工作组, 出口去香港 ...).

>>> other_places("厦门的跨境电商综试区什么时候批的")
['厦门']
>>> other_places("晋江陆地港在哪"), other_places("泉州市的政策")
([], [])
"""

from __future__ import annotations

PLACES = """
北京 上海 天津 重庆 广州 深圳 杭州 宁波 温州 义乌 苏州 南京 无锡 常州 合肥 济南 青岛 烟台 郑州 武汉 长沙
南昌 成都 西安 兰州 昆明 贵阳 南宁 海口 三亚 沈阳 大连 长春 哈尔滨 石家庄 太原 呼和浩特 乌鲁木齐 拉萨 西宁 银川
东莞 佛山 珠海 汕头 厦门 福州 漳州 莆田 三明 南平 龙岩 宁德 平潭 香港 澳门 台湾 台北
浙江 江苏 广东 山东 河南 湖北 湖南 江西 安徽 四川 陕西 云南 贵州 广西 海南 辽宁 吉林 黑龙江 河北 山西
""".split()


def other_places(text: str) -> list[str]:
    """Places named in normalised text (Chinese names; the longest name wins)."""
    found = []
    for place in sorted(PLACES, key=len, reverse=True):
        if place in text and not any(place in f for f in found):
            found.append(place)
    return sorted(found, key=text.index)
