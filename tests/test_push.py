"""Group robots: each platform's payload and signature, checked by a stand-in server on 127.0.0.1 with
the platform's own algorithm (written again here, not imported); trimming to the limit; failures
reported plainly and audited; secrets nowhere in the output or the audit log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from analytics.auth.audit import entries, log
from analytics.cli import main
from analytics.push import PushError, robot, send
from analytics.push.message import Block, Message
from analytics.push.platforms import build_request
from analytics.weeks import Week
from tests.push_standin import stand_in
from tests.weekly_fixture import ROWS, build_weekly_fixture

WECOM_KEY = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN = "b2f8c1d4e5a6978812345678abcdef0011223344"
DING_SECRET = "SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88"
FEISHU_HOOK = "5e3d587e-d78e-4a07-bd07-265f269f86fd"
FEISHU_SECRET = "nIMtb7r3N9pkXyXdtAbx6e"
SECRETS = (WECOM_KEY, DING_TOKEN, DING_SECRET, FEISHU_HOOK, FEISHU_SECRET)


@pytest.fixture
def server():
    with stand_in() as state:
        yield state


@pytest.fixture
def db(db_path: Path, server) -> Path:
    build_weekly_fixture(db_path)
    db_path.with_name("settings.toml").write_text(
        f"""dashboard_url = "http://ops.example.cn:8501/"

[push.office]
kind = "wecom"
url = "{server.url("/cgi-bin/webhook/send")}?key={WECOM_KEY}"

[push.ding]
kind = "dingtalk"
url = "{server.url("/robot/send")}?access_token={DING_TOKEN}"
secret = "{DING_SECRET}"

[push.lark]
kind = "feishu"
url = "{server.url("/open-apis/bot/v2/hook/" + FEISHU_HOOK)}"
secret = "{FEISHU_SECRET}"
""",
        encoding="utf-8",
    )
    return db_path


def push(db: Path, *extra: str) -> int:
    return main(["push", "--week", "2026-W47", "--db", str(db), *extra])


def audit_text(db: Path) -> str:
    return entries(db).to_json(force_ascii=False, date_format="iso")


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def test_wecom_gets_one_markdown_message_with_the_headline_numbers_conclusion_first(db, server, capsys) -> None:
    assert push(db, "--to", "office") == 0
    (request,) = server.received
    assert request.path == "/cgi-bin/webhook/send" and request.query["key"] == [WECOM_KEY]
    assert request.body["msgtype"] == "markdown"
    content = request.body["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096
    lines = content.split("\n")
    assert lines[0].startswith("### ") and "2026-W47" in lines[0]
    assert lines[1].startswith("**结论：")  # conclusion first (weekly_fixture: 3 to watch, 8 off target)
    assert "决议执行率 60.0%" in lines[2] and "低效会议占比 66.7%" in lines[2] and "办公用品浪费率 7.1%" in lines[2]
    assert lines[-1] == "[打开工作台查看明细](http://ops.example.cn:8501/?week=2026-W47)"
    out = capsys.readouterr()
    assert "已推送 2026-W47" in out.out
    log = entries(db)
    assert list(log["action"]) == ["push"] and list(log["outcome"]) == ["ok"] and list(log["target"]) == ["office"]
    assert_no_secret(out.out, out.err, audit_text(db))


def test_the_message_names_no_document_calendar_entry_or_item(db, server) -> None:
    assert push(db, "--to", "office") == 0
    content = server.received[0].body["markdown"]["content"]
    titles = [row[2] for row in ROWS["documents"][1]] + [row[1] for row in ROWS["schedule"][1]]
    titles += [row[2] for row in ROWS["decisions"][1]]
    assert not [title for title in titles if title in content]


def test_dingtalk_signs_the_address_with_timestamp_and_sign(db, server) -> None:
    before = int(time.time() * 1000)
    assert push(db, "--to", "ding") == 0
    (request,) = server.received
    assert request.query["access_token"] == [DING_TOKEN]
    timestamp = request.query["timestamp"][0]
    assert before <= int(timestamp) <= int(time.time() * 1000)  # milliseconds, now
    # DingTalk: sign = urlencode(base64(HmacSHA256(key=secret, msg=timestamp + "\n" + secret)))
    expected = base64.b64encode(
        hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.query["sign"] == [expected]
    raw_sign = dict(part.split("=", 1) for part in request.raw_query.split("&"))["sign"]
    assert not set("+/=") & set(raw_sign)  # URL-encoded in the address
    markdown = request.body["markdown"]
    assert request.body["msgtype"] == "markdown" and "2026-W47" in markdown["title"]
    assert "决议执行率 60.0%" in markdown["text"] and len(markdown["text"].encode()) <= 4096


def test_feishu_signs_the_body_and_sends_a_post_with_the_link(db, server) -> None:
    assert push(db, "--to", "lark") == 0
    (request,) = server.received
    assert request.path == f"/open-apis/bot/v2/hook/{FEISHU_HOOK}"
    body = request.body
    timestamp = body["timestamp"]
    assert isinstance(timestamp, str) and abs(int(timestamp) - time.time()) < 60  # seconds
    # Feishu: sign = base64(HmacSHA256(key=timestamp + "\n" + secret, msg=empty))
    expected = base64.b64encode(hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest())
    assert body["sign"] == expected.decode()
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["zh_cn"]
    assert "2026-W47" in post["title"]
    texts = [element["text"] for paragraph in post["content"] for element in paragraph]
    assert texts[0].startswith("结论：") and "决议执行率 60.0%" in texts[1]
    assert post["content"][-1] == [
        {"tag": "a", "text": "打开工作台查看明细", "href": "http://ops.example.cn:8501/?week=2026-W47"}
    ]
    assert len(json.dumps(body, ensure_ascii=False).encode()) <= 20 * 1024


def test_dry_run_prints_the_request_masked_and_sends_nothing(db, server, capsys) -> None:
    assert push(db, "--to", "ding", "--dry-run") == 0
    printed = json.loads(capsys.readouterr().out)
    assert server.received == []
    assert printed["url"].endswith("access_token=***&timestamp=" + printed["url"].split("timestamp=")[1])
    assert "sign=***" in printed["url"] and printed["body"]["msgtype"] == "markdown"
    assert_no_secret(json.dumps(printed, ensure_ascii=False))
    assert entries(db).empty


LONG = Message(
    "周度复盘 · 2026-W47",
    (
        Block("**结论：本周需要关注的事项很多。**", "结论：本周需要关注的事项很多。"),
        Block("> 核心指标：决议执行率 60.0%", "核心指标：决议执行率 60.0%"),
        *(
            Block(f"- 第{i}条：" + "部门事项说明" * 12, f"• 第{i}条：" + "部门事项说明" * 12, optional=True)
            for i in range(80)
        ),
    ),
    "http://ops.example.cn:8501/?week=2026-W47",
)


@pytest.mark.parametrize("name", ["office", "ding", "lark"])
def test_a_long_message_is_trimmed_with_a_note_and_the_platform_takes_it(db, server, name) -> None:
    target = robot(db.with_name("settings.toml"), name)
    request = build_request(target, LONG)
    assert request.dropped > 0
    send(db, target, request, Week(2026, 47))  # the stand-in refuses WeCom markdown above 4096 bytes
    body = server.received[0].body
    text = json.dumps(body, ensure_ascii=False)
    assert f"另有{request.dropped}条未列出" in text and "结论：本周需要关注的事项很多" in text and "第0条" in text
    assert "第79条" not in text
    if name == "office":
        assert 3900 < len(body["markdown"]["content"].encode()) <= 4096  # as much as fits
        assert body["markdown"]["content"].endswith("(http://ops.example.cn:8501/?week=2026-W47)")
    if name == "lark":
        assert len(json.dumps(body, ensure_ascii=False).encode()) <= 20 * 1024


def test_the_platforms_error_code_fails_the_command_and_is_audited(db, server, capsys) -> None:
    server.answer = {"errcode": 310000, "errmsg": "sign not match"}
    assert push(db, "--to", "ding") == 1
    err = capsys.readouterr().err
    assert "推送到 ding（钉钉） 失败：平台错误码 310000：sign not match" in err
    log = entries(db)
    assert list(log["outcome"]) == ["failed"] and "310000" in log["detail"][0]
    assert_no_secret(err, audit_text(db))


def test_feishu_code_other_than_zero_is_a_failure(db, server, capsys) -> None:
    server.answer = {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
    assert push(db, "--to", "lark") == 1
    assert "平台错误码 19021" in capsys.readouterr().err


def test_an_http_error_fails_plainly(db, server, capsys) -> None:
    server.status = 502
    assert push(db, "--to", "office") == 1
    err = capsys.readouterr().err
    assert "HTTP 502" in err and "Traceback" not in err
    assert_no_secret(err, audit_text(db))


def test_no_answer_in_time_is_a_timeout(db, server) -> None:
    server.delay = 1.5
    target = robot(db.with_name("settings.toml"), "office")
    with pytest.raises(PushError, match="超时"):
        send(db, target, build_request(target, LONG), Week(2026, 47), timeout=0.3)
    log = entries(db)
    assert list(log["outcome"]) == ["failed"] and "超时" in log["detail"][0]
    assert_no_secret(audit_text(db))


def test_an_unreachable_robot_fails_without_showing_its_key(db, capsys) -> None:
    settings = db.with_name("settings.toml")
    settings.write_text(
        f'[push.gone]\nkind = "wecom"\nurl = "http://127.0.0.1:9/cgi-bin/webhook/send?key={WECOM_KEY}"\n'
    )
    assert push(db, "--to", "gone") == 1
    err = capsys.readouterr().err
    assert "无法连接" in err
    assert_no_secret(err, audit_text(db))


def test_twenty_messages_a_minute_is_the_most_a_wecom_robot_sends(db, server, capsys) -> None:
    assert push(db, "--to", "office") == 0
    for _ in range(19):  # 19 more messages sent in the last minute
        log(db, "push", "command line", target="office", detail={"week": "2026-W47"})
    assert push(db, "--to", "office") == 1
    assert len(server.received) == 1
    assert "每分钟最多 20 条消息" in capsys.readouterr().err
    log(db, "push", "command line", target="office", when=datetime.now() - timedelta(minutes=20))
    assert push(db, "--to", "ding") == 0  # another robot has its own limit


def test_an_unknown_robot_or_kind_is_a_usage_error(db, capsys) -> None:
    assert push(db, "--to", "nobody") == 2
    assert "没有名为「nobody」的群机器人（已配置：office、ding、lark）" in capsys.readouterr().err
    db.with_name("settings.toml").write_text('[push.x]\nkind = "slack"\nurl = "http://127.0.0.1/"\n')
    assert push(db, "--to", "x") == 2


def test_the_assistant_sends_the_summary_from_the_overview(db, server) -> None:
    from streamlit.testing.v1 import AppTest

    from analytics.ui import data

    data.forget_database_state()
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.query_params["week"] = "2026-W47"
    at.run()
    assert not at.exception
    at.selectbox(key="push_robot").set_value("office").run()
    at.button(key="push_send").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [s.value for s in at.success] == [
        f"已推送 2026-W47 周度复盘到 office（企业微信）（{len(json.dumps(server.received[0].body, ensure_ascii=False).encode())} 字节）"
    ]
    assert "决议执行率 60.0%" in server.received[0].body["markdown"]["content"]
    log = entries(db)
    assert list(log.loc[log["action"] == "push", "outcome"]) == ["ok"]


def test_the_monday_script_writes_the_reports_and_pushes_with_one_log_line(db, server, tmp_path) -> None:
    import os
    import subprocess

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "OPS_DB": str(db),
        "OPS_TODAY": "2026-11-25",
        "WEEKLY_OUT": str(tmp_path / "reports"),
        "WEEKLY_PUSH": "office lark",
        "WEEKLY_LOG": str(tmp_path / "weekly.log"),
        "PYTHONPATH": str(root),
    }
    done = subprocess.run(["bash", str(root / "scripts" / "weekly.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "reports" / "2026-W47"
    assert sorted(p.name for p in folder.iterdir()) == ["周报_2026-W47.docx", "周报_2026-W47.md", "周报_2026-W47.xlsx"]
    # (no month ended within the week before 11-25: no bulletin; see the next test)
    assert [r.path.split("/")[1] for r in server.received] == ["cgi-bin", "open-apis"]
    last = done.stdout.strip().splitlines()[-1]
    assert last.endswith(f"weekly 2026-W47: report 3/3 files in {folder}; push office ok, lark ok")
    assert (tmp_path / "weekly.log").read_text(encoding="utf-8").strip() == last
    assert_no_secret(done.stdout, done.stderr, (tmp_path / "weekly.log").read_text(encoding="utf-8"))


def test_an_answer_without_a_code_is_taken_as_accepted(db, server) -> None:
    server.answer = {}
    assert push(db, "--to", "office") == 0
    server.answer = {"errcode": 0}
    assert push(db, "--to", "lark") == 0  # Feishu answers code; errcode is another platform's word
    assert list(entries(db)["outcome"]) == ["ok", "ok"]


def test_the_first_monday_after_a_month_ends_also_writes_its_bulletin(db, tmp_path) -> None:
    import os
    import subprocess

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "OPS_DB": str(db),
        "OPS_TODAY": "2026-12-07",  # Monday; November ended last Monday-to-Sunday
        "WEEKLY_OUT": str(tmp_path / "reports"),
        "WEEKLY_LOG": str(tmp_path / "weekly.log"),
        "PYTHONPATH": str(root),
    }
    done = subprocess.run(["bash", str(root / "scripts" / "weekly.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "reports" / "2026-W49"
    assert (folder / "督办通报_2026-11.docx").exists()
    assert (
        done.stdout.strip()
        .splitlines()[-1]
        .endswith(f"weekly 2026-W49: report 4/4 files in {folder}; push: none configured (WEEKLY_PUSH)")
    )
