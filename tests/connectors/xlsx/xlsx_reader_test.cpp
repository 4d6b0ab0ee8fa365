// The streaming reader against files jimu did not write: made by openpyxl (Debian's
// python3-openpyxl), or assembled by Python's zipfile to hit the corners (data descriptors, rows
// and cells without r=, inline rich text, phonetic runs), and against broken files.
#include "connectors/xlsx/xlsx_reader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "connectors/xlsx/excel_dates.h"
#include "tests/connectors/xlsx/xlsx_test_support.h"

namespace jimu::xlsx {
namespace {

using jimu::testing::run_python;
using jimu::testing::TempDir;

// Makes made.xlsx (openpyxl, 1900 system), mac.xlsx (openpyxl, 1904 system).
const char* kOpenpyxlScript = R"PY(
import datetime, openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "名簿"
ws.append(["氏名", "金額", "日付", "真偽", "備考"])
ws.append(["①㈱髙～ｶﾅ", 1234, datetime.date(2026, 4, 1), True, None])
ws.append(["〜波ダッシュ", 1.5, datetime.datetime(2019, 5, 1, 9, 30, 0), False, "末尾"])
ws["A4"] = "x"
ws["C4"] = "z"
ws["A6"] = "after a gap"
ws["F2"] = 45000
ws["F2"].number_format = 'yyyy"年"m"月"d"日"'
ws["G2"] = 0.5
ws["G2"].number_format = "h:mm"
ws["H2"] = 1.25
ws["H2"].number_format = "[h]:mm:ss"
ws["I2"] = 43586
ws["I2"].number_format = '[$-ja-JP]ggge"年"m"月"d"日"'
ws["J2"] = "#DIV/0!"
ws["K2"] = "=SUM(B2:B3)"
ws2 = wb.create_sheet("Sheet2")
ws2["B2"] = "second"
wb.save("made.xlsx")

mac = openpyxl.Workbook()
mac.epoch = CALENDAR_MAC_1904
m = mac.active
m["A1"] = datetime.date(2026, 4, 1)
m["A2"] = datetime.datetime(1904, 1, 2, 12, 0, 0)
mac.save("mac.xlsx")
print("ok")
)PY";

// Makes raw.xlsx by hand through a non-seekable stream, so zipfile writes data descriptors.
const char* kRawScript = R"PY(
import sys, zipfile
class Pipe:
    def __init__(self, f): self.f = f
    def write(self, b): return self.f.write(b)
    def flush(self): self.f.flush()
parts = {
 "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
 "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
 "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="生データ" sheetId="1" r:id="rId1"/></sheets></workbook>',
 "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/></Relationships>',
 "xl/strings.xml": '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>髙橋</t><rPh sb="0" eb="2"><t>タカハシ</t></rPh></si><si><r><t>太</t></r><r><rPr><b/></rPr><t xml:space="preserve">字 </t></r></si><si><t>改行_x000D_あり</t></si></sst>',
 "xl/worksheets/data.xml": '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
   '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>'
   '<x:row><x:c t="inlineStr"><x:is><x:r><x:t>イン</x:t></x:r><x:r><x:t>ライン</x:t></x:r></x:is></x:c><x:c><x:v>7</x:v></x:c><x:c r="E2" t="b"><x:v>1</x:v></x:c><x:c><x:v>-2.5E-3</x:v></x:c></x:row>'
   '<x:row r="5"><x:c r="B5" t="str"><x:f>A1&amp;"!"</x:f><x:v>髙橋!</x:v></x:c><x:c r="D5" t="d"><x:v>2026-03-31T08:15:00</x:v></x:c></x:row>'
   '</x:sheetData></x:worksheet>',
}
with open("raw.xlsx", "wb") as f:
    z = zipfile.ZipFile(Pipe(f), "w", zipfile.ZIP_DEFLATED)
    for name, text in parts.items():
        z.writestr(name, text.encode("utf-8"))
    z.close()
print("ok")
)PY";

std::unique_ptr<XlsxReader> open_ok(const std::string& path, const std::string& display) {
  auto r = XlsxReader::open(path, display);
  INFO(r.status().message());
  REQUIRE(r);
  return std::move(r).value();
}

std::vector<XlsxRow> all_rows(XlsxReader& reader, const std::string& sheet) {
  auto s = reader.open_sheet(sheet);
  INFO(s.status().message());
  REQUIRE(s);
  std::vector<XlsxRow> rows;
  XlsxRow row;
  for (;;) {
    auto more = (*s)->next(&row);
    INFO(more.status().message());
    REQUIRE(more);
    if (!*more) break;
    rows.push_back(row);
  }
  return rows;
}

const XlsxCell& at(const std::vector<XlsxRow>& rows, size_t r, size_t c) {
  static const XlsxCell kEmpty;
  REQUIRE(r < rows.size());
  return c < rows[r].cells.size() ? rows[r].cells[c] : kEmpty;
}

std::string text(const XlsxCell& c) {
  REQUIRE(c.kind == XlsxCell::Kind::kString);
  return c.text;
}

TEST_CASE("xlsx reader: a workbook made by openpyxl reads cell by cell", "[xlsx]") {
  TempDir dir;
  auto py = run_python(dir, kOpenpyxlScript);
  INFO(py.output);
  REQUIRE(py.exit_code == 0);
  auto reader = open_ok(dir.file("made.xlsx"), "in/made.xlsx");
  CHECK(reader->sheet_names() == std::vector<std::string>{"名簿", "Sheet2"});
  CHECK_FALSE(reader->date1904());
  auto rows = all_rows(*reader, "名簿");
  REQUIRE(rows.size() == 5);  // rows 1-4 and 6: row 5 is absent from the file
  CHECK(rows[3].index == 4);
  CHECK(rows[4].index == 6);
  CHECK(text(at(rows, 0, 0)) == "氏名");
  CHECK(text(at(rows, 1, 0)) == "①㈱髙～ｶﾅ");
  CHECK(at(rows, 1, 1).kind == XlsxCell::Kind::kNumber);
  CHECK(at(rows, 1, 1).number == 1234);
  CHECK(at(rows, 1, 2).kind == XlsxCell::Kind::kDate);
  CHECK(from_serial(at(rows, 1, 2).number, false)->day == 1);
  CHECK(at(rows, 1, 2).number == 46113);  // 2026-04-01
  CHECK(at(rows, 1, 3).kind == XlsxCell::Kind::kBoolean);
  CHECK(at(rows, 1, 3).number == 1);
  CHECK(at(rows, 1, 4).kind == XlsxCell::Kind::kEmpty);
  CHECK(at(rows, 1, 5).kind == XlsxCell::Kind::kDate);    // yyyy"年"m"月"d"日"
  CHECK(at(rows, 1, 6).kind == XlsxCell::Kind::kNumber);  // h:mm: a time of day, not a date
  CHECK(at(rows, 1, 7).kind == XlsxCell::Kind::kNumber);  // [h]:mm:ss: a duration
  CHECK(at(rows, 1, 8).kind == XlsxCell::Kind::kDate);    // ggge年: wareki
  CHECK(at(rows, 1, 9).kind == XlsxCell::Kind::kError);
  CHECK(at(rows, 1, 9).text == "#DIV/0!");
  CHECK(at(rows, 1, 10).kind == XlsxCell::Kind::kEmpty);  // a formula openpyxl never calculated
  CHECK(text(at(rows, 2, 0)) == "〜波ダッシュ");
  auto dt = from_serial(at(rows, 2, 2).number, false);
  REQUIRE(dt);
  CHECK((dt->year == 2019 && dt->month == 5 && dt->day == 1 && dt->hour == 9 && dt->minute == 30));
  CHECK(at(rows, 2, 3).number == 0);
  CHECK(text(at(rows, 2, 4)) == "末尾");
  // A4 and C4 with B4 empty: the hole stays in place.
  REQUIRE(rows[3].cells.size() == 3);
  CHECK(text(at(rows, 3, 0)) == "x");
  CHECK(at(rows, 3, 1).kind == XlsxCell::Kind::kEmpty);
  CHECK(text(at(rows, 3, 2)) == "z");
  CHECK(text(at(rows, 4, 0)) == "after a gap");

  auto second = all_rows(*reader, "Sheet2");
  REQUIRE(second.size() == 1);
  CHECK(second[0].index == 2);
  CHECK(at(second, 0, 0).kind == XlsxCell::Kind::kEmpty);
  CHECK(text(at(second, 0, 1)) == "second");
}

TEST_CASE("xlsx reader: the 1904 date system gives the same calendar dates", "[xlsx]") {
  TempDir dir;
  auto py = run_python(dir, kOpenpyxlScript);
  REQUIRE(py.exit_code == 0);
  auto reader = open_ok(dir.file("mac.xlsx"), "mac.xlsx");
  CHECK(reader->date1904());
  auto rows = all_rows(*reader, "Sheet");
  REQUIRE(rows.size() == 2);
  REQUIRE(at(rows, 0, 0).kind == XlsxCell::Kind::kDate);
  CHECK(at(rows, 0, 0).number == 46113 - 1462);
  auto d = from_serial(at(rows, 0, 0).number, true);
  CHECK((d->year == 2026 && d->month == 4 && d->day == 1));
  auto t = from_serial(at(rows, 1, 0).number, true);
  CHECK((t->year == 1904 && t->month == 1 && t->day == 2 && t->hour == 12));
}

TEST_CASE("xlsx reader: a zip with data descriptors, rows without r= and rich text", "[xlsx]") {
  TempDir dir;
  auto py = run_python(dir, kRawScript);
  INFO(py.output);
  REQUIRE(py.exit_code == 0);
  // The file really uses data descriptors (signature PK\7\8 after each entry's data).
  CHECK(jimu::testing::read_all(dir.file("raw.xlsx")).find("PK\x07\x08") != std::string::npos);
  auto reader = open_ok(dir.file("raw.xlsx"), "raw.xlsx");
  CHECK(reader->sheet_names() == std::vector<std::string>{"生データ"});
  auto rows = all_rows(*reader, "生データ");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].index == 1);
  CHECK(rows[1].index == 2);
  CHECK(rows[2].index == 5);
  CHECK(text(at(rows, 0, 0)) == "髙橋");  // the phonetic run タカハシ is not part of the value
  CHECK(text(at(rows, 0, 1)) == "太字 ");
  CHECK(text(at(rows, 0, 2)) == "改行\rあり");
  CHECK(text(at(rows, 1, 0)) == "インライン");
  CHECK(at(rows, 1, 1).number == 7);  // no r=: the column after the previous cell
  CHECK(at(rows, 1, 2).kind == XlsxCell::Kind::kEmpty);
  CHECK(at(rows, 1, 3).kind == XlsxCell::Kind::kEmpty);
  CHECK(at(rows, 1, 4).kind == XlsxCell::Kind::kBoolean);
  CHECK(at(rows, 1, 5).number == -0.0025);  // F2: after E2
  CHECK(text(at(rows, 2, 1)) == "髙橋!");
  REQUIRE(at(rows, 2, 3).kind == XlsxCell::Kind::kDate);
  auto d = from_serial(at(rows, 2, 3).number, false);
  CHECK((d->year == 2026 && d->month == 3 && d->day == 31 && d->hour == 8 && d->minute == 15));
}

// ---- bad input ---------------------------------------------------------------------------------

Status open_status(const std::string& path, const std::string& display) {
  auto r = XlsxReader::open(path, display);
  REQUIRE_FALSE(r);
  return r.status();
}

TEST_CASE("xlsx reader: a missing file is not_found", "[xlsx]") {
  TempDir dir;
  Status s = open_status(dir.file("nope.xlsx"), "in/nope.xlsx");
  CHECK(s.code() == Code::kNotFound);
  CHECK(s.message() == "in/nope.xlsx: no such file");
}

TEST_CASE("xlsx reader: a file that is not a zip is a parse error", "[xlsx]") {
  TempDir dir;
  Status s = open_status(dir.write("a.xlsx", "氏名,金額\n山田,1\n"), "in/a.xlsx");
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() == "in/a.xlsx: not an .xlsx file (not a zip archive)");
  s = open_status(dir.write("empty.xlsx", ""), "empty.xlsx");
  CHECK(s.message() == "empty.xlsx: not an .xlsx file (not a zip archive)");
  s = open_status(dir.write("old.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) +
                                           std::string(600, '\0')),
                  "old.xls");
  CHECK(s.message() ==
        "old.xls: an .xls file or a password-protected workbook (OLE2 compound file), not an "
        ".xlsx file");
}

TEST_CASE("xlsx reader: a truncated zip is a parse error naming the file", "[xlsx]") {
  TempDir dir;
  REQUIRE(run_python(dir, kOpenpyxlScript).exit_code == 0);
  std::string bytes = jimu::testing::read_all(dir.file("made.xlsx"));
  for (size_t keep : {bytes.size() / 2, bytes.size() - 10, size_t{30}}) {
    dir.write("cut.xlsx", bytes.substr(0, keep));
    Status s = open_status(dir.file("cut.xlsx"), "cut.xlsx");
    CHECK(s.code() == Code::kParse);
    CHECK(s.message() == "cut.xlsx: truncated or damaged zip archive (no central directory)");
  }
}

TEST_CASE("xlsx reader: a sheet name that does not exist lists the sheets", "[xlsx]") {
  TempDir dir;
  REQUIRE(run_python(dir, kOpenpyxlScript).exit_code == 0);
  auto reader = open_ok(dir.file("made.xlsx"), "made.xlsx");
  auto s = reader->open_sheet("集計");
  REQUIRE_FALSE(s);
  CHECK(s.status().code() == Code::kNotFound);
  CHECK(s.status().message() == "made.xlsx: no sheet named '集計' (sheets: 名簿, Sheet2)");
  auto i = reader->open_sheet(size_t{2});
  REQUIRE_FALSE(i);
  CHECK(i.status().message() == "made.xlsx: no sheet 3 (the workbook has 2)");
}

// Rewrites made.xlsx with Python, replacing or dropping one entry; stored (not deflated) so the
// test can damage bytes at known places.
const char* kRewriteScript = R"PY(
import sys, zipfile
src, dst, name, mode = sys.argv[1:5]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == name:
            if mode == "drop":
                continue
            data = open(mode, "rb").read()
        zout.writestr(info.filename, data)
print("ok")
)PY";

TEST_CASE("xlsx reader: a sheet part missing from the archive is a parse error", "[xlsx]") {
  TempDir dir;
  REQUIRE(run_python(dir, kOpenpyxlScript).exit_code == 0);
  auto py = run_python(dir, kRewriteScript, "made.xlsx missing.xlsx xl/worksheets/sheet1.xml drop");
  REQUIRE(py.exit_code == 0);
  auto reader = open_ok(dir.file("missing.xlsx"), "missing.xlsx");
  auto s = reader->open_sheet("名簿");
  REQUIRE_FALSE(s);
  CHECK(s.status().code() == Code::kParse);
  CHECK(s.status().message() ==
        "missing.xlsx: sheet '名簿': part xl/worksheets/sheet1.xml is missing from the archive");
  CHECK(reader->open_sheet("Sheet2"));  // the other sheet still reads
}

TEST_CASE("xlsx reader: corrupt sheet XML fails at its line and column after the good rows",
          "[xlsx]") {
  TempDir dir;
  REQUIRE(run_python(dir, kOpenpyxlScript).exit_code == 0);
  dir.write("bad.xml",
            "<worksheet><sheetData>\n<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n"
            "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>\n<row r=\"3\"><c><v>3</v></row>\n"
            "</sheetData></worksheet>");
  auto py =
      run_python(dir, kRewriteScript, "made.xlsx corrupt.xlsx xl/worksheets/sheet1.xml bad.xml");
  REQUIRE(py.exit_code == 0);
  auto reader = open_ok(dir.file("corrupt.xlsx"), "corrupt.xlsx");
  auto s = reader->open_sheet("名簿");
  REQUIRE(s);
  XlsxRow row;
  REQUIRE(*(*s)->next(&row));
  CHECK(row.cells[0].number == 1);
  REQUIRE(*(*s)->next(&row));
  CHECK(row.cells[0].number == 2);
  auto bad = (*s)->next(&row);
  REQUIRE_FALSE(bad);
  CHECK(bad.status().code() == Code::kParse);
  CHECK(bad.status().message() == "corrupt.xlsx: xl/worksheets/sheet1.xml:4:25: mismatched tag");
}

TEST_CASE("xlsx reader: bad values inside cells are parse errors naming the place", "[xlsx]") {
  TempDir dir;
  REQUIRE(run_python(dir, kOpenpyxlScript).exit_code == 0);
  dir.write("bad.xml",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row>"
            "<row r=\"2\"><c r=\"A2\"><v>12abc</v></c></row></sheetData></worksheet>");
  REQUIRE(run_python(dir, kRewriteScript, "made.xlsx vals.xlsx xl/worksheets/sheet1.xml bad.xml")
              .exit_code == 0);
  auto reader = open_ok(dir.file("vals.xlsx"), "vals.xlsx");
  auto s = reader->open_sheet(size_t{0});
  REQUIRE(s);
  XlsxRow row;
  auto r = (*s)->next(&row);
  REQUIRE_FALSE(r);
  CHECK(r.status().message() ==
        "vals.xlsx: xl/worksheets/sheet1.xml:1:59: shared string index '99' out of range");
  dir.write("doctype.xml",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet/>");
  REQUIRE(run_python(dir, kRewriteScript, "made.xlsx dtd.xlsx xl/worksheets/sheet1.xml doctype.xml")
              .exit_code == 0);
  auto reader2 = open_ok(dir.file("dtd.xlsx"), "dtd.xlsx");
  auto s2 = reader2->open_sheet(size_t{0});
  REQUIRE(s2);
  auto r2 = (*s2)->next(&row);
  REQUIRE_FALSE(r2);
  CHECK(r2.status().message() ==
        "dtd.xlsx: xl/worksheets/sheet1.xml:1:34: a DOCTYPE is not allowed in a workbook part");
}

TEST_CASE("xlsx reader: damaged entry bytes fail the CRC check instead of reading garbage",
          "[xlsx]") {
  TempDir dir;
  REQUIRE(run_python(dir, kOpenpyxlScript).exit_code == 0);
  REQUIRE(run_python(dir, kRewriteScript, "made.xlsx stored.xlsx none none").exit_code == 0);
  std::string bytes = jimu::testing::read_all(dir.file("stored.xlsx"));
  size_t at = bytes.find("after a gap");  // inside the stored sheet part (an inline string)
  REQUIRE(at != std::string::npos);
  bytes[at] = 'A';
  dir.write("flip.xlsx", bytes);
  auto reader = open_ok(dir.file("flip.xlsx"), "flip.xlsx");
  auto s = reader->open_sheet("名簿");
  REQUIRE(s);
  XlsxRow row;
  Result<bool> more = true;
  while (more && *more) more = (*s)->next(&row);
  REQUIRE_FALSE(more);
  CHECK(more.status().code() == Code::kParse);
  CHECK(more.status().message() ==
        "flip.xlsx: xl/worksheets/sheet1.xml: corrupt entry (CRC or size does not match)");
}

}  // namespace
}  // namespace jimu::xlsx
