"""Building import files for the tests."""

import csv
import io

from openpyxl import Workbook

HEADER = ["code", "name_th", "name_en", "short_name", "type", "province", "population",
          "website", "latitude", "longitude"]

GOOD_ROWS = [
    ["9001", "เทศบาลนครหาดใหญ่", "Hat Yai City Municipality", "ทน.หาดใหญ่", "ทน.", "90",
     "149,459", "www.hatyaicity.go.th", "7.0086", "100.4747"],
    ["9002", "เทศบาลเมืองคอหงส์", "Kho Hong Town Municipality", "", "เทศบาลเมือง", "สงขลา",
     "", "", "", ""],
    ["5701", "องค์การบริหารส่วนตำบลแม่ยาว", "Mae Yao SAO", "อบต.แม่ยาว", "อบต", "Chiang Rai",
     "๑๒๓๔", "", "", ""],
    ["1201", "เทศบาลตำบลบางกรวย", "", "", "subdistrict", "จังหวัดนนทบุรี", "0", "", "", ""],
]


def csv_bytes(rows, header=HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value):
    """Numbers as a spreadsheet stores them, to test reading numeric cells."""
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "." not in value else number
