"""Baseline (c): Python's csv module and openpyxl in write-only mode, from Debian.
usage: convert_openpyxl.py IN.csv OUT.xlsx"""
import csv, datetime, sys
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

def date(s):
    return datetime.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))

book = Workbook(write_only=True)
sheet = book.create_sheet("データ")
bold = Font(bold=True)
with open(sys.argv[1], encoding="cp932", newline="") as f:
    for r, row in enumerate(csv.reader(f)):
        if r == 0:
            cells = []
            for v in row:
                c = WriteOnlyCell(sheet, value=v)
                c.font = bold
                cells.append(c)
            sheet.append(cells)
            continue
        d1 = WriteOnlyCell(sheet, value=date(row[3]))
        d1.number_format = 'yyyy"年"m"月"d"日"'
        d2 = WriteOnlyCell(sheet, value=date(row[10]))
        d2.number_format = 'yyyy"年"m"月"d"日"'
        sheet.append([int(row[0]), row[1], row[2], d1, row[4], row[5], row[6], row[7], row[8],
                      int(row[9]), d2, row[11]])
book.save(sys.argv[2])
