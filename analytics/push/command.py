"""`python -m analytics push --week YYYY-Www --to NAME [--dry-run]`: the week's summary to a group robot.

Exit 0 when the platform took the message; 1 when it did not (HTTP error, the platform's error code,
no answer in time, or this robot's messages-a-minute limit reached); 2 for a wrong request (a week
not begun, an unknown robot). Every attempt is written to the audit log with the week, the robot and
the outcome; the webhook's key and the secret never appear there, in the output or in an error.
"""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

from analytics.auth import audit
from analytics.config import database_path, settings_path
from analytics.db import connect
from analytics.errors import AnalyticsError, UsageError
from analytics.metrics import latest_week_with_data
from analytics.push.message import weekly_message
from analytics.push.platforms import MESSAGES_PER_MINUTE, Request, build_request, platform_error
from analytics.push.robots import HIDDEN, KINDS, Robot, dashboard_url, masked_url, robot
from analytics.settings import load_settings
from analytics.weeks import Week, today

TIMEOUT_SECONDS = 10.0
ACTOR = "command line"


class PushError(AnalyticsError):
    """The platform did not take the message (exit 1); the text is safe to show and to log."""


def run(args: argparse.Namespace) -> int:
    db_path = database_path(getattr(args, "db", None))
    week = Week.parse(args.week) if args.week else None
    if week is not None and week.start > today():
        raise UsageError(f"{week} 尚未开始（今天是 {today():%Y-%m-%d}）")
    config = settings_path(db_path)
    target = robot(config, args.to)
    if not db_path.exists():
        raise UsageError(f"数据库 {db_path} 不存在；请先导入台账")
    request, week = prepare(db_path, target, week)
    if args.dry_run:
        print(json.dumps(shown(target, request), ensure_ascii=False, indent=2))
        return 0
    note = send(db_path, target, request, week, actor=ACTOR)
    print(note)
    return 0


def prepare(db_path: Path, target: Robot, week: Week | None = None) -> tuple[Request, Week]:
    """The request for `target` carrying the summary of `week` (default: the last complete week with data)."""
    config = settings_path(db_path)
    settings = load_settings(config)
    with connect(db_path) as con:
        if week is None:
            week = latest_week_with_data(con)
            if week is None:
                raise UsageError("数据库中还没有完整周的台账数据：请先导入，或用 --week 指定周")
        message = weekly_message(con, week, settings, dashboard_url(config))
    return build_request(target, message), week


def shown(target: Robot, request: Request) -> dict[str, object]:
    """The request as `--dry-run` prints it: the address and the signature masked, the secret absent."""
    body = dict(request.body)
    if "sign" in body:
        body["sign"] = HIDDEN
    return {
        "robot": target.name,
        "kind": target.kind,
        "method": "POST",
        "url": masked_url(request.url),
        "headers": {"Content-Type": "application/json; charset=utf-8"},
        "body": json.loads(target.mask(json.dumps(body, ensure_ascii=False))),
        "bytes": len(request.data),
        "trimmed_paragraphs": request.dropped,
    }


def _sent_last_minute(db_path: Path, target: Robot, now: datetime) -> int:
    with connect(db_path) as con:
        row = con.execute(
            "select count(*) from audit_log where action = 'push' and target = $target and outcome = 'ok' "
            "and occurred_at > $since",
            {"target": target.name, "since": now - timedelta(minutes=1)},
        ).fetchone()
    return int(row[0]) if row else 0


def _post(target: Robot, request: Request, timeout: float) -> str | None:
    """POST the request; None when the platform took it, else why not (masked)."""
    http = urllib.request.Request(
        request.url,
        data=request.data,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(http, timeout=timeout) as response:  # noqa: S310 — http(s) only (robots.py)
            raw = response.read(1_000_000)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.reason}"
    except TimeoutError:
        return f"{timeout:g} 秒内没有应答（超时）"
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return f"{timeout:g} 秒内没有应答（超时）"
        return f"无法连接：{reason}"
    except OSError as exc:
        return f"连接中断：{exc}"
    try:
        answer = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = None  # a 2xx without a JSON answer: accepted, as the HTTP status says
    return platform_error(target, answer)


def send(
    db_path: Path,
    target: Robot,
    request: Request,
    week: Week,
    *,
    actor: object = ACTOR,
    timeout: float = TIMEOUT_SECONDS,
) -> str:
    """Send, write the attempt to the audit log, and return what to tell the user; a failure is a PushError."""
    now = datetime.now()
    detail = {"week": str(week), "kind": target.kind, "bytes": len(request.data), "trimmed": request.dropped}
    limit = MESSAGES_PER_MINUTE[target.kind]
    if _sent_last_minute(db_path, target, now) >= limit:
        problem = f"{KINDS[target.kind]}群机器人每分钟最多 {limit} 条消息，本分钟已发满；请一分钟后再试"
    else:
        problem = _post(target, request, timeout)
    if problem is not None:
        problem = target.mask(problem)
        audit.log(db_path, "push", actor, target=target.name, outcome="failed", detail={**detail, "error": problem})
        raise PushError(f"推送到 {target.label} 失败：{problem}")
    audit.log(db_path, "push", actor, target=target.name, detail=detail)
    text = f"已推送 {week} 周度复盘到 {target.label}（{len(request.data)} 字节）"
    if request.dropped:
        text += f"；超出平台长度上限，已省略 {request.dropped} 段"
    return text
