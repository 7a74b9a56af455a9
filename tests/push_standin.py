"""A local stand-in for the platforms' webhook endpoints, on 127.0.0.1 (never the real platforms).

It records every request (path, query, JSON body) and answers as the platform would, or as a test
asks: WeCom's own length check (errcode 40058 above 4096 bytes of markdown, as the platform answers:
https://developer.work.weixin.qq.com/document/path/91770), a platform error code, an HTTP error, or
no answer in time.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    raw_query: str
    query: dict[str, list[str]]
    body: dict


@dataclass
class StandIn:
    port: int
    received: list[Received] = field(default_factory=list)
    answer: dict | None = None  # None: the platform's success answer
    status: int = 200
    delay: float = 0.0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _success(path: str, body: dict) -> dict:
    if path.startswith("/open-apis/"):
        return {"code": 0, "msg": "success", "data": {}}
    content = body.get("markdown", {}).get("content", "")
    if path.startswith("/cgi-bin/") and len(content.encode("utf-8")) > 4096:
        return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096. invalid Request Parameter"}
    return {"errcode": 0, "errmsg": "ok"}


@contextmanager
def stand_in() -> Iterator[StandIn]:
    state: StandIn

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — the stdlib's name
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            state.received.append(Received(parts.path, parts.query, parse_qs(parts.query), body))
            if state.delay:
                time.sleep(state.delay)
            payload = json.dumps(state.answer if state.answer is not None else _success(parts.path, body))
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload.encode("utf-8"))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = StandIn(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
