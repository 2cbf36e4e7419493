"""Certificates of attendance as PDF, in Thai with the Sarabun font.

fpdf2 lays the page out; with uharfbuzz installed it shapes the text, which puts Thai vowels
and tone marks in their right places above and below the consonants.
"""

from pathlib import Path

import fontpkg_sarabun
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from thetsaban import dates

FONTS = Path(fontpkg_sarabun.ROOT) / "files"


def certificate_pdf(registration, *, verify_url: str) -> bytes:
    """The certificate of `registration` (an attended one): a one-page A4 landscape PDF."""
    event = registration.event
    with translation.override("th"):
        pdf = FPDF(orientation="L", format="A4")
        pdf.set_title(_("Certificate of attendance"))
        pdf.set_creator("Thetsaban")
        pdf.add_font("Sarabun", "", str(FONTS / "Sarabun-Regular.ttf"))
        pdf.add_font("Sarabun", "B", str(FONTS / "Sarabun-Bold.ttf"))
        pdf.set_text_shaping(True)
        pdf.add_page()
        pdf.set_line_width(1.2)
        pdf.set_draw_color(11, 93, 75)
        pdf.rect(10, 10, 277, 190)
        width = 257
        pdf.set_xy(20, 30)
        pdf.set_font("Sarabun", "", 18)
        pdf.cell(width, 12, str(event.centre), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.set_font("Sarabun", "B", 32)
        pdf.cell(width, 20, _("Certificate of attendance"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.set_font("Sarabun", "", 18)
        pdf.cell(width, 12, _("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.set_font("Sarabun", "B", 26)
        pdf.cell(width, 16, registration.participant_name, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.set_font("Sarabun", "", 18)
        pdf.cell(width, 12, _("attended the %(kind)s") % {"kind": event.get_kind_display()}, align="C",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.set_font("Sarabun", "B", 20)
        pdf.multi_cell(width, 12, event.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.set_font("Sarabun", "", 16)
        when = dates.format_date(event.starts_at)
        if dates.format_date(event.ends_at) != when:
            when = f"{when} – {dates.format_date(event.ends_at)}"
        pdf.cell(width, 12, when, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_xy(20, 175)
        pdf.set_font("Sarabun", "", 12)
        pdf.cell(width, 8, _("Verification code: %(code)s") % {"code": registration.certificate_code},
                 align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.cell(width, 8, _("Check it at %(url)s") % {"url": verify_url}, align="C")
        return bytes(pdf.output())
