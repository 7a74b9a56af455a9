"""Each platform's webhook request: message format, signature and limits, as the platforms publish them.

- 企业微信 (WeCom) group robot — https://developer.work.weixin.qq.com/document/path/91770 :
  POST JSON `{"msgtype": "markdown", "markdown": {"content": ...}}`; the content is at most 4096 bytes
  of UTF-8 (a longer one is refused with errcode 40058); a robot sends at most 20 messages a minute;
  the answer is `{"errcode": 0, "errmsg": "ok"}`. No signature: the `key` in the address is the credential.
- 钉钉 (DingTalk) custom robot — https://open.dingtalk.com/document/orgapp/custom-robot-access and
  .../robot-message-type : `{"msgtype": "markdown", "markdown": {"title", "text"}}`; with 加签 the
  address gains `timestamp` (milliseconds) and `sign` = urlencode(base64(HmacSHA256(key=secret,
  msg=f"{timestamp}\\n{secret}"))); at most 20 messages a minute (more: throttled for 10 minutes);
  the answer is `{"errcode": 0, "errmsg": "ok"}`. DingTalk names no byte limit for a markdown text:
  we keep to WeCom's 4096 bytes, which every robot takes.
- 飞书 (Feishu) custom bot — https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot :
  `{"msg_type": "post", "content": {"post": {"zh_cn": {"title", "content": [[{"tag": "text"|"a", ...}]]}}}}`;
  with 签名校验 the body gains `timestamp` (seconds, as a string) and `sign` = base64(HmacSHA256(
  key=f"{timestamp}\\n{secret}", msg=b"")); the request body is at most 20 KB; 100 requests a minute;
  the answer is `{"code": 0, "msg": "success"}` (errors such as 19021 sign match fail, 9499 bad request).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_plus

from analytics.push.message import Message, trimmed
from analytics.push.robots import Robot

WECOM_MARKDOWN_BYTES = 4096
DINGTALK_MARKDOWN_BYTES = 4096
FEISHU_BODY_BYTES = 20 * 1024 - 512  # 20 KB, less room for the signature and the JSON around it
MESSAGES_PER_MINUTE = {"wecom": 20, "dingtalk": 20, "feishu": 100}


@dataclass(frozen=True)
class Request:
    """One HTTP POST to a webhook, ready to send; `dropped` paragraphs were trimmed to fit the limit."""

    url: str
    body: dict[str, object]
    dropped: int = 0

    @property
    def data(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: base64(HmacSHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu 签名校验: base64(HmacSHA256 keyed with "timestamp\\nsecret" over an empty message)."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def markdown_text(message: Message, separator: str = "\n") -> str:
    """WeCom breaks a line at each newline; DingTalk's Markdown needs a blank line between paragraphs."""
    parts = [f"### {message.title}", *(block.markdown for block in message.blocks)]
    if message.link:
        parts.append(f"[打开工作台查看明细]({message.link})")
    return separator.join(parts)


def dingtalk_text(message: Message) -> str:
    return markdown_text(message, "\n\n")


def _utf8_size(render: Callable[[Message], str]) -> Callable[[Message], int]:
    return lambda message: len(render(message).encode("utf-8"))


def feishu_post(message: Message) -> dict[str, object]:
    paragraphs: list[list[dict[str, str]]] = [[{"tag": "text", "text": block.plain}] for block in message.blocks]
    if message.link:
        paragraphs.append([{"tag": "a", "text": "打开工作台查看明细", "href": message.link}])
    return {"msg_type": "post", "content": {"post": {"zh_cn": {"title": message.title, "content": paragraphs}}}}


def build_request(robot: Robot, message: Message, now: float | None = None) -> Request:
    """The request `robot` would receive for `message`: trimmed to the platform's limit, and signed
    when the robot has a secret (`now` fixes the clock for tests)."""
    moment = time.time() if now is None else now
    if robot.kind == "wecom":
        fitted, dropped = trimmed(message, _utf8_size(markdown_text), WECOM_MARKDOWN_BYTES)
        body: dict[str, object] = {"msgtype": "markdown", "markdown": {"content": markdown_text(fitted)}}
        return Request(robot.url, body, dropped)
    if robot.kind == "dingtalk":
        fitted, dropped = trimmed(message, _utf8_size(dingtalk_text), DINGTALK_MARKDOWN_BYTES)
        body = {"msgtype": "markdown", "markdown": {"title": message.title, "text": dingtalk_text(fitted)}}
        url = robot.url
        if robot.secret:
            timestamp = int(moment * 1000)
            url += f"{'&' if '?' in url else '?'}timestamp={timestamp}&sign={dingtalk_sign(robot.secret, timestamp)}"
        return Request(url, body, dropped)
    if robot.kind == "feishu":

        def size(candidate: Message) -> int:
            return len(json.dumps(feishu_post(candidate), ensure_ascii=False).encode("utf-8"))

        fitted, dropped = trimmed(message, size, FEISHU_BODY_BYTES)
        body = feishu_post(fitted)
        if robot.secret:
            timestamp = int(moment)
            body = {"timestamp": str(timestamp), "sign": feishu_sign(robot.secret, timestamp), **body}
        return Request(robot.url, body, dropped)
    raise ValueError(f"unknown robot kind {robot.kind!r}")


def platform_error(robot: Robot, answer: object) -> str | None:
    """The platform's own error in its answer (errcode / code present and ≠ 0), or None when it took the
    message. The platforms always send their code; an answer without one (a proxy's, a stand-in's) is
    taken as accepted, since the HTTP status already said so."""
    if not isinstance(answer, dict):
        return None
    if robot.kind in ("wecom", "dingtalk"):
        code, text = answer.get("errcode"), answer.get("errmsg")
    else:
        code = answer.get("code", answer.get("StatusCode"))
        text = answer.get("msg", answer.get("StatusMessage"))
    if code is None or code in (0, "0"):
        return None
    return f"平台错误码 {code}：{text or '（无说明）'}"
