"""Admin commands of `qzbot`: stats, inbox, teach, draft, publish."""

from __future__ import annotations

from bot.catalog.yamlfile import round_trip_yaml
from bot.store import Store
from conftest import MINI


def _db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = Store.open(url)
    store.upgrade()
    return store


def test_stats_and_chart(run_cli, tmp_path, monkeypatch):
    store = _db(tmp_path, monkeypatch)
    store.log_question(user_id=1, chat_id=1, question="海外仓有多少个", outcome="answer", intent="funds.warehouses", score=90.0, language="zh")
    store.log_question(user_id=1, chat_id=1, question="明天下雨吗", outcome="fallback", intent=None, score=10.0, language="zh")
    store.close()
    chart = tmp_path / "chart.png"
    result = run_cli("--catalog", str(MINI), "stats", "--chart", str(chart))
    assert "questions in the last 14 days: 2" in result.output
    assert "top unanswered: 明天下雨吗 (1)" in result.output
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_inbox_then_teach_makes_it_answered(run_cli, mini, tmp_path, monkeypatch):
    store = _db(tmp_path, monkeypatch)
    for _ in range(2):
        store.log_question(user_id=1, chat_id=1, question="国外仓库总共几座", outcome="fallback", intent=None, score=30.0, language="zh")
    store.close()
    result = run_cli("--catalog", str(mini), "inbox")
    assert "1. [2x] 国外仓库总共几座" in result.output
    result = run_cli("--catalog", str(mini), "teach", "funds.warehouses", "国外仓库总共几座")
    assert result.exit_code == 0
    assert "147" in run_cli("--catalog", str(mini), "ask", "国外仓库总共几座").output
    refused = run_cli("--catalog", str(mini), "teach", "funds.warehouses", "外贸基金是什么")
    assert refused.exit_code == 1 and "is also a phrasing of funds.trade_fund" in refused.output


def test_draft_and_publish_commands(run_cli, mini, tmp_path, monkeypatch):
    _db(tmp_path, monkeypatch).close()
    doc = tmp_path / "new-policy.txt"
    doc.write_text("新政策\n\n泉州市设立5亿元外贸物流专项资金，支持企业开通海运新航线，每条航线最高补助200万元。\n", encoding="utf-8")
    result = run_cli("--catalog", str(mini), "draft", str(doc), "--topic", "funds")
    assert result.exit_code == 0 and "drafts written to" in result.output
    drafts = mini / "intents" / "drafts" / "new-policy.yaml"
    result = run_cli("--catalog", str(mini), "publish", str(drafts))
    assert "0 published, 0 refused, 1 not reviewed yet." in result.output

    yaml = round_trip_yaml()
    data = yaml.load(drafts.read_text(encoding="utf-8"))
    data["drafts"][0]["reviewed"] = True
    data["drafts"][0]["intent"]["answer"]["en"] = "A 500 million yuan fund supports new sea routes, up to 2 million yuan a route."
    with open(drafts, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    result = run_cli("--catalog", str(mini), "publish", str(drafts))
    assert "1 published, 0 refused, 0 not reviewed yet." in result.output
    intent_id = data["drafts"][0]["intent"]["id"]
    assert "· create_intent · funds:" in run_cli("--catalog", str(mini), "history", intent_id).output  # audited


def test_teach_is_audited_and_restore_undoes_it(run_cli, mini, tmp_path, monkeypatch):
    _db(tmp_path, monkeypatch).close()
    file = mini / "intents" / "funds.yaml"
    original = file.read_text(encoding="utf-8")
    assert run_cli("--catalog", str(mini), "teach", "funds.warehouses", "国外仓库总共几座").exit_code == 0
    listing = run_cli("--catalog", str(mini), "history", "funds.warehouses")
    assert listing.output.startswith("#1 ") and "· cli:" in listing.output and "add_phrasing · +zh 国外仓库总共几座" in listing.output
    shown = run_cli("--catalog", str(mini), "history", "funds.warehouses", "--show", "1")
    assert "--- before" in shown.output and "国外仓库总共几座" in shown.output.split("--- after")[1]
    restored = run_cli("--catalog", str(mini), "restore", "1")
    assert restored.exit_code == 0 and "restored the version before #1 (audit #2)" in restored.output
    assert file.read_text(encoding="utf-8") == original
    missing = run_cli("--catalog", str(mini), "restore", "99")
    assert missing.exit_code == 1 and "no audit entry #99" in missing.output
    assert "funds.trade_fund: no edits recorded." in run_cli("--catalog", str(mini), "history", "funds.trade_fund").output
