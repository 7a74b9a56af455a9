"""Run as a script by transcode.py: decode a file strictly, write it as UTF-8 to another file.

`python -I -S transcode_worker.py ENCODING IN OUT`: standard library only, so it starts in milliseconds.
Exit 0 when done, 3 when the input is not `ENCODING` (the byte offset of the fault on stderr).
"""

import codecs
import sys

CHUNK = 8 * 1024 * 1024
NOT_ENCODED = 3


def main() -> int:
    encoding, in_path, out_path = sys.argv[1:4]
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with open(in_path, "rb") as source, open(out_path, "wb") as out:
        while True:
            data = source.read(CHUNK)
            try:
                out.write(decoder.decode(data, final=not data).encode("utf-8"))
            except UnicodeDecodeError as exc:
                sys.stderr.write(str(offset + exc.start))
                return NOT_ENCODED
            if not data:
                return 0
            offset += len(data)


if __name__ == "__main__":
    sys.exit(main())
