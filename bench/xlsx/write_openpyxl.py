# openpyxl (Debian's python3-openpyxl) in write-only mode, same rows as write.lua.
import sys, openpyxl
from openpyxl.cell import WriteOnlyCell
from bench_rows import HEADER, rows
out, n = sys.argv[1], int(sys.argv[2])
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("データ")
ws.append(HEADER)
fmt = 'yyyy"年"m"月"d"日"'
for i, r in rows(n):
    r = list(r)
    for c in (4, 11):
        cell = WriteOnlyCell(ws, value=r[c])
        cell.number_format = fmt
        r[c] = cell
    ws.append(r)
wb.save(out)
