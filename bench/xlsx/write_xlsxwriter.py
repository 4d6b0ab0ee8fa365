# Python's xlsxwriter (Debian's python3-xlsxwriter) in constant-memory mode, same rows as write.lua.
import datetime, sys, xlsxwriter
from bench_rows import HEADER, rows
out, n, tmpdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
wb = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tmpdir})
ws = wb.add_worksheet("データ")
date = wb.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
ws.write_row(0, 0, HEADER)
for i, r in rows(n):
    ws.write_number(i, 0, r[0]); ws.write_string(i, 1, r[1]); ws.write_string(i, 2, r[2])
    ws.write_string(i, 3, r[3]); ws.write_datetime(i, 4, r[4], date); ws.write_number(i, 5, r[5])
    ws.write_number(i, 6, r[6]); ws.write_string(i, 7, r[7]); ws.write_boolean(i, 8, r[8])
    ws.write_string(i, 9, r[9]); ws.write_number(i, 10, r[10]); ws.write_datetime(i, 11, r[11], date)
wb.close()
