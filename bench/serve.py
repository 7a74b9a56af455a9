"""`scripts/serve.sh` under control: N app processes behind nginx on loopback ports, stopped on exit.

Used by the benchmark (N processes against one, issue 18) and by tests/test_serve.py. The script runs
in its own process group, so stopping it stops every app process and nginx it started; its CPU time
is read from the script's process tree (bench.browser.cpu_seconds).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from bench import browser

ROOT = Path(__file__).resolve().parent.parent
STARTED = b"app processes"
"""What scripts/serve.sh prints once nginx and every app process answer."""


def nginx_missing() -> str | None:
    """None when serve.sh can run nginx (it is installed, or we are root and it installs it), else why not."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists() or os.geteuid() == 0:
        return None
    return "nginx is not installed and this is not root (apt-get install nginx)"


@dataclass
class Served:
    """A running scripts/serve.sh: the proxy's base URL, its folder (logs, nginx.conf) and its pid."""

    base: str
    serve_dir: Path
    pid: int

    def upstreams_of_streams(self) -> list[str]:
        """The app process (host:port) that served each websocket, from nginx's access log."""
        lines = (self.serve_dir / "access.log").read_text(encoding="utf-8", errors="replace").splitlines()
        return [line.split()[-2] for line in lines if "/_stcore/stream" in line]


@contextmanager
def serve_sh(
    db: Path,
    processes: int,
    serve_dir: Path,
    *,
    extra_env: Mapping[str, str] | None = None,
    timeout: float = 120.0,
) -> Iterator[Served]:
    """`bash scripts/serve.sh` with `processes` app processes on `db`, on free loopback ports."""
    port = browser.free_port()
    serve_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        **(extra_env or {}),
        "OPS_DB": str(db),
        "APP_PROCESSES": str(processes),
        "APP_PORT": str(port),
        "APP_BACKEND_PORT": str(browser.free_port()),
        "SERVE_DIR": str(serve_dir),
        "SERVE_SETUP": "0",
    }
    env.pop("OPS_SETTINGS", None)
    log_path = serve_dir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(f"http://127.0.0.1:{port}", serve_dir, process.pid)
    browser._SERVERS[served.base] = process.pid  # the benchmark reads the server side's CPU from this tree
    try:
        deadline = time.monotonic() + timeout
        while STARTED not in log_path.read_bytes():
            if process.poll() is not None:
                raise RuntimeError(f"scripts/serve.sh exited {process.returncode}: {_tail(log_path)}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"scripts/serve.sh did not start within {timeout:.0f} s: {_tail(log_path)}")
            time.sleep(0.3)
        with urllib.request.urlopen(f"{served.base}/_stcore/health", timeout=10) as answer:
            answer.read()
        yield served
    finally:
        browser._SERVERS.pop(served.base, None)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _tail(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-2000:]
