"""Subscriptions and digests end to end: the real Application against the fake Bot API."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.store.subscriptions import Sub, Subscriptions
from bot.telegram.digest_job import JOB_NAME, digest_round
from telegram_harness import BotHarness, captions, run


WEDNESDAY_0810 = datetime(2026, 11, 25, 0, 10, tzinfo=timezone.utc)  # 08:10 in Shanghai
ADMIN = 9001


def test_subscribe_by_buttons_then_mysubs_digest_delivery_and_forget(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path, admin_ids=(ADMIN,)) as bot:
            assert [j.name for j in bot.app.job_queue.jobs()] == [JOB_NAME]
            [editor] = await bot.say("/subscribe")
            assert "▫️ 基金" in captions(editor) and "✅ 确认" in captions(editor)
            await bot.press(editor, "基金")
            assert "✅ 基金" in captions(bot.current(editor))
            await bot.press(bot.current(editor), "每周")
            await bot.press(bot.current(editor), "📅")
            assert "周三" in captions(bot.current(editor))
            await bot.press(bot.current(editor), "周三")
            await bot.press(bot.current(editor), "🕘")
            await bot.press(bot.current(editor), "08:00")
            await bot.press(bot.current(editor), "📍")
            await bot.press(bot.current(editor), "晋江市")
            assert "📍 晋江市" in captions(bot.current(editor))
            await bot.press(bot.current(editor), "确认")
            confirmed = bot.current(editor)["text"]
            assert confirmed.startswith("✅ 订阅已保存。") and "周三 08:00" in confirmed
            [mine] = await bot.say("/mysubs")
            assert "主题：基金" in mine["text"] and "频率：每周，周三 08:00（北京时间）" in mine["text"]
            assert "县（市、区）：晋江市" in mine["text"]

            [preview] = await bot.say("/digest")
            assert "泉州外贸政策动态" in preview["text"] and "2026-01 设立30亿元外贸基金。" in preview["text"]
            assert "🔎 外贸基金" in captions(preview)

            counts = await digest_round(bot.app, now=WEDNESDAY_0810)
            assert (counts.sent, counts.failed, counts.blocked) == (1, 0, 0)
            digests = [m for m in bot.fake.sent(1001) if m["text"].startswith("泉州外贸政策动态")]
            assert len(digests) == 2  # the /digest preview and the delivered one
            assert bot.fake.sent(ADMIN)[-1]["text"].startswith("动态发送：成功 1")
            again = await digest_round(bot.app, now=WEDNESDAY_0810)
            assert again.sent == 0
            assert len([m for m in bot.fake.sent(1001) if m["text"].startswith("泉州外贸政策动态")]) == 2
            [nothing] = await bot.say("/digest")
            assert nothing["text"].startswith("目前没有新的动态")

            [data] = await bot.say("/mydata")
            assert "用户编号: 1001" in data["text"] and "动态发送记录: 1" in data["text"]
            [ask] = await bot.say("/forget")
            await bot.press(ask, "确认删除")
            assert bot.current(ask)["text"].startswith("已删除您的全部数据")
            counts = bot.store.counts()
            assert all(counts[t] == 0 for t in ("users", "question_log", "feedback", "subscriptions", "sent_items", "digest_outbox"))

    run(scenario())


def test_topic_button_unsubscribe_and_delivery_faults(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path, digest_max_attempts=2) as bot:
            [answer] = await bot.say("海外仓有多少个", chat_id=1001)
            await bot.press(answer, "订阅此主题")
            assert bot.toast()["text"].startswith("已订阅：基金")
            subs = Subscriptions(bot.store)
            assert subs.get(1001).topics == ("funds",) and subs.get(1001).active
            for chat in (1002, 1003, 1004):
                subs.save(Sub(chat, ("funds",), hour=8))
            subs.save(Sub(1001, ("funds",), hour=8))
            bot.fake.fail("sendMessage", 429, retry_after=1, chat_id=1002)
            bot.fake.fail("sendMessage", 403, chat_id=1003)
            bot.fake.fail("sendMessage", 502, chat_id=1004, times=None)
            counts = await digest_round(bot.app, now=WEDNESDAY_0810)
            assert (counts.sent, counts.failed, counts.blocked) == (2, 1, 1)
            tries = bot.fake.calls_of("sendMessage", 1002, ok_only=False)
            assert len(tries) == 2 and tries[1].at - tries[0].at >= 1.0
            assert len(bot.fake.calls_of("sendMessage", 1004, ok_only=False)) == 2
            assert subs.get(1003).active is False
            [done] = await bot.say("/unsubscribe", chat_id=1001)
            assert done["text"].startswith("已退订") and subs.get(1001).active is False

    run(scenario())
