// jimu.xlsx end to end: workflows in a real LuaHost write workbooks that openpyxl (a reader jimu
// did not write) checks cell by cell, and read workbooks that openpyxl made.
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/connectors/xlsx/xlsx_test_support.h"

namespace jimu {
namespace {

using testing::run_lua;
using testing::run_python;
using testing::TempDir;

std::string error_of(const testing::LuaRun& r) {
  INFO(r.load_problems);
  REQUIRE(r.load_problems.empty());
  return r.error ? r.error->message : "";
}

const char* kReportLua = R"LUA(
local book <close> = assert(jimu.xlsx.create("report.xlsx"))
local s = book:add_sheet("集計")
local title = book:format{ bold = true, font_size = 14, align = "center" }
local head = book:format{ bold = true, bg_color = "#DDEBF7", border = "thin" }
local yen = book:format{ num_format = "#,##0\"円\"" }
local wareki = book:format{ num_format = "[$-ja-JP]ggge\"年\"m\"月\"d\"日\"" }
s:merge("A1:E1", "令和8年度 窓口受付集計", title)
s:write_row(2, { "窓口", "件数", "金額", "受付日", "完了" }, head)
s:write_row(3, { "①市民課", 120, 3500.5, { year = 2026, month = 4, day = 1 }, true })
s:write_row(4, { "㈱髙島屋～ｶﾅ", 80, 1200, { year = 2019, month = 5, day = 1 }, false })
s:write(5, 1, "〜計")
s:write("B5", { formula = "=SUM(B3:B4)", value = 200 })
s:write(5, "C", { formula = "=SUM(C3:C4)", value = 4700.5 }, yen)
s:write(5, 4, { year = 2027, month = 3, day = 31, hour = 17, min = 15, sec = 0 })
s:write(5, 5, { year = 2026, month = 4, day = 1 }, wareki)
s:set_column("A", "A", 20)
s:set_column(2, 5, 12)
s:freeze(3, 1)
s:autofilter("A2:E4")
local chart = book:add_chart{ type = "column", title = "件数",
  series = { { name = "件数", categories = "集計!$A$3:$A$4", values = "集計!$B$3:$B$4" } },
  x_axis = { title = "窓口" }, y_axis = "件" }
s:insert_chart("G2", chart)
local pie = book:add_chart{ type = "pie", series = { { values = "集計!$C$3:$C$4" } } }
local list = book:add_sheet("一覧")
for i = 1, 3 do list:write_row(i, { i, "行" .. i, nil, i * 1.5 }) end
list:insert_chart("F1", pie)
assert(book:close())
)LUA";

const char* kReportCheck = R"PY(
import openpyxl
for data_only in (False, True):
    wb = openpyxl.load_workbook("report.xlsx", data_only=data_only)
    print(wb.sheetnames)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.font.b:
                    continue
                print(ws.title, c.coordinate, repr(c.value), c.number_format, c.font.b)
        if not data_only:
            print("merged", [str(r) for r in ws.merged_cells.ranges], "freeze", ws.freeze_panes,
                  "filter", ws.auto_filter.ref, "charts", [type(c).__name__ for c in ws._charts])
            print("widths", {k: (v.min, v.max, round(v.width, 2)) for k, v in sorted(ws.column_dimensions.items()) if v.width})
    if not data_only:
        print("fill", wb["集計"]["B2"].fill.fgColor.rgb, "border", wb["集計"]["B2"].border.left.style)
)PY";

TEST_CASE("jimu.xlsx: a report written from Lua reads back in openpyxl cell by cell", "[xlsx]") {
  TempDir dir;
  auto r = run_lua(dir, kReportLua);
  REQUIRE(error_of(r) == "");
  auto py = run_python(dir, kReportCheck);
  INFO(py.output);
  REQUIRE(py.exit_code == 0);
  const std::string cells_common =
      "集計 A1 '令和8年度 窓口受付集計' General True\n"
      "集計 A2 '窓口' General True\n"
      "集計 B2 '件数' General True\n"
      "集計 C2 '金額' General True\n"
      "集計 D2 '受付日' General True\n"
      "集計 E2 '完了' General True\n"
      "集計 A3 '①市民課' General False\n"
      "集計 B3 120 General False\n"
      "集計 C3 3500.5 General False\n"
      "集計 D3 datetime.datetime(2026, 4, 1, 0, 0) yyyy\"年\"m\"月\"d\"日\" False\n"
      "集計 E3 True General False\n"
      "集計 A4 '㈱髙島屋～ｶﾅ' General False\n"
      "集計 B4 80 General False\n"
      "集計 C4 1200 General False\n"
      "集計 D4 datetime.datetime(2019, 5, 1, 0, 0) yyyy\"年\"m\"月\"d\"日\" False\n"
      "集計 E4 False General False\n"
      "集計 A5 '〜計' General False\n";
  const std::string tail =
      "集計 D5 datetime.datetime(2027, 3, 31, 17, 15) yyyy/m/d h:mm:ss False\n"
      "集計 E5 datetime.datetime(2026, 4, 1, 0, 0) [$-ja-JP]ggge\"年\"m\"月\"d\"日\" False\n";
  const std::string list =
      "一覧 A1 1 General False\n一覧 B1 '行1' General False\n一覧 D1 1.5 General False\n"
      "一覧 A2 2 General False\n一覧 B2 '行2' General False\n一覧 D2 3 General False\n"
      "一覧 A3 3 General False\n一覧 B3 '行3' General False\n一覧 D3 4.5 General False\n";
  const std::string expected = "['集計', '一覧']\n" + cells_common +
                               "集計 B5 '=SUM(B3:B4)' General False\n"
                               "集計 C5 '=SUM(C3:C4)' #,##0\"円\" False\n" +
                               tail +
                               "merged ['A1:E1'] freeze A3 filter A2:E4 charts ['BarChart']\n"
                               "widths {'A': (1, 1, 20.71), 'B': (2, 5, 12.71)}\n" +
                               list +
                               "merged [] freeze None filter None charts ['PieChart']\n"
                               "widths {}\n"
                               "fill FFDDEBF7 border thin\n"
                               "['集計', '一覧']\n" +
                               cells_common +
                               "集計 B5 200 General False\n"
                               "集計 C5 4700.5 #,##0\"円\" False\n" +
                               tail + list;
  CHECK(py.output == expected);
  // Only the finished file is left: no temporary names, no staging files.
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"helper.py", "report.xlsx", "t.lua"});
}

const char* kMadeByOpenpyxl = R"PY(
import datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "名簿"
ws.append(["氏名", "金額", "日付", None, "備考"])
ws.append(["①㈱髙～ｶﾅ", 1234, datetime.date(2026, 4, 1), True, None])
ws.append(["x", None, datetime.datetime(2019, 5, 1, 9, 30, 5)])
ws["B5"] = 2.5
wb.create_sheet("空")
wb.save("made.xlsx")
print("ok")
)PY";

TEST_CASE("jimu.xlsx: rows are arrays with holes and n, in place, with the row number", "[xlsx]") {
  TempDir dir;
  REQUIRE(run_python(dir, kMadeByOpenpyxl).exit_code == 0);
  auto r = run_lua(dir, R"LUA(
    local function eq(a, b, what) if a ~= b then error(what .. ": " .. tostring(a) .. " ~= " .. tostring(b), 2) end end
    local reader <close> = assert(jimu.xlsx.open("made.xlsx"))
    local names = reader:sheets()
    eq(#names, 2, "sheets"); eq(names[1], "名簿", "sheet 1"); eq(names[2], "空", "sheet 2")
    local got = {}
    for row, i in assert(reader:rows("名簿")) do got[#got + 1] = { row = row, i = i } end
    eq(#got, 5, "rows")
    eq(got[1].row.n, 5, "n of row 1"); eq(got[1].row[4], nil, "hole D1"); eq(got[1].row[5], "備考", "E1")
    eq(got[2].row[1], "①㈱髙～ｶﾅ", "A2"); eq(math.type(got[2].row[2]), "integer", "B2 is an integer")
    eq(got[2].row[2], 1234, "B2"); eq(got[2].row[4], true, "D2"); eq(got[2].row.n, 4, "n of row 2")
    local d = got[2].row[3]
    eq(d.year, 2026, "year"); eq(d.month, 4, "month"); eq(d.day, 1, "day"); eq(d.hour, nil, "no time")
    local t = got[3].row[3]
    eq(t.hour, 9, "hour"); eq(t.min, 30, "min"); eq(t.sec, 5, "sec")
    eq(got[3].row[2], nil, "B3 empty")
    eq(got[4].i, 4, "row 4 is in place"); eq(got[4].row.n, 0, "row 4 is empty")
    eq(got[5].i, 5, "row 5"); eq(got[5].row[2], 2.5, "B5")
    local count = 0
    for _ in reader:rows(2) do count = count + 1 end
    eq(count, 0, "the empty sheet has no rows")
    local iso = assert(jimu.xlsx.read("made.xlsx", 1, { dates = "iso" }))
    eq(iso[2][3], "2026-04-01", "iso date"); eq(iso[3][3], "2019-05-01T09:30:05", "iso time")
    local serial = assert(jimu.xlsx.read("made.xlsx", "名簿", { dates = "serial" }))
    eq(serial[2][3], 46113, "serial")
    local keyed = assert(jimu.xlsx.read("made.xlsx", "名簿", { header = true }))
    eq(#keyed, 3, "keyed rows skip the empty row 4")
    eq(keyed[1]["氏名"], "①㈱髙～ｶﾅ", "氏名"); eq(keyed[1]["金額"], 1234, "金額")
    eq(keyed[1].D, true, "a column without a header name goes by its letter")
    eq(keyed[3]["金額"], 2.5, "row 5 by name")
    local named = assert(jimu.xlsx.read("made.xlsx", nil, { header = { "a", "b" } }))
    eq(#named, 4, "given names: the first row is data"); eq(named[1].a, "氏名", "a"); eq(named[1].C, "日付", "C")
    for row in reader:rows("名簿") do break end  -- leaving early closes the row stream
  )LUA");
  CHECK(error_of(r) == "");
}

TEST_CASE("jimu.xlsx: bad input returns nil, message and code", "[xlsx]") {
  TempDir dir;
  REQUIRE(run_python(dir, kMadeByOpenpyxl).exit_code == 0);
  dir.write("notzip.xlsx", "this is text");
  auto r = run_lua(dir, R"LUA(
    local function eq(a, b, what) if a ~= b then error(what .. ": " .. tostring(a) .. " ~= " .. tostring(b), 2) end end
    local ok, msg, code = jimu.xlsx.read("notzip.xlsx")
    eq(ok, nil, "read"); eq(msg, "notzip.xlsx: not an .xlsx file (not a zip archive)", "msg"); eq(code, "parse", "code")
    ok, msg, code = jimu.xlsx.open("missing.xlsx")
    eq(msg, "missing.xlsx: no such file", "missing"); eq(code, "not_found", "missing code")
    local reader = assert(jimu.xlsx.open("made.xlsx"))
    ok, msg, code = reader:rows("集計")
    eq(msg, "made.xlsx: no sheet named '集計' (sheets: 名簿, 空)", "no sheet"); eq(code, "not_found", "code")
    ok, msg, code = jimu.xlsx.read("made.xlsx", "名簿", { header = { "a", "a" } })
    eq(msg, "made.xlsx: sheet '名簿': header option: duplicate header 'a' (columns A and B)", "dup")
    ok, msg, code = jimu.xlsx.read("../outside.xlsx")
    eq(ok, nil, "outside the sandbox")
  )LUA");
  CHECK(error_of(r) == "");
}

// A workbook whose sheet XML breaks after two good rows.
const char* kBrokenSheet = R"PY(
import zipfile
sheet = ('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>\n'
         '<row r="2"><c r="A2"><v>2</v></c></row>\n<row r="3"><c r="A3"><v>3</v></row>'
         '</sheetData></worksheet>')
with zipfile.ZipFile("broken.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="壊れ" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", sheet)
print("ok")
)PY";

TEST_CASE("jimu.xlsx: damage found mid-stream raises from the loop, and read returns nil",
          "[xlsx]") {
  TempDir dir;
  auto py = run_python(dir, kBrokenSheet);
  INFO(py.output);
  REQUIRE(py.exit_code == 0);
  auto r = run_lua(dir, R"LUA(
    local seen = 0
    local ok, err = pcall(function()
      for row in assert(jimu.xlsx.open("broken.xlsx")):rows("壊れ") do seen = seen + 1 end
    end)
    assert(not ok and seen == 2, tostring(err) .. " after " .. seen)
    assert(err:find("broken.xlsx: xl/worksheets/sheet1.xml:3:32: mismatched tag", 1, true), err)
    local rows, msg, code = jimu.xlsx.read("broken.xlsx", "壊れ")
    assert(rows == nil and code == "parse", tostring(msg))
    assert(msg == "broken.xlsx: xl/worksheets/sheet1.xml:3:32: mismatched tag", msg)
  )LUA");
  CHECK(error_of(r) == "");
}

TEST_CASE("jimu.xlsx: misuse raises with the rule that was broken", "[xlsx]") {
  TempDir dir;
  auto raised = [&](const std::string& body) {
    auto r = run_lua(dir,
                     "local book <close> = assert(jimu.xlsx.create('m.xlsx'))\n"
                     "local s = book:add_sheet('S')\n" +
                         body);
    return error_of(r);
  };
  CHECK(raised("book:add_sheet('1234567890123456789012345678901234')") ==
        "t.lua:5: bad argument #1 to 'add_sheet' (sheet name "
        "'1234567890123456789012345678901234' is longer than 31 characters)");
  CHECK(
      raised("book:add_sheet('S')") ==
      "t.lua:5: bad argument #1 to 'add_sheet' (sheet name 'S' is already used in this workbook)");
  CHECK(raised("book:add_sheet('a:b')") ==
        "t.lua:5: bad argument #1 to 'add_sheet' (sheet name 'a:b' contains a character Excel "
        "forbids in sheet names: [ ] : * ? / \\)");
  CHECK(raised("s:write(5, 1, 'x'); s:write(2, 1, 'y')") ==
        "t.lua:5: m.xlsx: sheet 'S': wrote row 2 after row 5: rows must be written in ascending "
        "order in constant-memory mode; pass { constant_memory = false } to jimu.xlsx.create for "
        "random access");
  CHECK(raised("book:format{ border = 'wavy' }") ==
        "t.lua:5: bad argument #1 to 'format' (border must be one of none thin medium dashed "
        "dotted thick double hair, not 'wavy')");
  CHECK(raised("book:format{ colour = '#FF0000' }").find("unknown option 'colour'") !=
        std::string::npos);
  CHECK(raised("s:write('B0', 1)") ==
        "t.lua:5: bad argument #1 to 'write' (not a cell reference like \"B3\": 'B0')");
  CHECK(raised("s:write(1, 1, { year = 2026, month = 2, day = 30 })") ==
        "t.lua:5: bad argument #3 to 'write' (not a date from 1900 to 9999: 2026-02-30)");
  CHECK(raised("s:write(1, 1, { 1, 2 })") ==
        "t.lua:5: bad argument #3 to 'write' (a table value must be a date { year, month, day } "
        "or a formula { formula = ... })");
  CHECK(raised("book:add_chart{ type = 'radar', series = { { values = 'S!$A$1:$A$2' } } }") ==
        "t.lua:5: bad argument #1 to 'add_chart' (chart type must be one of column bar line pie "
        "doughnut area, not 'radar')");
  CHECK(raised("jimu.xlsx.create('x.xlsx', { constant_mem = true })")
            .find("unknown option 'constant_mem' (known: constant_memory)") != std::string::npos);
  CHECK(raised("assert(book:close()); s:write(1, 1, 'late')") ==
        "t.lua:5: m.xlsx: the workbook is closed");
  CHECK(std::filesystem::exists(dir.file("m.xlsx")));  // the run that closed the book
}

TEST_CASE("jimu.xlsx: a book released without close leaves no file and says so", "[xlsx]") {
  TempDir dir;
  auto r = run_lua(dir, R"LUA(
    do
      local book <close> = assert(jimu.xlsx.create("half.xlsx"))
      book:add_sheet("S"):write(1, 1, "partial")
    end
    local book2 = assert(jimu.xlsx.create("failed.xlsx"))
    book2:add_sheet("S"):write(1, 1, 1)
    error("the workflow failed midway")
  )LUA");
  CHECK(error_of(r).find("the workflow failed midway") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("half.xlsx")));
  CHECK_FALSE(std::filesystem::exists(dir.file("failed.xlsx")));
  CHECK(r.log ==
        "half.xlsx: discarded: the book was released without book:close()\n"
        "failed.xlsx: discarded: the book was released without book:close()\n");
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    CHECK(e.path().filename().string().find(".xlsx") == std::string::npos);
  }
}

}  // namespace
}  // namespace jimu
