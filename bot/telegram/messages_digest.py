"""Words of the subscription, digest and privacy screens, in Chinese and English (plain text)."""

from __future__ import annotations

from bot.digest.options import WEEKDAYS, county_label, industry_label
from bot.store.subscriptions import Sub

_TEXTS = {
    "sub_intro": (
        "订阅定期动态：点选主题（可多选），选择频率和时间，可选县（市、区）和行业，最后点“确认”。",
        "Subscribe to regular updates: tap topics (several if you like), pick how often and when, "
        "optionally a county and an industry, then tap Confirm.",
    ),
    "sub_saved": ("✅ 订阅已保存。", "✅ Subscription saved."),
    "sub_off": ("已保存：频率为“关闭”，不会发送动态。", "Saved: frequency is off, no digests will be sent."),
    "sub_need_topic": ("请至少选择一个主题。", "Please choose at least one topic."),
    "sub_topic_added": ("已订阅：{topic}。发送 /mysubs 查看或 /subscribe 修改。", "Subscribed to {topic}. /mysubs shows it, /subscribe changes it."),
    "sub_none": ("您还没有订阅。发送 /subscribe 订阅。", "You have no subscription. Send /subscribe to subscribe."),
    "unsubscribed": ("已退订，不会再发送动态。随时发送 /subscribe 重新订阅。", "Unsubscribed: no more digests. Send /subscribe any time to come back."),
    "digest_empty": (
        "目前没有新的动态。有新内容时会按您的订阅发送。",
        "Nothing new right now. New items will come with your subscription's digest.",
    ),
    "digest_need_sub": (
        "请先发送 /subscribe 选择主题，再查看动态。",
        "Send /subscribe to choose topics first, then ask for your digest.",
    ),
    "pick_weekday": ("请选择每周发送的日子：", "Which day of the week?"),
    "pick_hour": ("请选择发送时间（北京时间）：", "What time (China time)?"),
    "pick_county": ("请选择县（市、区）：", "Choose a county or district:"),
    "pick_industry": ("请选择行业：", "Choose an industry:"),
    "btn_daily": ("每天", "Daily"),
    "btn_weekly": ("每周", "Weekly"),
    "btn_off": ("关闭", "Off"),
    "btn_weekday": ("📅 {v}", "📅 {v}"),
    "btn_hour": ("🕘 {v}", "🕘 {v}"),
    "btn_county": ("📍 {v}", "📍 {v}"),
    "btn_industry": ("🏭 {v}", "🏭 {v}"),
    "btn_any": ("不限", "Any"),
    "btn_confirm": ("✅ 确认", "✅ Confirm"),
    "btn_back": ("« 返回", "« Back"),
    "btn_open": ("🔎 ", "🔎 "),
    "forget_ask": (
        "确定要删除我们保存的关于您的全部数据吗？包括提问记录、反馈、订阅和发送记录。此操作无法撤销。",
        "Delete everything we store about you: questions, feedback, subscription and what we sent? This cannot be undone.",
    ),
    "btn_forget_yes": ("🗑 确认删除", "🗑 Delete it all"),
    "btn_forget_no": ("取消", "Cancel"),
    "forgotten": ("已删除您的全部数据（{n} 条记录）。", "Everything about you is deleted ({n} records)."),
    "forget_cancelled": ("已取消，未删除任何数据。", "Cancelled; nothing was deleted."),
    "admin_report": ("动态发送：成功 {sent}，失败 {failed}，已屏蔽 {blocked}，无新内容 {empty}。", "Digest run: sent {sent}, failed {failed}, blocked {blocked}, nothing new {empty}."),
}


def t(key: str, lang: str, **values: object) -> str:
    zh, en = _TEXTS[key]
    return (zh if lang == "zh" else en).format(**values)


def any_label(value: str | None, lang: str) -> str:
    return value if value else t("btn_any", lang)


def summary(sub: Sub, topic_titles: dict[str, str], lang: str) -> str:
    """What a subscription means, in a few lines."""
    topics = ("、" if lang == "zh" else ", ").join(topic_titles.get(x, x) for x in sub.topics) or "—"
    freq = t("btn_" + sub.frequency, lang)
    when = f"{sub.hour:02d}:00"
    if sub.frequency == "weekly":
        when = f"{WEEKDAYS[lang][sub.weekday]} {when}"
    county = any_label(county_label(sub.county, lang), lang)
    industry = any_label(industry_label(sub.industry, lang), lang)
    if lang == "zh":
        lines = [f"主题：{topics}", f"频率：{freq}" + ("" if sub.frequency == "off" else f"，{when}（北京时间）"),
                 f"县（市、区）：{county}", f"行业：{industry}"]
        if not sub.active:
            lines.append("状态：已停止")
    else:
        lines = [f"Topics: {topics}", f"Frequency: {freq}" + ("" if sub.frequency == "off" else f", {when} (China time)"),
                 f"County: {county}", f"Industry: {industry}"]
        if not sub.active:
            lines.append("Status: stopped")
    return "\n".join(lines)


def my_data(data: dict, lang: str) -> str:
    """/mydata: everything stored about the user, plainly."""
    user = data["user"]
    zh = lang == "zh"
    if user is None and not data["subscriptions"]:
        return "我们没有保存关于您的任何数据。" if zh else "We store nothing about you."
    lines = ["我们保存的关于您的数据：" if zh else "What we store about you:"]
    if user:
        lines.append(f"{'用户编号' if zh else 'User id'}: {user['user_id']}")
        lines.append(f"{'语言' if zh else 'Language'}: {user['language'] or ('跟随 Telegram' if zh else 'from Telegram')}")
        lines.append(f"{'首次使用' if zh else 'First seen'}: {user['first_seen']:%Y-%m-%d %H:%M} UTC")
        lines.append(f"{'最近使用' if zh else 'Last seen'}: {user['last_seen']:%Y-%m-%d %H:%M} UTC")
    questions = data["questions"]
    lines.append(f"{'提问记录' if zh else 'Questions asked'}: {len(questions)}")
    lines.extend(f"  {at:%Y-%m-%d} {q[:80]}" for at, q in questions[:10])
    lines.append(f"{'反馈' if zh else 'Feedback given'}: {data['feedback']}")
    for sub in data["subscriptions"]:
        lines.append(
            f"{'订阅' if zh else 'Subscription'}: {sub['topics'] or '—'}; {sub['frequency']}; "
            f"{'weekday' if not zh else '星期'} {sub['weekday'] + 1}; {sub['hour']:02d}:00; "
            f"{sub['county'] or '-'}; {sub['industry'] or '-'}; {'active' if sub['active'] else 'stopped'}"
        )
    lines.append(f"{'已发送条目记录' if zh else 'Items sent to you'}: {data['sent_items']}")
    lines.append(f"{'动态发送记录' if zh else 'Digest deliveries'}: {data['digests']}")
    lines.append("发送 /forget 可删除以上全部数据。" if zh else "Send /forget to delete all of it.")
    return "\n".join(lines)
