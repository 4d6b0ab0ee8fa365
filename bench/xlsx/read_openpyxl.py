# openpyxl read-only over the benchmark file: every row, every value touched (as read.lua does).
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.worksheets[0]
rows = cells = 0
total = 0.0
for row in ws.iter_rows(values_only=True):
    rows += 1
    cells += sum(1 for v in row if v is not None)
    if rows > 1:
        total += row[5]
print("rows %d cells %d total %.1f" % (rows, cells, total))
