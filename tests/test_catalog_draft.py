"""New documents -> drafts -> reviewed -> published (bot.catalog.draft)."""

from __future__ import annotations

from bot.catalog import load_catalog
from bot.catalog.draft import draft_document, publish_drafts
from bot.catalog.yamlfile import round_trip_yaml
from bot.engine import Engine

NEW_DOC = """泉州出台外贸新政

泉州市设立5亿元外贸物流专项资金，支持企业开通海运新航线，每条航线最高补助200万元。

今天天气晴朗，记者走访了几家企业，大家都很忙碌，对未来充满信心，表示会继续努力。

对新认定的海外仓，按实际投入给予最高100万元奖励，由市商务局负责受理申报。
"""


def test_draft_is_not_served_and_publish_needs_review(mini, tmp_path):
    doc = tmp_path / "policy-2026.txt"
    doc.write_text(NEW_DOC, encoding="utf-8")
    drafts_file = draft_document(mini, doc, doc_id="policy-2026", topic="funds")
    assert drafts_file == mini / "intents" / "drafts" / "policy-2026.yaml"
    catalog = load_catalog(mini)  # still valid, drafts not served
    assert len(catalog.intents) == 2 and "policy-2026" in catalog.documents
    assert (mini / "seeds" / "policy-2026.txt").read_text(encoding="utf-8") == NEW_DOC

    yaml = round_trip_yaml()
    data = yaml.load(drafts_file.read_text(encoding="utf-8"))
    drafts = data["drafts"]
    assert len(drafts) == 2  # the weather paragraph bears no policy
    assert drafts[0]["intent"]["sources"][0]["quote"].startswith("泉州市设立5亿元外贸物流专项资金")

    report = publish_drafts(mini, drafts_file)
    assert report.published == [] and len(report.waiting) == 2

    drafts[0]["reviewed"] = True
    drafts[1]["reviewed"] = True
    drafts[1]["intent"]["answer"]["en"] = "New overseas warehouses get up to 1 million yuan, via the Bureau of Commerce."
    with open(drafts_file, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    report = publish_drafts(mini, drafts_file)
    assert report.published == [drafts[1]["intent"]["id"]]
    assert [why for _, why in report.refused] == ["the English answer is still the draft placeholder"]
    left = yaml.load(drafts_file.read_text(encoding="utf-8"))["drafts"]
    assert [d["intent"]["id"] for d in left] == [drafts[0]["intent"]["id"]]
    engine = Engine.load(mini)
    assert drafts[1]["intent"]["id"] in engine.catalog.intents
    assert "100万元" in engine.answer_intent(drafts[1]["intent"]["id"], "zh").answer
