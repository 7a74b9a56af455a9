"""The weekly review as an A4 PDF: HTML and CSS paged media, typeset by WeasyPrint.

Why WeasyPrint: it is a Python library (plus Debian's Pango, already there wherever a desktop or
Chromium is), so the app and the command line make a PDF in about a second without starting a
browser; CSS `@page` gives A4 margins, running headers and 公文-style page numbers (— 1 —); Pango
breaks Chinese lines properly; and it embeds the fonts it uses as subsets (Noto Serif CJK SC for the
仿宋/宋体-like body, Noto Sans CJK SC for 黑体-like headings, from Debian's fonts-noto-cjk), so the
PDF reads the same on a machine without them, and its text stays text (searchable, copyable).
"""

from __future__ import annotations

import base64
import html
import shutil
import subprocess
from collections.abc import Sequence

import duckdb

from analytics.errors import AnalyticsError
from analytics.formatting import Lang
from analytics.report.document import KpiRow, Mask, ReportDocument, build_document
from analytics.settings import Settings
from analytics.weeks import Week

SERIF = '"Noto Serif CJK SC", "Source Han Serif SC", "FangSong", "STFangsong", serif'
SANS = '"Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei", sans-serif'


class PdfUnavailable(AnalyticsError):
    """The PDF cannot be made on this machine (no Pango or no Chinese font); says how to fix it."""


def check_pdf_support() -> None:
    """Raise PdfUnavailable, in plain words, when WeasyPrint's Pango or a Chinese font is missing."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            "无法导出 PDF：本机缺少排版库 Pango（Debian 软件包 libpango-1.0-0、libpangoft2-1.0-0）。"
            "请以 root 身份运行 bash scripts/setup.sh 安装，或改为导出 Word（.docx）。"
        ) from error
    if not _has_cjk_font():
        raise PdfUnavailable(
            "无法导出 PDF：本机没有中文字体（Debian 软件包 fonts-noto-cjk）。"
            "请以 root 身份运行 bash scripts/setup.sh 安装，或改为导出 Word（.docx）。"
        )


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=zh-cn", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def build_pdf(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    departments: Sequence[str] | None = None,
    lang: Lang = "zh",
    *,
    comment: str | None = None,
    attention: bool = True,
    mask: Mask | None = None,
) -> bytes:
    """The week's report as PDF bytes (for the command line and the overview's download button)."""
    check_pdf_support()
    document = build_document(con, week, settings, departments, lang, comment=comment, attention=attention, mask=mask)
    return render_pdf(document)


def render_pdf(document: ReportDocument) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=render_html(document)).write_pdf()
    assert pdf is not None
    return pdf


def e(text: object) -> str:
    """Ledger and user text made inert in HTML."""
    return html.escape(str(text), quote=True)


def render_html(doc: ReportDocument) -> str:
    w = doc.words
    parts = [
        f'<h1 class="title">{_title_lines(doc.title)}</h1>',
        f'<p class="meta">{e(doc.subtitle)}　　{e(doc.scope)}</p>',
        f'<p class="meta small">{e(doc.generated)}</p>',
        '<hr class="rule">',
        f"<h2>{w('一、本周结论', '1. Conclusion')}</h2>",
        f'<p class="conclusion">{e(doc.conclusion)}</p>',
        _headline_cards(doc),
        _numbered(doc.summary_lines),
    ]
    if doc.proposals:
        parts.append(f"<h2>{w('二、下一步建议', '2. Proposals')}</h2>")
        parts.append(_numbered(doc.proposals))
    parts.append(f"<h2>{w('三、指标一览', '3. The numbers')}</h2>")
    parts.append(_kpi_table(doc))
    parts.append('<div class="notes">' + "".join(f"<p>{e(note)}</p>" for note in doc.notes) + "</div>")
    if doc.attention_counts is not None:
        parts.append(f"<h2>{w('四、需要关注事项', '4. Needs attention')}</h2>")
        parts.append(_attention(doc))
    if doc.charts:
        parts.append(f'<h2 class="charts-head">{w("五、趋势与分布", "5. Trends")}</h2>')
        for number, chart in enumerate(doc.charts, 1):
            data = base64.b64encode(chart.png).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{e(chart.caption)}">'
                f"<figcaption>{w('图', 'Figure ')}{number}　{e(chart.caption)}</figcaption></figure>"
            )
    parts.append(_comment_page(doc))
    head = _css(doc)
    return (
        f'<!doctype html><html lang="{"zh-CN" if doc.lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{e(doc.title)}</title><style>{head}</style></head><body>{''.join(parts)}</body></html>"
    )


def _numbered(texts: list[str]) -> str:
    """Numbered lines whose numbers are text (a list marker would come out of the PDF apart from its line)."""
    items = "".join(f'<p class="item"><span class="n">{n}.</span>{e(text)}</p>' for n, text in enumerate(texts, 1))
    return f'<div class="lines">{items}</div>'


def _title_lines(title: str) -> str:
    """A long title breaks before its parenthesis, as a 公文 title does, never inside the week."""
    main, bracket, rest = title.partition("（")
    return f"{e(main)}<br>{e(bracket + rest)}" if bracket else e(title)


def _headline_cards(doc: ReportDocument) -> str:
    w = doc.words
    cells = []
    for row in doc.headline:
        cells.append(
            f'<td class="card {row.status}"><div class="card-label">{e(row.label)}</div>'
            f'<div class="card-value">{e(row.value)}</div>'
            f'<div class="card-status">{e(row.status_word)}　{w("目标", "target")} {e(row.target)}</div>'
            f'<div class="card-change">{w("较上周", "vs last week")} {e(row.change)}</div></td>'
        )
    return f'<table class="cards"><tr>{"".join(cells)}</tr></table>' if cells else ""


def _kpi_table(doc: ReportDocument) -> str:
    w = doc.words
    headers = (
        ("指标", "本周", "上周", "较上周", "依据", "目标", "状态")
        if doc.lang == "zh"
        else ("Metric", "This week", "Last week", "Change", "Basis", "Target", "Status")
    )
    columns = "".join(f'<col style="width:{share}%">' for share in (21, 11, 11, 17, 18, 12, 10))
    head = "".join(f"<th>{h}</th>" for h in headers)
    out = [f'<table class="kpi"><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>']
    for title, rows in doc.sections:
        if not rows:
            continue
        out.append(f'<tr class="group"><td colspan="7">{e(title)}</td></tr>')
        out += [_kpi_cells(row) for row in rows]
    out.append("</tbody></table>")
    del w
    return "".join(out)


def _kpi_cells(row: KpiRow) -> str:
    label = f"<strong>{e(row.label)}</strong>" if row.headline else e(row.label)
    return (
        f"<tr><td>{label}</td><td class='num strong'>{e(row.value)}</td><td class='num'>{e(row.previous)}</td>"
        f"<td class='num nowrap {row.change_sense}'>{e(row.change)}</td><td class='num basis'>{e(row.basis)}</td>"
        f"<td class='num'>{e(row.target)}</td><td class='status {row.status}'>{e(row.status_word)}</td></tr>"
    )


def _attention(doc: ReportDocument) -> str:
    w = doc.words
    counts = doc.attention_counts or []
    if not counts:
        return f"<p>{w('本周没有需要关注的事项。', 'Nothing needs attention this week.')}</p>"
    total = sum(count for _, count in counts)
    joined = (
        "；".join(f"{e(kind)} {count} 项" for kind, count in counts)
        if doc.lang == "zh"
        else "; ".join(f"{e(kind)}: {count}" for kind, count in counts)
    )
    lead = (
        f"<p>共 {total} 项：{joined}。下表列出最紧急的 {len(doc.attention)} 项，完整清单见工作台或 Excel 周报。</p>"
        if doc.lang == "zh"
        else f"<p>{total} items: {joined}. The {len(doc.attention)} most urgent are listed; the workbench "
        "and the Excel report have them all.</p>"
    )
    headers = (
        ("类别", "编号", "事项", "部门", "日期", "说明")
        if doc.lang == "zh"
        else ("Kind", "ID", "Item", "Department", "Date", "Detail")
    )
    rows = "".join(
        f"<tr><td>{e(i.kind)}</td><td>{e(i.record_id)}</td><td>{e(i.title)}</td><td>{e(i.department)}</td>"
        f"<td class='nowrap'>{e(i.date)}</td><td>{e(i.detail)}</td></tr>"
        for i in doc.attention
    )
    head = "".join(f"<th>{h}</th>" for h in headers)
    columns = "".join(f'<col style="width:{share}%">' for share in (12, 17, 28, 12, 14, 17))
    return f'{lead}<table class="attention"><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _comment_page(doc: ReportDocument) -> str:
    w = doc.words
    if doc.comment:
        body = "".join(f"<p>{e(paragraph)}</p>" for paragraph in doc.comment.split("\n") if paragraph.strip())
    else:
        body = '<div class="blank-lines">' + "<div class='line'></div>" * 8 + "</div>"
    return (
        f'<section class="comment-page"><h2>{w("六、总经理助理意见", "6. The assistant’s comment")}</h2>'
        f'<div class="comment">{body}</div>'
        f'<p class="sign">{w("报告人：", "Prepared by: ")}<span class="blank"></span>　　'
        f'{w("日期：", "Date: ")}<span class="blank short"></span></p>'
        f'<h2>{w("总经理批示", "The GM’s instructions")}</h2><div class="instruction"></div>'
        f'<p class="sign">{w("签字：", "Signature: ")}<span class="blank"></span>　　'
        f'{w("日期：", "Date: ")}<span class="blank short"></span></p></section>'
    )


def _css(doc: ReportDocument) -> str:
    w = doc.words
    mark = w("内部资料　注意保存", "Internal")
    return f"""
@page {{
  size: A4; margin: 26mm 24mm 24mm 26mm;
  @top-left {{ content: "{mark}"; font: 9pt {SANS}; color: #555; }}
  @top-right {{ content: "{e(doc.title)}"; font: 9pt {SANS}; color: #555; }}
  @bottom-center {{ content: "— " counter(page) " —"; font: 11pt {SERIF}; }}
}}
@page :first {{ @top-right {{ content: none; }} }}
html {{ font-family: {SERIF}; font-size: 12pt; line-height: 1.65; color: #111; }}
body {{ margin: 0; }}
h1.title {{ font-family: {SERIF}; font-weight: 700; font-size: 22pt; text-align: center; margin: 4mm 0 3mm;
  line-height: 1.35; letter-spacing: 0.5pt; }}
p.meta {{ text-align: center; margin: 0; font-size: 11pt; }}
p.meta.small {{ font-size: 9.5pt; color: #444; }}
hr.rule {{ border: 0; border-top: 1.5pt solid #111; margin: 3mm 0 5mm; }}
h2 {{ font-family: {SANS}; font-weight: 700; font-size: 15pt; margin: 6mm 0 2mm; page-break-after: avoid; }}
p.conclusion {{ font-size: 14pt; font-weight: 700; text-indent: 2em; margin: 1mm 0 3mm; }}
div.lines {{ margin: 2mm 0 0 0; }}
p.item {{ margin: 0.6mm 0; padding-left: 2em; text-indent: -2em; }}
p.item span.n {{ display: inline-block; width: 2em; text-indent: 0; }}
table {{ border-collapse: collapse; width: 100%; }}
table.cards {{ margin: 2mm 0 3mm; table-layout: fixed; }}
td.card {{ border: 1pt solid #333; padding: 2.5mm 3mm; vertical-align: top; font-family: {SANS}; }}
td.card + td.card {{ border-left: 0; }}
.card-label {{ font-size: 10.5pt; }}
.card-value {{ font-size: 22pt; font-weight: 700; line-height: 1.25; margin: 1mm 0; }}
.card-status, .card-change {{ font-size: 9.5pt; color: #333; }}
td.card.good .card-value {{ color: #1B5E20; }}
td.card.watch .card-value {{ color: #8A5300; }}
td.card.bad .card-value {{ color: #B71C1C; }}
table.kpi, table.attention {{ font-size: 9.5pt; line-height: 1.4; table-layout: fixed; }}
table.kpi th, table.attention th {{ font-family: {SANS}; font-weight: 700; background: #EDEDED;
  border: 0.75pt solid #444; padding: 1.5mm 1.5mm; }}
table.kpi td, table.attention td {{ border: 0.75pt solid #444; padding: 1.2mm 1.2mm; vertical-align: top; }}
table.kpi thead, table.attention thead {{ display: table-header-group; }}
table.kpi tr, table.attention tr {{ page-break-inside: avoid; }}
tr.group td {{ font-family: {SANS}; font-weight: 700; background: #F6F6F6; }}
td.num {{ text-align: right; }}
td.basis {{ color: #444; font-size: 8.5pt; }}
td.strong {{ font-weight: 700; }}
td.status {{ text-align: center; white-space: nowrap; font-family: {SANS}; }}
td.status.good, td.better {{ color: #1B5E20; }}
td.status.watch {{ color: #8A5300; }}
td.status.bad, td.worse {{ color: #B71C1C; font-weight: 700; }}
td.nowrap {{ white-space: nowrap; }}
div.notes p {{ font-size: 9pt; color: #444; margin: 1.5mm 0 0; line-height: 1.5; }}
figure {{ margin: 3mm 0 4mm; page-break-inside: avoid; text-align: center; }}
figure img {{ width: 16cm; }}
figcaption {{ font-family: {SANS}; font-size: 10pt; margin-top: 1mm; }}
section.comment-page {{ page-break-before: always; }}
div.comment p {{ text-indent: 2em; margin: 0 0 2mm; font-size: 13pt; line-height: 1.8; }}
div.blank-lines .line {{ border-bottom: 0.75pt solid #888; height: 10mm; }}
p.sign {{ text-align: right; margin: 8mm 0 4mm; font-size: 12pt; }}
span.blank {{ display: inline-block; width: 40mm; border-bottom: 0.75pt solid #111; }}
span.blank.short {{ width: 30mm; }}
div.instruction {{ border: 0.75pt solid #444; height: 70mm; }}
"""
