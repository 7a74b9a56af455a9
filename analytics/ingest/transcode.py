"""A large CSV that is not UTF-8 → a temporary UTF-8 file for DuckDB, decoded on two cores.

Python's codecs hold the GIL, so a helper process (transcode_worker.py) decodes the second half,
written to a temporary file for it, while this process decodes the first. (Not through a pipe: the
thread feeding it would wait for the GIL at every pipe-full, each time a whole chunk's decoding.) The halves meet after a line break: in
GB18030 and GBK the byte 0x0A is always a line break, never part of a two- or four-byte character.
When the helper cannot run, or fails for a reason other than the encoding, its half is decoded here.
"""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from analytics.ingest.guards import temp_prefix

CHUNK = 8 * 1024 * 1024
"""Bytes decoded at a time: no copy of the whole text is ever held."""
PARALLEL_FROM = 16 * 1024 * 1024
"""Files this large are decoded in two halves at once (below, a helper's start-up costs more than it saves)."""
_WORKER = Path(__file__).with_name("transcode_worker.py")
_NOT_ENCODED = 3
"""The helper's exit status when its half is not in the encoding (see transcode_worker.py)."""


def transcode(data: bytes, encoding: str) -> tuple[Path, str] | None:
    """`data` decoded strictly as `encoding` into a temporary UTF-8 file.

    Returns the file and the text of its first chunk (for the header rows), or None when `data` is
    not `encoding` (the file is then removed).
    """
    handle, name = tempfile.mkstemp(suffix=".csv", prefix=temp_prefix())
    path = Path(name)
    helper = _Helper.start(data, encoding) if len(data) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else None
    view = memoryview(data)
    try:
        with os.fdopen(handle, "wb") as out:
            first = _decode_into(out, view[: helper.split] if helper else view, encoding)
            if helper is not None:
                helper.append_to(out, view[helper.split :], encoding)
    except UnicodeDecodeError:
        remove(path)
        return None
    except BaseException:
        remove(path)
        raise
    finally:
        if helper is not None:
            helper.stop()
    return path, first


def remove(path: Path) -> None:
    with suppress(FileNotFoundError):
        path.unlink()


def _decode_into(out: BinaryIO, data: memoryview, encoding: str) -> str:
    """Decode `data` a chunk at a time into `out` as UTF-8; the first chunk's text."""
    decoder = codecs.getincrementaldecoder(encoding)()
    first: str | None = None
    for start in range(0, max(len(data), 1), CHUNK):
        text = decoder.decode(data[start : start + CHUNK], final=start + CHUNK >= len(data))
        first = text if first is None else first
        out.write(text.encode("utf-8"))
    return first or ""


@dataclass
class _Helper:
    """A process decoding `data[split:]` (written to `given`) into `output`."""

    split: int
    process: subprocess.Popen[bytes]
    given: Path
    output: Path

    @classmethod
    def start(cls, data: bytes, encoding: str) -> _Helper | None:
        split = data.find(b"\n", len(data) // 2) + 1
        if not 0 < split < len(data):
            return None
        given, output = _temporary(memoryview(data)[split:]), _temporary(b"")
        command = [sys.executable, "-I", "-S", str(_WORKER), encoding, str(given), str(output)]
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError:
            remove(given)
            remove(output)
            return None
        return cls(split, process, given, output)

    def append_to(self, out: BinaryIO, half: memoryview, encoding: str) -> None:
        """Wait for the helper and append its UTF-8; UnicodeDecodeError when its half is not `encoding`."""
        status = self.process.wait()
        if status == _NOT_ENCODED:
            raise UnicodeDecodeError(encoding, b"", 0, 1, "the second half is not in this encoding")
        if status != 0:  # the helper failed (killed, out of memory): decode its half here
            _decode_into(out, half, encoding)
            return
        with open(self.output, "rb") as decoded:
            shutil.copyfileobj(decoded, out, CHUNK)

    def stop(self) -> None:
        """End the helper if it still runs (an interrupted load) and remove its file."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        remove(self.given)
        remove(self.output)


def _temporary(content: bytes | memoryview) -> Path:
    handle, name = tempfile.mkstemp(suffix=".csv", prefix=temp_prefix())
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    return Path(name)
