"""Run a command and write its own peak memory (max RSS, KiB) to a file: `python -m bench.peak_rss OUT CMD…`.

Linux carries a process's peak RSS across fork and exec: a command started by a large process (the
benchmark, after generating SF 30 in memory) reports the parent's peak as its own — /bin/true started
by a 1.5 GB Python reports 1.5 GB. Started from this small launcher instead, the command's ru_maxrss
is the command's. The exit status is the command's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    out, command = Path(argv[0]), argv[1:]
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    out.write_text(str(usage.ru_maxrss))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
