"""Fixed sentences of the Telegram front end, in Chinese and English (plain text, escaped when sent).

The answers themselves come from the engine (bot/texts.py); these are the bot's own words
around them: welcome, help, buttons, notices.
"""

from __future__ import annotations

from bot.texts import WHOM_TO_ASK


def language_from_code(language_code: str | None) -> str:
    """Telegram's language_code -> our UI language. Chinese, or missing, -> zh; anything else -> en
    (someone whose Telegram is not in Chinese is more likely to read English).

    >>> [language_from_code(c) for c in ("zh-hans", "zh-TW", "en", "de", None, "")]
    ['zh', 'zh', 'en', 'en', 'zh', 'zh']
    """
    if not language_code:
        return "zh"
    return "zh" if language_code.lower().startswith("zh") else "en"


def welcome(topics: list[str], lang: str) -> str:
    if lang == "zh":
        return (
            "您好！我是泉州外贸政策助手。\n\n"
            f"我能解答泉州外贸与跨境电商政策方面的问题，涵盖：{'、'.join(topics)}。"
            "答复均出自公开政策文件与新闻，并注明来源和日期。\n\n"
            "直接输入您的问题即可，例如“海外仓有多少个”“跨境一锁是什么”；也可以点下面的主题浏览。\n"
            "/help 查看用法，/lang 切换语言（English）。"
        )
    return (
        "Hello! I'm the Quanzhou foreign-trade policy assistant.\n\n"
        f"I answer questions about Quanzhou's foreign-trade and cross-border e-commerce policy: {', '.join(topics)}. "
        "Every answer comes from published policy documents and news, with its source and date.\n\n"
        'Just type your question, e.g. "How many overseas warehouses are there?", or pick a topic below.\n'
        "/help shows how to use me, /lang switches the language (中文)."
    )


def help_text(lang: str) -> str:
    if lang == "zh":
        return (
            "直接输入问题即可，例如“海外仓有多少个”“外贸基金有多大”。\n\n"
            "/topics 按主题浏览\n/subscribe 订阅定期动态\n/mysubs 我的订阅\n/digest 查看最新动态\n"
            "/unsubscribe 退订\n/mydata 我的数据\n/forget 删除我的数据\n/lang 切换语言\n/help 显示本帮助\n\n"
            "在群组中，请 @我 或回复我的消息提问。\n" + WHOM_TO_ASK["zh"]
        )
    return (
        'Type your question, e.g. "How many overseas warehouses are there?".\n\n'
        "/topics browse by topic\n/subscribe subscribe to digests\n/mysubs your subscription\n/digest what's new now\n"
        "/unsubscribe stop digests\n/mydata what we store about you\n/forget delete it\n/lang switch language\n/help show this help\n\n"
        "In groups, mention me or reply to my message.\n" + WHOM_TO_ASK["en"]
    )


COMMANDS = {
    "zh": [
        ("start", "开始使用"), ("topics", "按主题浏览"), ("subscribe", "订阅定期动态"), ("mysubs", "我的订阅"),
        ("digest", "查看最新动态"), ("unsubscribe", "退订"), ("mydata", "我的数据"), ("forget", "删除我的数据"),
        ("lang", "切换语言 / Language"), ("help", "使用帮助"),
    ],
    "en": [
        ("start", "Start"), ("topics", "Browse by topic"), ("subscribe", "Subscribe to digests"), ("mysubs", "My subscription"),
        ("digest", "What's new now"), ("unsubscribe", "Stop digests"), ("mydata", "My data"), ("forget", "Delete my data"),
        ("lang", "Language / 切换语言"), ("help", "Help"),
    ],
}

# For admins only: their own command menu (set per admin chat) and /admin.
ADMIN_COMMANDS = [
    ("admin", "管理员命令 / admin commands", "this list"),
    ("inbox", "未答问题 / unanswered inbox", "attach, new intent or dismiss, with buttons"),
    ("intent", "查看意图 / show an intent", "/intent ID"),
    ("answer", "改答复 / replace an answer", "/answer ID [zh|en], then the new text, preview, save"),
    ("newintent", "新建意图 / new intent", "/newintent [TOPIC], guided step by step"),
    ("news", "新增动态 / add a news item", "guided: date, topic, texts, sources"),
    ("addq", "加问法 / add a phrasing", "/addq ID 问法 (English: /addq ID en:phrasing)"),
    ("rmq", "删问法 / remove a phrasing", "/rmq ID 问法"),
    ("teach", "归入意图 / attach an inbox question", "/teach N [ID] after /inbox"),
    ("history", "编辑记录 / edit history", "/history ID"),
    ("restore", "恢复版本 / restore a version", "/restore N (N from /history)"),
    ("stats", "使用统计 / usage stats", "text and chart"),
    ("cancel", "取消编辑 / cancel an edit", "at any step"),
]

_TEXTS = {
    "choose_topic": ("请选择主题：", "Choose a topic:"),
    "choose_question": ("请选择问题：", "Choose a question:"),
    "choose_language": ("请选择语言 / Choose a language:", "Choose a language / 请选择语言:"),
    "language_set": ("已切换为中文。", "Language set to English."),
    "unknown_command": ("未知命令。发送 /help 查看用法。", "Unknown command. Send /help to see what I can do."),
    "type_please": (
        "我只能读懂文字。请直接输入您的问题，或发送 /topics 按主题浏览。",
        "I can only read text. Please type your question, or send /topics to browse.",
    ),
    "slow_down": (
        "您发送得太快了，请稍候一分钟再提问。",
        "You're sending messages too fast; please wait a minute before asking again.",
    ),
    "stale_button": ("此按钮已过期，请重新提问。", "This button is out of date, please ask again."),
    "thanks_helpful": ("谢谢您的反馈！", "Thanks for your feedback!"),
    "thanks_unhelpful": (
        "谢谢反馈，我们会改进这条答复。",
        "Thanks, we'll improve this answer.",
    ),
    "error": (
        "抱歉，处理您的消息时出错了，请稍后再试。" + WHOM_TO_ASK["zh"],
        "Sorry, something went wrong with your message; please try again later. " + WHOM_TO_ASK["en"],
    ),
    "btn_related": ("相关：", "Related: "),
    "btn_subscribe": ("🔔 订阅此主题", "🔔 Subscribe to this topic"),
    "btn_helpful": ("👍 有帮助", "👍 Helpful"),
    "btn_unhelpful": ("👎 没帮助", "👎 Not helpful"),
    "btn_browse": ("📚 按主题浏览", "📚 Browse topics"),
    "btn_back_topics": ("« 全部主题", "« All topics"),
    "btn_back": ("« 返回", "« Back"),
    "btn_prev": ("‹ 上一页", "‹ Previous"),
    "btn_next": ("下一页 ›", "Next ›"),
}


def text(key: str, lang: str) -> str:
    zh, en = _TEXTS[key]
    return zh if lang == "zh" else en
