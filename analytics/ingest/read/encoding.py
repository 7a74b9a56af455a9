"""Text encodings: the one ladder that decodes a text file (CSV, tab-separated, HTML) to str.

The user's choice, a UTF-16 BOM, strict UTF-8, strict GB18030, then a limited detector. A large
file takes the same ladder a chunk at a time (`decode_large`): its UTF-8 prefix, or a transcoded copy.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from analytics.errors import IngestError, UsageError
from analytics.ingest.transcode import transcode

_UTF8_PREFIX = 4 * 1024 * 1024
_DETECTED = ["big5", "cp1252", "latin_1"]
"""What the detector may choose when a file is neither UTF-8, UTF-16 nor GB18030: encodings an office
in China plausibly receives (Big5 from Taiwan/Hong Kong, Windows-1252 from Western Europe)."""


def has_utf16_bom(data: bytes) -> bool:
    """The bytes start with a UTF-16 byte-order mark (Excel's "Unicode text")."""
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def check_encoding(encoding: str, file_name: str | None = None) -> None:
    """A text encoding Python knows (not `rot13`, a text transform); else a UsageError naming the option."""
    where = f"{file_name}：" if file_name else ""
    try:
        known = codecs.lookup(encoding)._is_text_encoding  # type: ignore[attr-defined]
    except LookupError:
        known = False
    if not known:
        raise UsageError(f"{where}--encoding {encoding}：未知的文字编码（例如 utf-8、gb18030、utf-16、big5）")


def decode_text(data: bytes, encoding: str | None = None, *, file_name: str = "文件") -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding name).

    Order (charset detectors alone misread short GBK files): the user's choice, a UTF-16 BOM,
    strict UTF-8 (with or without BOM), strict GB18030, then charset-normalizer, limited to the
    encodings of `_DETECTED` (left free it calls Windows-1252 text `cp775` and loads it garbled).
    A detected encoding is named `…（推测）` in the notes.
    """
    if encoding:
        check_encoding(encoding, file_name)
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{file_name}：不能按 {encoding} 解码（第 {exc.start} 字节）；请去掉 --encoding 让程序自动识别。"
            ) from None
    if has_utf16_bom(data):
        try:
            return data.decode("utf-16").removeprefix("\ufeff"), "UTF-16"
        except UnicodeDecodeError:
            pass
    for name, label in (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return data.decode(name), label
        except UnicodeDecodeError:
            continue
    best = from_bytes(data, cp_isolation=_DETECTED).best()
    if best is None:
        raise IngestError(
            f"{file_name}：无法识别文件的文字编码（不是 UTF-8、GB18030 或 UTF-16）；请在 Excel 中另存为“CSV UTF-8”或"
            " Excel 工作簿（.xlsx）后再导入（命令行也可用 --encoding 指定编码）。"
        )
    return str(best), f"{best.encoding}（推测）"


GUESSED_HINT = (
    "文件的文字编码是推测的（{encoding}），表头可能因此成了乱码：请在 Excel 中另存为“CSV UTF-8”后再导入，"
    "或用 --encoding 指定编码。"
)


def _utf8_prefix(data: bytes) -> str | None:
    """The first few MB decoded as strict UTF-8, or None if they are not UTF-8."""
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data[:_UTF8_PREFIX], final=False)
    except UnicodeDecodeError:
        return None


def decode_large(data: bytes, encoding: str | None) -> tuple[str, str, tuple[Path, str] | None] | None:
    """The ladder for a file larger than `_UTF8_PREFIX`, a chunk at a time; None when it does not apply.

    Returns (text, encoding name, transcoded) where text is the UTF-8 prefix (DuckDB checks the rest
    as it reads), or the first chunk of a GB18030 file transcoded to a temporary UTF-8 file (transcoded = its path and that text).
    """
    if encoding is not None or len(data) <= _UTF8_PREFIX or has_utf16_bom(data):
        return None
    prefix = _utf8_prefix(data)
    if prefix is not None:
        return prefix, "UTF-8", None
    transcoded = transcode(data, "gb18030")  # what decode_text does, a chunk at a time: strict GB18030
    if transcoded is None:
        return None
    return transcoded[1], "GB18030", transcoded
