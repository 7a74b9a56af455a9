"""Page loads on the wire: what a browser tab asks of the Streamlit server, without a browser.

A real user's browser runs on the user's own computer; on the benchmark's machine, rendering eight
Chromium tabs costs far more CPU than serving them (bench/browser.py's concurrent run shows it). This
client does, for each page load, exactly what Streamlit's frontend (static/js/index.*.js,
`ConnectionManager` and `App.sendRerunBackMsg`) does on the network when a tab opens a URL:

1. GET the page's URL (index.html), `/_stcore/health` (sets the `_streamlit_xsrf` cookie) and
   `/_stcore/host-config`; static assets are left out (a warm browser has them cached);
2. open the websocket `/_stcore/stream` with the subprotocols `["streamlit", <xsrf cookie>]`, the
   cookie and a same-origin `Origin` header;
3. send one `BackMsg.rerun_script` (ClientState): the URL's query string, `page_name` = the URL's
   path below the app's root ("" for the main page), an empty `page_script_hash` (the first run of a
   tab), no widget states, no cached message hashes, the browser's context (time zone, locale, URL);
4. read `ForwardMsg`s until `script_finished` = FINISHED_SUCCESSFULLY (a FINISHED_EARLY_FOR_RERUN,
   from `st.rerun()`, is followed by another run, which is awaited too).

The page's elements are kept by delta path, as the frontend keeps them, so the count of `metric`
elements is what the tab would show when the run ends. A load is an error when it times out, the
connection fails or closes early, an HTTP request does not answer 200, the page shows an exception
or an error box (`exception` element, `alert` with format ERROR — what bench/browser.py looks for in
the page), the server says the page does not exist (`page_not_found`) or the script did not compile,
or the page ends with fewer KPI tiles than expected.

`websockets` is Streamlit's own dependency (its server runs on uvicorn); nothing else is needed.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from bench.browser import ConcurrentResult, PageLoad, Target, cpu_seconds, run_ingest, server_pid_of

PAGE_TIMEOUT = 120.0
TIMEZONE, TIMEZONE_OFFSET, LOCALE = "Asia/Shanghai", -480, "zh-CN"  # the browser's context, as a Chinese user's
XSRF_COOKIE = "_streamlit_xsrf"
THINK_SECONDS = (1.0, 5.0)
"""How long a user looks at a page before opening the next: drawn uniformly from this range (seeded per
user); each user also starts after such a pause, so the users do not click in step."""


@dataclass
class PageRun(PageLoad):
    """One page load on the wire: the time, the problems (any → an error), and what the page showed."""

    path: str = ""
    """The target's URL path (with its query string)."""
    metrics: int = 0
    deltas: int = 0
    messages: int = 0
    elements: dict[str, int] = field(default_factory=dict)
    started: float = 0.0
    """perf_counter() at the start of the load (to tell which loads overlapped the ingest)."""
    tiles: list[tuple[str, str]] = field(default_factory=list)
    """The KPI tiles (label, value as shown) in page order."""
    texts: list[str] = field(default_factory=list)
    """Every markdown text on the page (captions included), in page order."""


def _get(url: str, cookies: dict[str, str]) -> tuple[int, dict[str, str]]:
    """GET `url` with `cookies`; its status and the cookies it sets."""
    request = urllib.request.Request(url, headers={"Cookie": _cookie_header(cookies)} if cookies else {})
    try:
        with urllib.request.urlopen(request, timeout=PAGE_TIMEOUT) as response:
            response.read()
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as exc:
        status, headers = exc.code, exc.headers
    set_cookies = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        set_cookies[name.strip()] = rest.split(";", 1)[0].strip().strip('"')
    return status, set_cookies


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _page_name(base: str, path: str) -> str:
    """The frontend's `page_name`: the URL path below the app's root, without slashes ("" = main page)."""
    root = urlsplit(base).path.rstrip("/")
    return path[len(root) :].strip("/") if path.startswith(root) else path.strip("/")


class Session:
    """One browser tab: one websocket, one Streamlit session; `request()` runs a page in it.

    The first request is what opening the URL does; later requests run another page in the same
    session, keeping its state, as following a link in the app does (this client names the page by
    its URL path, where the frontend would send the page's script hash).
    """

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.websocket: ClientConnection | None = None

    async def open(self, path: str = "/") -> list[str]:
        """The tab's HTTP requests, then the websocket; problems (non-200 answers)."""
        problems = []
        for url in (self.base + path, f"{self.base}/_stcore/health", f"{self.base}/_stcore/host-config"):
            status, cookies = await asyncio.to_thread(_get, url, self.cookies)
            self.cookies.update(cookies)
            if status != 200:
                problems.append(f"GET {urlsplit(url).path} answered {status}")
        split = urlsplit(self.base)
        token = self.cookies.get(XSRF_COOKIE) or "PLACEHOLDER_AUTH_TOKEN"  # as the frontend does
        self.websocket = await connect(
            f"ws://{split.netloc}{split.path}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit"), Subprotocol(token)],
            origin=Origin(f"{split.scheme}://{split.netloc}"),
            additional_headers={"Cookie": _cookie_header(self.cookies)} if self.cookies else None,
            max_size=None,
            open_timeout=PAGE_TIMEOUT,
        )
        return problems

    async def close(self) -> None:
        if self.websocket is not None:
            await self.websocket.close()
            self.websocket = None

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _rerun_message(self, target: Target) -> bytes:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        path, _, query = target.path.partition("?")
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_script_hash = ""
        state.page_name = _page_name(self.base, path or "/")
        state.context_info.timezone = TIMEZONE
        state.context_info.timezone_offset = TIMEZONE_OFFSET
        state.context_info.locale = LOCALE
        state.context_info.url = self.base + target.path
        state.context_info.is_embedded = False
        state.context_info.color_scheme = "light"
        state.widget_states.SetInParent()
        return message.SerializeToString()

    async def request(self, target: Target, timeout: float = PAGE_TIMEOUT) -> PageRun:
        """Run `target` in this session (opening it first if needed) and read until the run is over."""
        started = time.perf_counter()
        run = PageRun(None, path=target.path, started=started)
        try:
            async with asyncio.timeout(timeout):
                if self.websocket is None:
                    run.problems += await self.open(target.path.partition("?")[0] or "/")
                assert self.websocket is not None
                await self.websocket.send(self._rerun_message(target))
                finished = await self._read(run)
        except TimeoutError:
            run.problems.append(f"no end of the run within {timeout:.0f} s")
            await self.close()
            return run
        except (ConnectionClosed, OSError) as exc:
            run.problems.append(f"connection: {type(exc).__name__}: {str(exc)[:200]}")
            await self.close()
            return run
        run.seconds = time.perf_counter() - started if finished else None
        if not finished and not run.problems:
            run.problems.append("the run did not finish successfully")
        if finished and run.metrics < target.tiles:
            run.problems.append(f"{run.metrics} KPI tiles (metric elements) shown, {target.tiles} expected")
        return run

    async def _read(self, run: PageRun) -> bool:
        """ForwardMsgs until the run chain ends: True when it finished successfully."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        assert self.websocket is not None
        shown: dict[tuple[int, ...], str] = {}  # the page as the frontend holds it: element type by delta path
        tiles: dict[tuple[int, ...], tuple[str, str]] = {}
        texts: dict[tuple[int, ...], str] = {}
        while True:
            data = await self.websocket.recv()
            if isinstance(data, str):
                run.problems.append("a text frame on the websocket (Streamlit sends binary protobufs)")
                return False
            message = ForwardMsg()
            message.ParseFromString(data)
            run.messages += 1
            kind = message.WhichOneof("type")
            if kind == "new_session":  # a run starts: the frontend starts a new page
                shown.clear()
                tiles.clear()
                texts.clear()
            elif kind == "delta":
                run.deltas += 1
                path = tuple(message.metadata.delta_path)
                delta_kind = message.delta.WhichOneof("type")
                if delta_kind == "new_element":
                    element = message.delta.new_element
                    element_kind = element.WhichOneof("type") or "?"
                    shown[path] = element_kind
                    tiles.pop(path, None)
                    texts.pop(path, None)
                    if element_kind == "metric":
                        tiles[path] = (element.metric.label, element.metric.body)
                    elif element_kind == "markdown":
                        texts[path] = element.markdown.body
                    if element_kind == "exception":
                        text = ": ".join(part for part in (element.exception.type, element.exception.message) if part)
                        run.problems.append(f"exception shown: {text[:200]}")
                    elif element_kind == "alert" and element.alert.format == element.alert.ERROR:
                        run.problems.append(f"error shown: {element.alert.body[:200]}")
                elif delta_kind == "add_block":
                    shown[path] = "block"
            elif kind == "ref_hash":  # only sent for hashes the client says it has cached; this one says none
                run.problems.append(f"a reference to a message this client never received ({message.ref_hash})")
            elif kind == "page_not_found":
                run.problems.append(f"page not found: {message.page_not_found.page_name!r}")
            elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
                problem = message.session_event.script_compilation_exception
                run.problems.append(f"script did not compile: {problem.type}: {problem.message[:200]}")
            elif kind == "script_finished":
                status = message.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): another run follows
                counts = Counter(shown.values())
                run.elements = dict(counts)
                run.tiles = [tiles[path] for path in sorted(tiles) if shown.get(path) == "metric"]
                run.texts = [texts[path] for path in sorted(texts) if shown.get(path) == "markdown"]
                run.metrics = counts.get("metric", 0)
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.problems.append("the script finished with a compile error")
                    return False
                return status == ForwardMsg.FINISHED_SUCCESSFULLY


async def load_page(base: str, target: Target, timeout: float = PAGE_TIMEOUT) -> PageRun:
    """A new tab opening `base + target.path`: a new session, one run, the tab closed."""
    async with Session(base) as session:
        return await session.request(target, timeout)


def load(base: str, target: Target, timeout: float = PAGE_TIMEOUT) -> PageRun:
    """`load_page` from synchronous code."""
    return asyncio.run(load_page(base, target, timeout))


# ---------------------------------------------------------------------------------------------------
# Concurrency


@dataclass
class SessionsResult(ConcurrentResult):
    during_ingest: int = 0
    """Page loads that were running while the command-line ingest was."""


async def _user(
    base: str,
    targets: list[Target],
    rounds: int,
    keep_going: asyncio.Event,
    out: list[PageRun],
    think: random.Random | None,
) -> None:
    """One user: every target in turn, in a new tab each time, `rounds` times and until `keep_going` clears;
    with `think`, a pause (THINK_SECONDS) before the first page and after each."""

    async def pause() -> None:
        if think is not None:
            await asyncio.sleep(think.uniform(*THINK_SECONDS))

    await pause()
    done = 0
    while done < rounds or keep_going.is_set():
        for target in targets:
            out.append(await load_page(base, target))
            await pause()
        done += 1


async def _concurrent(
    base: str,
    targets: list[Target],
    users: int,
    rounds: int,
    ingest_command: list[str] | None,
    log: Path,
    think: bool,
) -> SessionsResult:
    # the tabs' HTTP requests run in threads: one each, so no user waits for a free thread
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=max(4, users)))
    loads: list[PageRun] = []
    me, server_pid = os.getpid(), server_pid_of(base)
    exclude = {server_pid} if server_pid else set()
    client_cpu = cpu_seconds(me, exclude)
    server_cpu = cpu_seconds(server_pid) if server_pid else 0.0
    started = time.perf_counter()
    keep_going = asyncio.Event()
    if ingest_command is not None:
        keep_going.set()  # the users go on loading pages until the ingest has finished
    tasks = [
        asyncio.create_task(_user(base, targets, rounds, keep_going, loads, random.Random(user) if think else None))
        for user in range(users)
    ]
    ingest = None
    if ingest_command is not None:
        # the sessions are opening their first pages (reading users: after their first pause)
        await asyncio.sleep(THINK_SECONDS[1] if think else 0.5)
        ingest = await run_ingest(ingest_command, log)
        keep_going.clear()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=1800)
    wall = time.perf_counter() - started
    ingest_cpu = float(ingest["cpu"]) if ingest else 0.0  # type: ignore[arg-type]
    cpu = {
        "client": cpu_seconds(me, exclude) - client_cpu - ingest_cpu,
        "ingest": ingest_cpu,
        "server": (cpu_seconds(server_pid) - server_cpu) if server_pid else 0.0,
    }
    during = 0
    if ingest is not None:
        ingest_start = float(ingest["started"])  # type: ignore[arg-type]
        ingest_end = ingest_start + float(ingest["seconds"])  # type: ignore[arg-type]
        during = sum(
            1 for run in loads if run.started < ingest_end and run.started + (run.seconds or 0.0) > ingest_start
        )
    return SessionsResult(users, list(loads), wall, ingest, cpu, during)


def concurrent(
    base: str,
    targets: list[Target],
    users: int,
    rounds: int,
    ingest_command: list[str] | None,
    log: Path,
    *,
    think: bool = False,
) -> SessionsResult:
    """`users` simultaneous sessions, each loading every target in a new tab `rounds` times; with an
    ingest, also until the ingest has finished (so every moment of the load has pages being served).
    `think`: each user pauses as a reader does (THINK_SECONDS); without, the users load back to back."""
    return asyncio.run(_concurrent(base, targets, users, rounds, ingest_command, log, think))
