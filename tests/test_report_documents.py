"""The printed weekly review: `report --out FILE.pdf | FILE.docx`, A4, Chinese fonts embedded in the PDF.

The fixture is tests/test_report.py's (read its docstring): week 2026-W47, hand-computed
  决议执行率 2/4 = 50.0 % (last week 2/3 = 66.7 %, change −16.7 points; target ≥ 90 %, below 80 % → 未达标)
  低效会议占比 2/3 = 66.7 % (last week 1/2 = 50.0 %, +16.7 points; above 30 % → 未达标)
  办公用品浪费率 70/230 = 30.4 % (last week 20/420 = 4.8 %, +25.7 points; above 5 % → 未达标)
  overdue resolutions D3, D4, D7 (D3 is "@财务 推进OA升级", 财务部) → the 需要关注 list.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm
from pypdf import PdfReader

from analytics.db import connect
from analytics.report import pdf as pdf_module
from analytics.report.document import build_document
from analytics.report.pdf import PdfUnavailable, build_pdf
from analytics.report.word import build_docx
from analytics.settings import Settings
from tests.test_report import WEEK, fill, report

COMMENT = "本周决议执行率偏低，<b>财务部</b> 需在周例会上说明 & 跟进。\n第二段：建议下周复核。"
HEADLINE = [
    # label, this week, last week, change, basis, target, status
    ("决议执行率", "50.0%", "66.7%", "-16.7个百分点", "2 / 4", "≥ 90.0%", "未达标"),
    ("低效会议占比", "66.7%", "50.0%", "+16.7个百分点", "2 / 3", "≤ 20.0%", "未达标"),
    ("办公用品浪费率", "30.4%", "4.8%", "+25.7个百分点", "¥70.00 / ¥230.00", "≤ 3.0%", "未达标"),
]

pytestmark = pytest.mark.skipif(
    not shutil.which("fc-list") or not pdf_module._has_cjk_font(), reason="no Chinese font (fonts-noto-cjk)"
)


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("documents") / "ops.duckdb"
    with connect(db_path) as con:
        fill(con)
    return db_path


@pytest.fixture(scope="module")
def pdf_file(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "comment.txt").write_text(COMMENT, encoding="utf-8")
    out = folder / "周报.pdf"
    result = report(
        "--week", "2026-W47", "--out", str(out), "--comment-file", str(folder / "comment.txt"), db=fixture_db
    )
    assert result.returncode == 0, result.stderr
    assert "2026-W47" in result.stdout
    return out


@pytest.fixture(scope="module")
def docx_file(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "周报.docx"
    result = report("--week", "2026-W47", "--out", str(out), "--comment", COMMENT, db=fixture_db)
    assert result.returncode == 0, result.stderr
    return out


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# PDF


def test_the_pdf_is_a4_and_embeds_every_font_it_uses_chinese_ones_included(pdf_file: Path) -> None:
    reader = PdfReader(pdf_file)
    assert len(reader.pages) >= 2
    fonts = {}
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    names = " ".join(fonts)
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC" in names


def test_the_pdf_opens_with_the_title_and_the_conclusion_and_carries_the_headline_numbers_as_text(
    pdf_file: Path,
) -> None:
    pages = pdf_text(pdf_file)
    first = squeeze(pages[0])
    assert first.index("总经理办公室周度运行复盘（2026年第47周）") < first.index("本周结论")
    assert "统计周期：2026年11月16日至2026年11月22日" in first
    assert first.index("本周结论") < first.index("决议执行率50.0%")
    whole = squeeze("".join(pages))
    assert whole.index("本周结论") < whole.index("指标一览") < whole.index("需要关注事项") < whole.index("趋势与分布")
    for label, value, previous, change, basis, target, status_word in HEADLINE:
        assert squeeze(f"{label}{value}{previous}{change}{basis}{target}{status_word}") in whole, label


def test_the_pdf_lists_what_needs_attention_and_ends_with_the_assistants_comment_page(pdf_file: Path) -> None:
    pages = pdf_text(pdf_file)
    whole = squeeze("".join(pages[:-1]))
    assert "逾期决议" in whole and "@财务推进OA升级" in whole
    last = squeeze(pages[-1])
    assert "六、总经理助理意见" in last and "指标一览" not in last
    assert squeeze("本周决议执行率偏低，<b>财务部</b> 需在周例会上说明 & 跟进。") in last  # typed text, not markup
    assert "第二段：建议下周复核。" in last
    assert "总经理批示" in last and "签字" in last


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdffonts_sees_the_chinese_fonts_embedded(pdf_file: Path) -> None:
    listing = subprocess.run(["pdffonts", str(pdf_file)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), listing  # the emb column
    assert any("CJK-SC" in row[0] for row in rows)


def test_without_a_chinese_font_the_pdf_is_refused_in_plain_words(
    monkeypatch: pytest.MonkeyPatch, fixture_db: Path
) -> None:
    monkeypatch.setattr(pdf_module, "_has_cjk_font", lambda: False)
    with connect(fixture_db) as con, pytest.raises(PdfUnavailable, match="fonts-noto-cjk.*scripts/setup.sh"):
        build_pdf(con, WEEK, Settings())


# Word


def test_the_word_document_is_a4_with_chinese_office_fonts(docx_file: Path) -> None:
    document = Document(docx_file)
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    title = document.paragraphs[0]
    assert title.text == "总经理办公室周度运行复盘\n（2026年第47周）"
    east_asian = {
        run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.text.strip()
    }
    assert {"宋体", "黑体", "仿宋"} <= east_asian


def test_the_word_document_has_the_conclusion_first_then_the_kpi_table(docx_file: Path) -> None:
    document = Document(docx_file)
    texts = [paragraph.text for paragraph in document.paragraphs]
    conclusion = texts.index("一、本周结论")
    assert texts[conclusion + 1].startswith("结论：")
    assert (
        conclusion < texts.index("三、指标一览") < texts.index("四、需要关注事项") < texts.index("六、总经理助理意见")
    )
    cards, kpi = document.tables[0], document.tables[1]
    assert [cell.paragraphs[1].text for cell in cards.rows[0].cells] == ["50.0%", "66.7%", "30.4%"]
    rows = {row.cells[0].text: tuple(cell.text for cell in row.cells) for row in kpi.rows}
    assert rows["指标"] == ("指标", "本周", "上周", "较上周", "依据", "目标", "状态")
    for expected in HEADLINE:
        assert rows[expected[0]] == expected


def test_the_word_document_has_the_charts_and_the_comment_as_typed(docx_file: Path) -> None:
    document = Document(docx_file)
    pictures = [shape for shape in document.inline_shapes]
    assert len(pictures) == 4  # three headline trends and the decision rate by department
    texts = [paragraph.text for paragraph in document.paragraphs]
    comment = texts.index("六、总经理助理意见")
    assert texts[comment + 1 : comment + 3] == [
        "本周决议执行率偏低，<b>财务部</b> 需在周例会上说明 & 跟进。",
        "第二段：建议下周复核。",
    ]
    attention = document.tables[2]
    assert any(row.cells[2].text == "@财务 推进OA升级" for row in attention.rows)


def test_a_reader_who_may_not_see_items_gets_no_attention_list(fixture_db: Path) -> None:
    with connect(fixture_db) as con:
        document = build_document(con, WEEK, Settings(), attention=False, charts=False)
        payload = build_docx(con, WEEK, Settings(), attention=False)
    assert document.attention_counts is None and document.attention == []
    texts = [paragraph.text for paragraph in Document(io.BytesIO(payload)).paragraphs]
    assert "四、需要关注事项" not in texts and "一、本周结论" in texts


def test_the_english_document_speaks_english(fixture_db: Path) -> None:
    with connect(fixture_db) as con:
        payload = build_docx(con, WEEK, Settings(), lang="en")
    texts = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(payload)).paragraphs)
    assert "GM Office Weekly Operations Review" in texts and "1. Conclusion" in texts
    assert "总经理" not in texts


# The command line


def test_a_comment_and_a_comment_file_together_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "never.duckdb"
    result = report("--out", str(tmp_path / "r.docx"), "--comment", "a", "--comment-file", "b.txt", db=db)
    assert result.returncode == 2 and "--comment" in result.stderr and "Traceback" not in result.stderr
    missing = report("--out", str(tmp_path / "r.pdf"), "--comment-file", str(tmp_path / "none.txt"), db=db)
    assert missing.returncode == 2 and "none.txt" in missing.stderr
    assert not db.exists()


# What a reader may see (tests/auth_fixture.py: F3 is a 机密 document of 财务部, overdue at W47's end)


def test_the_printed_review_is_scoped_like_every_other_export(tmp_path: Path) -> None:
    from analytics.auth import queries
    from analytics.auth.identity import Identity, scope_for
    from tests.auth_fixture import SECRET_TITLE, build_secret_company

    db = build_secret_company(tmp_path / "ops.duckdb", with_accounts=False)
    caiwu = scope_for(Identity("caiwu", "财务部负责人", "dept_head", ("财务部",)))
    gm = scope_for(Identity("zongjingli", "总经理", "gm"))
    viewer = scope_for(Identity("guest", "访客", "viewer"))
    with connect(db) as con:
        theirs = Document(io.BytesIO(queries.report_document(con, WEEK, Settings(), caiwu, kind="docx")))
        the_gms = Document(io.BytesIO(queries.report_document(con, WEEK, Settings(), gm, kind="docx")))
        guest = Document(io.BytesIO(queries.report_document(con, WEEK, Settings(), viewer, kind="docx")))
        pdf = queries.report_document(con, WEEK, Settings(), caiwu, kind="pdf", comment="财务部意见")

    def attention_rows(document: Document) -> list[tuple[str, ...]]:
        table = document.tables[2]
        return [tuple(cell.text for cell in row.cells) for row in table.rows[1:]]

    texts = "\n".join(paragraph.text for paragraph in theirs.paragraphs)
    assert "范围：财务部" in texts
    mine = attention_rows(theirs)
    assert mine and {row[3] for row in mine} == {"财务部"}
    assert SECRET_TITLE not in {row[2] for row in mine} and "【机密文件】" in {row[2] for row in mine}
    assert SECRET_TITLE in {row[2] for row in attention_rows(the_gms)}
    assert "四、需要关注事项" not in [paragraph.text for paragraph in guest.paragraphs]
    whole = squeeze("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))
    assert SECRET_TITLE not in whole and "财务部意见" in whole
