"""The console conversation (`qzbot chat`): the same engine, typed in a terminal."""

from __future__ import annotations

import click

from bot.engine import Engine, Reply

HELP = {
    "zh": "直接输入问题即可。/topics 按主题浏览，输入编号选择，/quit 或 Ctrl-D 退出。",
    "en": "Type a question. /topics browses by topic, a number picks a choice, /quit or Ctrl-D ends.",
}


def run_chat(engine: Engine, *, prompt: str = "你> ") -> None:
    """Read questions until EOF or /quit; numbered choices can be picked by number."""
    lang = "zh"
    choices: list[str] = []  # intent ids (or "topic:<name>") behind the numbers shown last
    click.echo("qzbot — 泉州外贸政策助手 / Quanzhou foreign-trade policy assistant")
    click.echo(HELP["zh"])
    while True:
        try:
            line = input(prompt)
        except (EOFError, KeyboardInterrupt):
            click.echo("")
            break
        text = line.strip()
        if text in ("/quit", "/exit", "/q"):
            break
        if text in ("/help", "/start"):
            click.echo(HELP[lang])
            continue
        if text == "/topics":
            topics = engine.topic_titles(lang)
            choices = [f"topic:{t}" for t, _ in topics]
            click.echo("\n".join(f"{i}. {title}" for i, (_, title) in enumerate(topics, 1)))
            continue
        if text.isdigit() and choices and 1 <= int(text) <= len(choices):
            picked = choices[int(text) - 1]
            if picked.startswith("topic:"):
                items = engine.intents_of(picked[6:], lang)
                choices = [s.intent for s in items]
                click.echo("\n".join(f"{i}. {s.title}" for i, s in enumerate(items, 1)))
            else:
                choices = _show(engine.answer_intent(picked, lang))
            continue
        if text.startswith("/"):
            click.echo(("未知命令。" if lang == "zh" else "Unknown command. ") + HELP[lang])
            continue
        reply = engine.ask(line)
        lang = reply.language
        choices = _show(reply)


def _show(reply: Reply) -> list[str]:
    click.echo(reply.answer)
    if reply.suggestions:
        return [s.intent for s in reply.suggestions]
    return [r.intent for r in reply.related]
