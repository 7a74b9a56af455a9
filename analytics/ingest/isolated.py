"""Run untrusted parsing where a crash cannot take the server down: a forked child with a memory limit.

calamine (Rust, under fastexcel and python-calamine) holds a worksheet's whole used range in memory
and aborts the process when an allocation fails: a 5 KB workbook whose far cell is XFD1048576 asks
for 512 GB. The child is forked (it starts in a millisecond with everything imported), limits its
own address space (RLIMIT_AS) and sends its result back through a pipe, pickled; the parent kills it
after a timeout. A child that dies or overruns becomes a plain IngestError naming the file.
Without fork (Windows) the work runs in this process.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import tempfile
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

from analytics.errors import IngestError
from analytics.ingest.guards import temp_prefix

try:
    import resource
except ImportError:  # pragma: no cover — not on Windows
    resource = None  # type: ignore[assignment]

T = TypeVar("T")

_FAILED = 3
"""The child's exit status when it could not even send its exception."""


def run_isolated(file_name: str, work: Callable[[], T], *, memory: int, seconds: float) -> T:
    """`work()` in a child process allowed `memory` more bytes of address space and `seconds` of time.

    The child pickles its result into an unlinked temporary file (one write, however loaded the
    machine: a pipe would hand tens of MB over 64 KB at a time, waiting for the scheduler each time)
    and its exit closes a pipe the parent waits on. The child's exceptions are raised here; a child
    killed by the limits raises IngestError.
    """
    if resource is None or not hasattr(os, "fork"):
        return work()
    handle, name = tempfile.mkstemp(prefix=temp_prefix(), suffix=".result")
    os.unlink(name)  # nothing to leave behind, whatever happens to either process
    with os.fdopen(handle, "w+b") as result:
        done_read, done_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(done_read)
            _child(work, result.fileno(), memory)
        os.close(done_write)
        try:
            _wait(done_read, seconds, file_name)
        except BaseException:  # the time is up, or this load was stopped: the child goes too
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        finally:
            os.close(done_read)
        _, status = os.waitpid(pid, 0)
        result.seek(0)
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0) or not result.read(1):
            raise IngestError(
                f"{file_name}：读取时超出内存上限（{memory // 1024 // 1024} MB），未导入。文件的使用范围可能异常大"
                "（例如有一个单元格远在 XFD1048576），或文件已损坏；请在 Excel 中删去多余的行列后另存再导入。"
            )
        result.seek(0)
        kind, value = pickle.load(result)
    if kind == "error":
        raise value
    return value


def _child(work: Callable[[], object], output: int, memory: int) -> None:
    status = 0
    try:
        gc.disable()  # no finalizer of the parent's objects (a database connection) may run here
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        quiet = os.open(os.devnull, os.O_WRONLY)  # a Rust abort prints a backtrace: not for the user
        os.dup2(quiet, 2)
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            result: tuple[str, object] = ("ok", work())
        except MemoryError:
            status = _FAILED
            result = ("error", None)
        except BaseException as exc:  # noqa: BLE001 — every exception goes back to the parent
            result = ("error", exc)
        if status == 0:
            with os.fdopen(os.dup(output), "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 — a child must never run the parent's code after fork
        status = _FAILED
    finally:
        os._exit(status)


def _wait(done: int, seconds: float, file_name: str) -> None:
    """Until the child has exited (its end of the pipe closes); IngestError when `seconds` have passed."""
    ready, _, _ = select.select([done], [], [], seconds)
    if not ready:
        raise IngestError(
            f"{file_name}：读取超过 {seconds:.0f} 秒，已停止，未导入。文件可能异常大或已损坏"
            "（例如压缩后很小、解压后极大）；请在 Excel 中另存或拆分后再导入。"
        )


def _address_space() -> int:
    """This process's virtual size now (the child inherits it all)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
