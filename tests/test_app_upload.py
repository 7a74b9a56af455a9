"""The upload page walks a user through a real export it cannot load as it is (issue 14): the columns
it found, what each maps to, the words it does not know (a choice per word), the constants it needs,
what the review will and will not compute — and it remembers all of it for next time."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.ui import data
from analytics.ui.upload import for_users

APP = str(Path(__file__).resolve().parent.parent / "app.py")

# A 督办 system's easyexcel export (jinzhaochao/unionpay, portalSupervisionService ServiceModel):
# no 事项编号, no 主办人, a status word of its own and a raw code.
SUPERVISION = (
    "事项类别,来源时间,事项名称,任务要求,主办单位,拟办结时间,推进状态\n"
    "总经理办公会,2026-11-10,完成年度预算编制,按期上报,财务部,2026-11-20,推进中\n"
    "总经理办公会,2026-11-10,修订差旅制度,征求意见,行政部,2026-11-30,暂缓推进\n"
    "总经理办公会,2026-11-10,清理合同档案,归档,法务部,2026-11-18,3\n"
).encode("gb18030")
DOCUMENTS = "文件标题,文种,登记日期\n关于年会的通知,通知,2026-11-02\n".encode()


@pytest.fixture(autouse=True)
def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    data.forget_database_state()


def upload_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page("app_pages/upload.py").run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in (at.markdown, at.caption, at.warning, at.error, at.success, at.info) for e in kind]
    parts += [w.label for w in [*at.selectbox, *at.radio, *at.text_input]]
    return "\n".join(str(p) for p in parts)


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_keyless_export_with_words_of_its_own_is_walked_through_and_remembered(db_path: Path) -> None:
    at = upload_page()
    at.file_uploader[0].set_value(("督办事项.csv", SUPERVISION, "text/csv")).run()
    no_exception(at)
    text = page_text(at)
    assert "识别为：**决议督办台账**" in text
    # what the file lacks and what the review cannot compute from it
    assert "文件中没有这些列：" in text and "责任人" in text
    # 本周催办 counts reminders by 最近催办日期, which this system does not export; 平均完成周期 reads 来源时间
    (reach,) = [c.value for c in at.caption if c.value.startswith("复盘中以下指标无法从这个文件算出")]
    assert "本周催办" in reach and "平均完成周期" not in reach
    assert "文件没有编号列" in text
    # a choice per word the system does not know
    questions = {box.label: box for box in at.selectbox if box.label.startswith("「推进状态」列中的")}
    assert set(questions) == {"「推进状态」列中的「暂缓推进」表示：", "「推进状态」列中的「3」表示："}
    questions["「推进状态」列中的「暂缓推进」表示："].set_value("cancelled").run()
    next(b for b in at.selectbox if b.label == "「推进状态」列中的「3」表示：").set_value("done").run()
    no_exception(at)
    assert any("没有发现错误" in s.value or "3 行" in s.value for s in at.success), [s.value for s in at.success]
    at.button(key="load").click().run()
    no_exception(at)
    assert any("导入 3 行" in s.value for s in at.success), [s.value for s in at.success]
    assert query(db_path, "select item, status from decisions order by item") == [
        ("修订差旅制度", "cancelled"),
        ("完成年度预算编制", "open"),
        ("清理合同档案", "done"),
    ]
    # next month's export: the same words are understood without asking
    st.cache_data.clear()
    again = upload_page()
    later = SUPERVISION.decode("gb18030").replace("2026-11-10", "2026-12-01").encode("gb18030")
    again.file_uploader[0].set_value(("督办事项-12月.csv", later, "text/csv")).run()
    no_exception(again)
    assert not [b for b in again.selectbox if b.label.startswith("「推进状态」列中的")]
    assert not again.warning or all("校验" not in w.value for w in again.warning)


def test_a_document_list_asks_incoming_or_outgoing_and_the_answer_is_remembered(db_path: Path) -> None:
    at = upload_page()
    at.file_uploader[0].set_value(("登记簿.csv", DOCUMENTS, "text/csv")).run()
    no_exception(at)
    assert "--" not in page_text(at)
    at.radio(key=next(r.key for r in at.radio if r.label.startswith("文件里看不出"))).set_value("incoming").run()
    no_exception(at)
    assert "识别为：**收发文台账**" in page_text(at)
    at.button(key="load").click().run()
    assert query(db_path, "select title, direction from documents") == [("关于年会的通知", "incoming")]
    st.cache_data.clear()
    again = upload_page()
    again.file_uploader[0].set_value(("登记簿-12月.csv", DOCUMENTS, "text/csv")).run()
    assert "识别为：**收发文台账**" in page_text(again)
    assert not [r for r in again.radio if r.label.startswith("文件里看不出")]


def test_an_ambiguous_file_asks_which_ledger_and_a_skipped_file_is_mentioned(db_path: Path) -> None:
    at = upload_page()
    ambiguous = "主题,开始时间,结束时间\n周例会,2026-11-23 09:00,2026-11-23 10:00\n".encode()
    at.file_uploader[0].set_value([("a.csv", ambiguous, "text/csv"), ("督办事项.csv", SUPERVISION, "text/csv")]).run()
    no_exception(at)
    text = page_text(at)
    assert "这个表同时符合 「会议台账」、「总经理日程」" in text
    assert "这些文件不会导入（未能识别为台账，见上面的说明）：a\\.csv" in text  # escaped Markdown
    assert "--ledger" not in text and "(meetings)" not in text


def test_the_preview_says_what_the_review_cannot_compute_from_a_file(db_path: Path) -> None:
    # GXGA's meeting list (nanlei/GXGA, Freemarker/front/oa/meeting_list.ftl): no attendee count.
    meetings = "会议主题,会议室,部门,开始时间,结束时间\n安全例会,三楼会议室,安保部,2026-11-23 09:00,2026-11-23 10:00\n"
    at = upload_page()
    at.file_uploader[0].set_value(("会议.csv", meetings.encode(), "text/csv")).run()
    no_exception(at)
    (reach,) = [c.value for c in at.caption if c.value.startswith("复盘中以下指标无法从这个文件算出")]
    assert "会议人时" in reach and "纪要24小时出具率" in reach, reach
    assert any("参会人数" in c.value for c in at.caption if c.value.startswith("文件中没有这些列"))


def test_command_line_wording_never_reaches_the_page() -> None:
    assert (
        for_users(
            "x.csv：2 行有错误（共 2 处），整个文件未导入。改正后重新导入，或只导入有效行（上传页面选“只导入有效行”，命令行加 --load-valid）。"
        )
        == "x.csv：2 行有错误（共 2 处），整个文件未导入。改正后重新导入，或只导入有效行（可选择“只导入有效行”）。"
    )
    assert "--" not in for_users(
        "无法识别是哪一种台账；最接近的是「决议督办台账」(decisions)，缺少必填列：\n"
        "如果文件用了别的列名，可用 --map '文件中的列名=标准列名' 指定（上传页面中可设置列映射），会保存供以后使用。"
    )
