"""What the user reads about a file: refusals, why a sheet was not recognised, skipped rows, column letters."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from analytics.errors import IngestError
from analytics.ingest.headers import Detection

if TYPE_CHECKING:
    from analytics.ingest.parse import ParsedFile


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


SKIP_NOTES = {
    "nomove": "跳过不涉及库存变动的行（维护、维修）{n} 行",
    "request": "申请记录：只导入已发放的行（作为领用），跳过未发放或未通过的申请 {n} 行",
    "other_person": "跳过不是总经理（{gm}）本人的日程 {n} 行",
}


def refusal(parsed: ParsedFile) -> IngestError:
    """The error of a file that has row errors and is loaded whole or not at all."""
    errors = parsed.row_errors
    rows = len({(e.sheet, e.row) for e in errors})
    return IngestError(
        f"{parsed.source.name}：{rows} 行有错误（共 {len(errors)} 处），整个文件未导入。"
        "改正后重新导入，或只导入有效行（上传页面选“只导入有效行”，命令行加 --load-valid）。",
        errors,
    )


def unrecognised_message(file_name: str, skipped: dict[str | None, Detection]) -> str:
    if len(skipped) == 1:
        ((sheet, detection),) = skipped.items()
        return f"{file_name}" + (f" [{sheet}]" if sheet else "") + f"：{detection.problem}"
    lines = [f"{file_name}：没有一个工作表能识别为台账。"]
    lines += [f"工作表「{sheet}」：" + (d.problem or "").replace("\n", "\n    ") for sheet, d in skipped.items()]
    return "\n".join(lines)
