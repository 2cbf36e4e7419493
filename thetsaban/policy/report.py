"""The policy-recommendations report rebuilt from the data, like the seed deck: one section per
level, the policy table with its five columns, and the source LGU codes. Rendered as a printable
page (template policy/report.html), as XLSX (openpyxl, every cell through the tabular kit's
safe_row so that no text runs as a formula) and as DOCX (python-docx)."""

import io

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban.dates import format_date
from thetsaban.policy.choices import LEVEL_ORDER, Level
from thetsaban.policy.models import RecommendationActor, RecommendationUpdate
from thetsaban.tabular import safe_row

FONT = "Sarabun"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Every column the report can show, in the deck's order, with its width in the spreadsheet;
# then where each recommendation stands: its status, progress and latest timeline entry.
COLUMN_ORDER = ("issue", "sub_issue", "problem", "effect", "recommendation", "actors", "lgu_codes",
                "status", "progress", "latest_update")
WIDTHS = {"issue": 22, "sub_issue": 28, "problem": 45, "effect": 40, "recommendation": 60,
          "actors": 32, "lgu_codes": 12, "status": 18, "progress": 10, "latest_update": 45}
# The policy table always has the deck's five columns and the source LGUs.
POLICY_COLUMNS = ("issue", "sub_issue", "problem", "effect", "recommendation", "lgu_codes")
# Every table shows where each recommendation stands.
STANDING_COLUMNS = ("status", "progress", "latest_update")


def column_labels() -> dict[str, str]:
    return {
        "issue": _("Issue"), "sub_issue": _("Sub-issue"), "problem": _("Problem"),
        "effect": _("Effect"), "recommendation": _("Recommendation"),
        "actors": _("Agencies and partners"), "lgu_codes": _("Source LGUs"),
        "status": _("Status"), "progress": _("Progress"), "latest_update": _("Latest update"),
    }


def report_queryset(queryset):
    """The recommendations of the report with what it shows, in two queries."""
    actors = RecommendationActor.objects.select_related("organisation").order_by("role", "pk")
    latest = RecommendationUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-date", "-pk")
    return (queryset.in_level_order().prefetch_related(Prefetch("actors", queryset=actors))
            .annotate(latest_date=Subquery(latest.values("date")[:1]),
                      latest_text=Subquery(latest.values("text")[:1])))


def _shown(key: str, row: dict) -> str:
    """A cell's text: the progress as a percentage, the latest update with its date."""
    if key == "progress":
        return f"{row['progress']}%"
    if key == "latest_update":
        update = row["latest_update"]
        return f"{format_date(update['date'])}: {update['text']}" if update else ""
    return row[key]


def build_report(queryset, *, filters=(), level: str | None = None) -> dict:
    """Sections per level, each with the columns its rows use (the policy table: all five).

    With `level`, only that level's section; otherwise every level, empty ones included, so
    that a gap in the coverage shows in the document too."""
    labels = column_labels()
    by_level = {each: [] for each in LEVEL_ORDER}
    for recommendation in report_queryset(queryset):
        actors = "\n".join(
            f"{actor.organisation.name} ({actor.get_role_display()})"
            + (f": {actor.note}" if actor.note else "")
            for actor in recommendation.actors.all())
        by_level.setdefault(recommendation.level, []).append({
            "id": recommendation.pk,
            "url": recommendation.get_absolute_url(),
            "title": recommendation.title,
            "status": recommendation.get_status_display(),
            "issue": recommendation.issue, "sub_issue": recommendation.sub_issue,
            "problem": recommendation.problem, "effect": recommendation.effect,
            "recommendation": recommendation.recommendation, "actors": actors,
            "lgu_codes": recommendation.lgu_codes,
            "progress": recommendation.progress,
            "latest_update": ({"date": recommendation.latest_date, "text": recommendation.latest_text}
                              if recommendation.latest_date else None),
        })
    sections = []
    for section_level, rows in by_level.items():
        if level and section_level != level:
            continue
        if section_level == Level.POLICY:
            keys = list(POLICY_COLUMNS)
            if any(row["actors"] for row in rows):
                keys.insert(5, "actors")
        else:
            keys = [k for k in COLUMN_ORDER if k not in STANDING_COLUMNS
                    and (k == "recommendation" or any(row[k] for row in rows))]
        keys += STANDING_COLUMNS
        columns = [{"key": key, "label": labels[key]} for key in keys]
        for row in rows:
            row["cells"] = [{"key": key, "value": _shown(key, row)} for key in keys]
        sections.append({"level": section_level, "label": str(Level(section_level).label),
                         "columns": columns, "rows": rows})
    return {
        "title": _("Policy recommendations"),
        "generated": timezone.localdate(),
        "filters": list(filters),
        "sections": sections,
        "count": sum(len(s["rows"]) for s in sections),
    }


def _sheet_title(label: str, used: set) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    title = "".join(c for c in label if c not in "[]:*?/\\")[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def render_xlsx(report: dict) -> bytes:
    """The report as an XLSX workbook: a summary sheet, then one sheet per level."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    summary = workbook.active
    summary.title = _sheet_title(_("Summary"), used := set())
    bold = Font(name=FONT, bold=True)
    plain = Font(name=FONT)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    summary.append(safe_row([report["title"]]))
    summary["A1"].font = Font(name=FONT, bold=True, size=14)
    summary.append(safe_row([_("Generated"), format_date(report["generated"])]))
    for label, value in report["filters"]:
        summary.append(safe_row([label, value]))
    summary.append([])
    summary.append(safe_row([_("Level"), _("Recommendations")]))
    for section in report["sections"]:
        summary.append(safe_row([section["label"], len(section["rows"])]))
    for row in summary.iter_rows(min_row=2):
        for cell in row:
            cell.font = plain
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 20

    for section in report["sections"]:
        sheet = workbook.create_sheet(_sheet_title(section["label"], used))
        sheet.append(safe_row(column["label"] for column in section["columns"]))
        for cell in sheet[1]:
            cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        for row in section["rows"]:
            # The progress stays a number, so that it sorts and filters as one.
            sheet.append(safe_row(row["progress"] / 100 if cell["key"] == "progress" else cell["value"]
                                  for cell in row["cells"]))
        progress_column = [c["key"] for c in section["columns"]].index("progress") + 1
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.font, cell.alignment = plain, wrap
                if cell.column == progress_column:
                    cell.number_format = "0%"
        for index, column in enumerate(section["columns"], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column["key"]]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _thai_font(run, *, bold: bool | None = None) -> None:
    """Sarabun for every script of a run, the complex-script (Thai) one included."""
    from docx.oxml.ns import qn

    run.font.name = FONT
    if bold is not None:
        run.font.bold = bold
        run.font.cs_bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    # Theme fonts would win over the names above in Word.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _style_font(style) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:bidi"), "th-TH")


def _paragraph(container, text: str, *, bold: bool = False, style: str | None = None):
    paragraph = container.add_paragraph(style=style) if style else container.add_paragraph()
    lines = (text or "").split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        _thai_font(run, bold=bold or None)
        if i < len(lines) - 1:
            run.add_break()
    return paragraph


def render_docx(report: dict) -> bytes:
    """The report as a DOCX document: a heading per level and its table, in landscape."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        try:
            _style_font(document.styles[name])
        except KeyError:
            continue
    document.styles["Normal"].font.size = Pt(12)

    title = document.add_heading(level=0)
    _thai_font(title.add_run(report["title"]))
    _paragraph(document, f"{_('Generated')}: {format_date(report['generated'])}")
    for label, value in report["filters"]:
        _paragraph(document, f"{label}: {value}")

    for part in report["sections"]:
        heading = document.add_heading(level=1)
        _thai_font(heading.add_run(part["label"]))
        if not part["rows"]:
            _paragraph(document, _("No recommendations at this level."))
            continue
        table = document.add_table(rows=1, cols=len(part["columns"]))
        table.style = document.styles["Table Grid"]
        for cell, column in zip(table.rows[0].cells, part["columns"], strict=True):
            run = cell.paragraphs[0].add_run(column["label"])
            _thai_font(run, bold=True)
        for row in part["rows"]:
            cells = table.add_row().cells
            for cell, value in zip(cells, row["cells"], strict=True):
                lines = (value["value"] or "").split("\n")
                paragraph = cell.paragraphs[0]
                for i, line in enumerate(lines):
                    run = paragraph.add_run(line)
                    _thai_font(run)
                    if i < len(lines) - 1:
                        run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
