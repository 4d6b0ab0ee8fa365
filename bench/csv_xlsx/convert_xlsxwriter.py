"""Baseline (b): Python's csv module and xlsxwriter in constant-memory mode, from Debian.
usage: convert_xlsxwriter.py IN.csv OUT.xlsx"""
import csv, datetime, sys
import xlsxwriter

def date(s):
    return datetime.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))

book = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True})
sheet = book.add_worksheet("データ")
bold = book.add_format({"bold": True})
datefmt = book.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
with open(sys.argv[1], encoding="cp932", newline="") as f:
    for r, row in enumerate(csv.reader(f)):
        if r == 0:
            sheet.write_row(0, 0, row, bold)
            continue
        sheet.write_number(r, 0, int(row[0]))
        sheet.write_string(r, 1, row[1])
        sheet.write_string(r, 2, row[2])
        sheet.write_datetime(r, 3, date(row[3]), datefmt)
        for c in range(4, 9):
            sheet.write_string(r, c, row[c])
        sheet.write_number(r, 9, int(row[9]))
        sheet.write_datetime(r, 10, date(row[10]), datefmt)
        sheet.write_string(r, 11, row[11])
book.close()
