"""Page loads in headless Chromium: the app's pages against a near-empty Streamlit page, served the same way.

A page is *loaded* when the app's script has finished (`stApp` says `data-test-script-state=notRunning`),
at least the expected number of KPI tiles (`stMetric`) are on screen and no spinner is showing. The
time runs from `page.goto` to that moment. Only loopback addresses; every wait has a timeout.

- cold: a freshly started server (no Streamlit cache, no open database) and a new browser context
  (empty HTTP cache);
- warm: a server that has served the page before, a browser context that has loaded it before, and
  a new tab (so a new Streamlit session) for each load;
- concurrent: N browser contexts in one Chromium, each loading the overview and the ledger page in
  turn for a few rounds, while `python -m analytics ingest` loads a file into the same database. On a
  small machine the browsers' rendering dominates it, so the benchmark judges the same run on the wire
  (bench/sessions.py) and shows this one for information.
"""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
PAGE_TIMEOUT_MS = 120_000
VIEWPORT = {"width": 1600, "height": 1000}

LOADED_JS = """(minimum) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  // a page that failed is done too (its problems are collected and it counts as an error)
  if (document.querySelector('[data-testid="stException"], [data-testid="stAlertContentError"]')) return true;
  const tiles = [...document.querySelectorAll('[data-testid="stMetric"]')].filter(
    (e) => e.getBoundingClientRect().height > 0);
  if (tiles.length < minimum) return false;
  return !document.querySelector('[data-testid="stSpinner"]');
}"""
PROBLEMS_JS = """() => ({
  exceptions: document.querySelectorAll('[data-testid="stException"]').length,
  errors: [...document.querySelectorAll('[data-testid="stAlertContentError"]')].map((e) => e.innerText.slice(0, 200)),
})"""


@dataclass(frozen=True)
class Target:
    """A page to load: its name in the results, URL path and how many KPI tiles it shows when loaded."""

    name: str
    path: str
    tiles: int


def browser_available() -> str | None:
    """None when the browser parts can run, else why not."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (install Debian's chromium: bash scripts/setup.sh --browser)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running `streamlit run` on 127.0.0.1."""

    process: subprocess.Popen[bytes]
    base: str

    def memory(self) -> dict[str, int]:
        """Current and peak resident memory of the server process, in bytes (Linux /proc)."""
        values: dict[str, int] = {}
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0]) * 1024
        except OSError:
            pass
        return {"rss": values.get("VmRSS", 0), "peak_rss": values.get("VmHWM", 0)}


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def cpu_seconds(root: int, exclude: set[int] = frozenset()) -> float:  # type: ignore[assignment]
    """CPU time (user + system, including reaped children) of a process and its live descendants."""
    tree, total, todo = _children(), 0.0, [root]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        pid = todo.pop()
        if pid in exclude:
            continue
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15]) / tick  # utime stime cutime cstime
        todo.extend(tree.get(pid, []))
    return total


def _wait_for_health(base: str, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{base}/_stcore/health did not answer within {timeout:.0f} s")


_SERVERS: dict[str, int] = {}


def server_pid_of(base: str) -> int | None:
    return _SERVERS.get(base)


@contextmanager
def streamlit_server(
    app: Path,
    db_path: Path | None,
    log_path: Path,
    *,
    cwd: Path = ROOT,
    extra_env: Mapping[str, str] | None = None,
    port: int | None = None,
) -> Iterator[Server]:
    """`streamlit run APP` headless on a loopback port (a free one unless given), OPS_DB=db_path, started
    in `cwd` (whose .streamlit/ Streamlit reads); stopped on exit."""
    port = port or free_port()
    env = {**os.environ, **(extra_env or {})}
    env.pop("OPS_SETTINGS", None)
    if db_path is not None:
        env["OPS_DB"] = str(db_path)
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless=true"]
    command += ["--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false"]
    command += ["--server.fileWatcherType=none", "--server.runOnSave=false"]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        server = Server(process, f"http://127.0.0.1:{port}")
        _SERVERS[server.base] = process.pid
        try:
            _wait_for_health(server.base, process)
            yield server
        finally:
            _SERVERS.pop(server.base, None)
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@dataclass
class PageLoad:
    seconds: float | None
    problems: list[str] = field(default_factory=list)


def _problems(found: dict[str, object], page_errors: list[str]) -> list[str]:
    problems = [f"exception shown on the page ×{found['exceptions']}"] if found["exceptions"] else []
    problems += [f"error shown: {text}" for text in found["errors"]]  # type: ignore[union-attr]
    problems += [f"page error: {text}" for text in page_errors]
    return problems


def load_sync(context: object, url: str, tiles: int) -> PageLoad:
    """Open `url` in a new tab of `context`, wait until loaded, close the tab."""
    page = context.new_page()  # type: ignore[attr-defined]
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)[:200]))
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_function(LOADED_JS, arg=tiles, polling="raf", timeout=PAGE_TIMEOUT_MS)
        seconds = time.perf_counter() - started
        return PageLoad(seconds, _problems(page.evaluate(PROBLEMS_JS), page_errors))
    except Exception as exc:  # a timeout or a crashed tab is a measured failure, not a crash of the benchmark
        return PageLoad(None, [f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"])
    finally:
        page.close()


def new_context(browser: object) -> object:
    return browser.new_context(viewport=VIEWPORT, locale="zh-CN")  # type: ignore[attr-defined]


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# ---------------------------------------------------------------------------------------------------
# Navigation inside the app (one tab, one Streamlit session): a sidebar click against a drill-down

SETTLED_JS = """([selector, minimum]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSpinner"]')) return false;
  const shown = [...document.querySelectorAll(selector)].filter((e) => e.getBoundingClientRect().height > 0);
  return shown.length >= minimum;
}"""


OVERVIEW_ONLY = '[data-testid="stPageLink"]'
"""What only the overview shows (its tiles' 查看明细 links): gone once a click has left it. Not a download
button: the overview has its report downloads, and the ledger page's own buttons take their place."""


@dataclass
class Navigation:
    """Seconds from a click to the next view being settled, per kind of click (None when it failed)."""

    sidebar: list[float] = field(default_factory=list)
    drill_down: list[float] = field(default_factory=list)
    tile_link: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _timed_click(page: object, click: object, selector: str, minimum: int, gone: str | None = None) -> float:
    """Click, wait until `gone` (an element of the old view) has left and `selector` shows `minimum` times."""
    started = time.perf_counter()
    click.click()  # type: ignore[attr-defined]
    if gone is not None:
        page.locator(gone).first.wait_for(state="detached", timeout=PAGE_TIMEOUT_MS)  # type: ignore[attr-defined]
    page.wait_for_timeout(50)  # type: ignore[attr-defined]  # the run has started before "settled" is read
    page.wait_for_function(SETTLED_JS, arg=[selector, minimum], polling="raf", timeout=PAGE_TIMEOUT_MS)  # type: ignore[attr-defined]
    return time.perf_counter() - started


def navigation_sync(context: object, base: str, ledger_tiles: int, rounds: int = 3) -> Navigation:
    """In one tab: overview → 决议督办 by the sidebar (a page switch), then its 明细 tab (a drill-down
    inside the page: a fragment rerun), then back to the overview and 决议执行率's 查看明细 link (a
    drill-down to another page's rows). `rounds` of each, after one round that warms the caches."""
    result = Navigation()
    page = context.new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(base + "/", wait_until="commit", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_function(LOADED_JS, arg=11, polling="raf", timeout=PAGE_TIMEOUT_MS)
        for round_ in range(rounds + 1):
            sidebar = page.get_by_test_id("stSidebarNav").get_by_role("link", name="决议督办")
            seconds = _timed_click(page, sidebar, '[data-testid="stMetric"]', ledger_tiles, gone=OVERVIEW_ONLY)
            rows_tab = page.get_by_role("tab", name="明细")
            drill = _timed_click(page, rows_tab, '[data-testid="stDataFrame"]', 1)
            overview = page.get_by_test_id("stSidebarNav").get_by_role("link", name="总览")
            _timed_click(page, overview, '[data-testid="stMetric"]', 11, gone='[data-testid="stDataFrame"]')
            link = page.get_by_test_id("stPageLink").filter(has_text="查看明细").first
            tile = _timed_click(page, link, '[data-testid="stDataFrame"]', 1, gone=OVERVIEW_ONLY)
            overview = page.get_by_test_id("stSidebarNav").get_by_role("link", name="总览")
            _timed_click(page, overview, '[data-testid="stMetric"]', 11, gone='[data-testid="stDataFrame"]')
            if round_ > 0:  # the first round warms the server's caches and the browser
                result.sidebar.append(seconds)
                result.drill_down.append(drill)
                result.tile_link.append(tile)
    except Exception as exc:  # a timeout is a measured failure, not a crash of the benchmark
        result.problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        page.close()
    return result


# ---------------------------------------------------------------------------------------------------
# Concurrency (async API: one Chromium, one context per simulated user)


async def _load_async(context: object, url: str, tiles: int) -> PageLoad:
    page = await context.new_page()  # type: ignore[attr-defined]
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)[:200]))
    try:
        started = time.perf_counter()
        await page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
        await page.wait_for_function(LOADED_JS, arg=tiles, polling="raf", timeout=PAGE_TIMEOUT_MS)
        seconds = time.perf_counter() - started
        return PageLoad(seconds, _problems(await page.evaluate(PROBLEMS_JS), page_errors))
    except Exception as exc:
        return PageLoad(None, [f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"])
    finally:
        await page.close()


async def _user(browser: object, base: str, targets: list[Target], rounds: int, out: list[PageLoad]) -> None:
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")  # type: ignore[attr-defined]
    try:
        for _ in range(rounds):
            for target in targets:
                out.append(await _load_async(context, base + target.path, target.tiles))
    finally:
        await context.close()


@dataclass
class ConcurrentResult:
    users: int
    loads: list[PageLoad]
    wall_seconds: float
    ingest: dict[str, object] | None
    cpu: dict[str, float]
    """CPU seconds used during the run: `client` (Chromium, its driver, the benchmark), `ingest`, `server`."""


async def run_ingest(command: list[str], log: Path, timeout: float = 900) -> dict[str, object]:
    """Run the command-line ingest as a child process: its exit code, start (perf_counter), seconds, CPU."""
    started = time.perf_counter()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            code = await asyncio.wait_for(process.wait(), timeout=timeout)
        except TimeoutError:
            process.kill()
            code = await process.wait()
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "exit_code": code,
        "started": started,
        "seconds": time.perf_counter() - started,
        "cpu": (children_after.ru_utime + children_after.ru_stime)
        - (children_before.ru_utime + children_before.ru_stime),
    }


async def _concurrent(
    base: str, targets: list[Target], users: int, rounds: int, ingest_command: list[str] | None, log: Path
) -> ConcurrentResult:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            loads: list[PageLoad] = []
            me, server_pid = os.getpid(), server_pid_of(base)
            browser_cpu = cpu_seconds(me, {server_pid} if server_pid else set())
            server_cpu = cpu_seconds(server_pid) if server_pid else 0.0
            started = time.perf_counter()
            tasks = [asyncio.create_task(_user(browser, base, targets, rounds, loads)) for _ in range(users)]
            ingest = None
            if ingest_command is not None:
                await asyncio.sleep(1.0)  # the sessions are opening their first pages
                ingest = await run_ingest(ingest_command, log)
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=1800)
            wall = time.perf_counter() - started
            ingest_cpu = float(ingest["cpu"]) if ingest else 0.0  # type: ignore[arg-type]
            cpu = {
                "client": cpu_seconds(me, {server_pid} if server_pid else set()) - browser_cpu - ingest_cpu,
                "ingest": ingest_cpu,
                "server": (cpu_seconds(server_pid) - server_cpu) if server_pid else 0.0,
            }
            return ConcurrentResult(users, loads, wall, ingest, cpu)
        finally:
            await browser.close()


def concurrent(
    base: str, targets: list[Target], users: int, rounds: int, ingest_command: list[str] | None, log: Path
) -> ConcurrentResult:
    """`users` simultaneous sessions, each loading every target `rounds` times; optionally an ingest at once."""
    return asyncio.run(_concurrent(base, targets, users, rounds, ingest_command, log))
