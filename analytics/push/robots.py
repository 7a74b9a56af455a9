"""Group robots configured in the settings file beside the database.

```toml
dashboard_url = "http://ops.example.cn:8501/"   # optional: the message links to the dashboard

[push.行政群]
kind = "wecom"                # wecom | dingtalk | feishu
url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=..."
secret = "SEC..."             # optional: DingTalk 加签 / Feishu 签名校验
```
The webhook address carries a credential (WeCom's `key`, DingTalk's `access_token`, Feishu's hook
id) and the secret is one: `masked_url` and `mask` are what logs, output and the audit log show.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from analytics.errors import UsageError

KINDS = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书"}
HIDDEN = "***"
# Query parameters that are credentials (or derived from one): never shown.
_SECRET_PARAMETERS = frozenset({"key", "access_token", "sign", "token", "secret"})


@dataclass(frozen=True)
class Robot:
    """One group robot: its name in the settings, its platform, its webhook and its signing secret."""

    name: str
    kind: str
    url: str
    secret: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name}（{KINDS[self.kind]}）"

    def secrets(self) -> list[str]:
        """Every string that must never be shown: the secret, the webhook's credentials, the webhook itself."""
        parts = urlsplit(self.url)
        found = [self.url, self.secret or ""]
        found += [value for name, value in parse_qsl(parts.query) if name.lower() in _SECRET_PARAMETERS]
        found += [segment for segment in parts.path.split("/") if len(segment) >= 16]  # Feishu's hook id
        return sorted({s for s in found if len(s) >= 4}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        """`text` with every secret of this robot replaced by ***."""
        for secret in self.secrets():
            text = text.replace(secret, masked_url(secret) if secret == self.url else HIDDEN)
        return text


def masked_url(url: str) -> str:
    """The webhook address with its credentials hidden: `...send?key=***`, `.../hook/***`."""
    parts = urlsplit(url)
    query = urlencode(
        [(name, HIDDEN if name.lower() in _SECRET_PARAMETERS else value) for name, value in parse_qsl(parts.query)],
        safe="*",
    )
    path = "/".join(HIDDEN if len(segment) >= 16 else segment for segment in parts.path.split("/"))
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _settings_file(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"设置文件 {path} 无法读取：{exc}") from exc


def robots(path: Path) -> dict[str, Robot]:
    """The robots named in the settings file, by name; a robot with a wrong kind or address is refused."""
    table = _settings_file(path).get("push", {})
    if not isinstance(table, dict):
        raise UsageError(f"设置文件 {path} 中 [push] 应是一张表，每个机器人一节：[push.名称]")
    found: dict[str, Robot] = {}
    for name, entry in table.items():
        if not isinstance(entry, dict):
            raise UsageError(f"设置文件 {path} 中 push.{name} 应是一节 [push.{name}]，含 kind、url（可选 secret）")
        kind = str(entry.get("kind", "")).strip().lower()
        if kind not in KINDS:
            raise UsageError(f"设置文件 {path} 中 [push.{name}] 的 kind 应为 {' / '.join(KINDS)}，而不是 {kind!r}")
        url = str(entry.get("url", "")).strip()
        if not re.match(r"^https?://[^\s/]+", url):
            raise UsageError(f"设置文件 {path} 中 [push.{name}] 的 url 应是 http(s):// 开头的 Webhook 地址")
        secret = entry.get("secret")
        if secret is not None and not isinstance(secret, str):
            raise UsageError(f"设置文件 {path} 中 [push.{name}] 的 secret 应是一段文字")
        found[name] = Robot(name, kind, url, secret.strip() if secret else None)
    return found


def robot(path: Path, name: str) -> Robot:
    """The robot called `name`; an unknown name is a usage error that lists the configured ones."""
    configured = robots(path)
    if name not in configured:
        known = "、".join(configured) if configured else "（无）"
        raise UsageError(
            f"设置文件 {path} 中没有名为「{name}」的群机器人（已配置：{known}）；"
            f'请添加 [push.{name}]，含 kind = "wecom" | "dingtalk" | "feishu" 与 url'
        )
    return configured[name]


def dashboard_url(path: Path) -> str | None:
    """The dashboard's address (`dashboard_url` in the settings file), when configured."""
    value = _settings_file(path).get("dashboard_url")
    if isinstance(value, str) and re.match(r"^https?://\S+$", value.strip()):
        return value.strip()
    return None
