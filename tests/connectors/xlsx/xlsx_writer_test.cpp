// The writer core without Lua: all-or-nothing files, sheet-name rules, row order in constant
// memory. The cell-by-cell read-back with openpyxl is in xlsx_lua_test.cpp.
#include "connectors/xlsx/xlsx_writer.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "connectors/xlsx/xlsx_reader.h"
#include "tests/support/temp_dir.h"

namespace jimu::xlsx {
namespace {

using jimu::testing::TempDir;
namespace fs = std::filesystem;

std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<XlsxWriter> make(const std::string& path, bool constant_memory = true) {
  XlsxWriterOptions o;
  o.constant_memory = constant_memory;
  auto w = XlsxWriter::create(path, "out/r.xlsx", o);
  INFO(w.status().message());
  REQUIRE(w);
  return std::move(w).value();
}

TEST_CASE("xlsx writer: the file appears only when close succeeds", "[xlsx]") {
  TempDir dir;
  auto w = make(dir.file("r.xlsx"));
  int s = *w->add_sheet("集計");
  REQUIRE(w->write_string(s, 0, 0, "①㈱髙", 9, -1));
  CHECK_FALSE(fs::exists(dir.file("r.xlsx")));
  REQUIRE(w->close());
  CHECK(listing(dir.path()) == std::vector<std::string>{"r.xlsx"});
  auto reader = XlsxReader::open(dir.file("r.xlsx"), "r.xlsx");
  REQUIRE(reader);
  CHECK((*reader)->sheet_names() == std::vector<std::string>{"集計"});
}

TEST_CASE("xlsx writer: the workbook is readable by colleagues and not private to jimu", "[xlsx]") {
  // Regression: the file kept mkstemp's 0600 through the rename.
  TempDir dir;
  auto w = make(dir.file("r.xlsx"));
  REQUIRE(w->add_sheet("集計"));
  REQUIRE(w->close());
  CHECK((fs::status(dir.file("r.xlsx")).permissions() & fs::perms::others_read) == fs::perms::others_read);
  CHECK((fs::status(dir.file("r.xlsx")).permissions() & fs::perms::group_read) == fs::perms::group_read);
}

TEST_CASE("xlsx writer: an abandoned book leaves no file and keeps the old good one", "[xlsx]") {
  TempDir dir;
  dir.write("r.xlsx", "previous good report");
  {
    auto w = make(dir.file("r.xlsx"));
    int s = *w->add_sheet("Sheet1");
    REQUIRE(w->write_number(s, 0, 0, 1, -1));
  }
  CHECK(listing(dir.path()) == std::vector<std::string>{"r.xlsx"});
  CHECK(jimu::testing::read_all(dir.file("r.xlsx")) == "previous good report");
}

TEST_CASE("xlsx writer: a failed close leaves nothing behind and says why", "[xlsx]") {
  TempDir dir;
  auto w = make(dir.file("r.xlsx"));
  REQUIRE(w->write_number(*w->add_sheet("S"), 0, 0, 1, -1));
  fs::create_directory(dir.file("r.xlsx"));  // the target became a folder meanwhile
  fs::create_directory(dir.file("r.xlsx/x"));
  Status s = w->close();
  CHECK(s.code() == Code::kIo);
  CHECK(s.message() == "out/r.xlsx: cannot replace the file: Is a directory");
  CHECK(listing(dir.path()) == std::vector<std::string>{"r.xlsx"});
  CHECK(w->closed());
}

TEST_CASE("xlsx writer: a folder that does not exist fails at create with io", "[xlsx]") {
  TempDir dir;
  auto w = XlsxWriter::create(dir.file("no/such/r.xlsx"), "no/such/r.xlsx", {});
  REQUIRE_FALSE(w);
  CHECK(w.status().code() == Code::kIo);
  CHECK(w.status().message() == "no/such/r.xlsx: cannot create: No such file or directory");
}

TEST_CASE("xlsx writer: invalid sheet names name the rule they break", "[xlsx]") {
  TempDir dir;
  auto w = make(dir.file("r.xlsx"));
  REQUIRE(w->add_sheet("令和8年度 住民税 課税一覧 (確定版) 第2"));  // 24 characters, 70 bytes
  auto check = [&](const std::string& name, const std::string& message) {
    auto r = w->add_sheet(name);
    REQUIRE_FALSE(r);
    CHECK(r.status().code() == Code::kInvalid);
    CHECK(r.status().message() == message);
  };
  check("12345678901234567890123456789012",
        "sheet name '12345678901234567890123456789012' is longer than 31 characters");
  check("A/B",
        "sheet name 'A/B' contains a character Excel forbids in sheet names: [ ] : * ? / \\");
  check("集計[1]",
        "sheet name '集計[1]' contains a character Excel forbids in sheet names: [ ] : * ? / \\");
  check("'x'", "sheet name ''x'' must not start or end with an apostrophe");
  check("令和8年度 住民税 課税一覧 (確定版) 第2",
        "sheet name '令和8年度 住民税 課税一覧 (確定版) 第2' is already used in this workbook");
  check("", "a sheet name must not be empty");
}

TEST_CASE("xlsx writer: constant memory refuses a row before the last one written", "[xlsx]") {
  TempDir dir;
  auto w = make(dir.file("r.xlsx"));
  int s = *w->add_sheet("データ");
  REQUIRE(w->write_number(s, 4, 2, 1, -1));
  REQUIRE(w->write_number(s, 4, 0, 1, -1));  // the same row, any column order
  Status bad = w->write_number(s, 2, 0, 1, -1);
  CHECK(bad.code() == Code::kInvalid);
  CHECK(bad.message() ==
        "out/r.xlsx: sheet 'データ': wrote row 3 after row 5: rows must be written in ascending "
        "order in constant-memory mode; pass { constant_memory = false } to jimu.xlsx.create for "
        "random access");
  int other = *w->add_sheet("別");
  CHECK(w->write_number(other, 0, 0, 1, -1));  // each sheet has its own order
  REQUIRE(w->close());
}

TEST_CASE("xlsx writer: constant memory stages rows in the given tmpdir", "[xlsx]") {
  TempDir dir;
  fs::create_directory(dir.file("staging"));
  XlsxWriterOptions o;
  o.tmpdir = dir.file("staging");
  auto w = XlsxWriter::create(dir.file("r.xlsx"), "r.xlsx", o);
  REQUIRE(w);
  int s = *(*w)->add_sheet("S");
  REQUIRE((*w)->write_number(s, 0, 0, 1, -1));
  // libxlsxwriter unlinks its staging file once open: find it among this process's descriptors.
  int staged = 0;
  for (const auto& fd : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    std::string target = fs::read_symlink(fd.path(), ec).string();
    if (target.rfind(dir.file("staging/"), 0) == 0) ++staged;
  }
  CHECK(staged == 1);
  REQUIRE((*w)->close());
}

TEST_CASE("xlsx writer: without constant memory rows go in any order", "[xlsx]") {
  TempDir dir;
  auto w = make(dir.file("r.xlsx"), false);
  int s = *w->add_sheet("S");
  REQUIRE(w->write_number(s, 4, 0, 5, -1));
  REQUIRE(w->write_number(s, 0, 0, 1, -1));
  REQUIRE(w->close());
  auto reader = XlsxReader::open(dir.file("r.xlsx"), "r.xlsx");
  REQUIRE(reader);
  auto st = (*reader)->open_sheet("S");
  REQUIRE(st);
  XlsxRow row;
  REQUIRE(*(*st)->next(&row));
  CHECK((row.index == 1 && row.cells[0].number == 1));
  REQUIRE(*(*st)->next(&row));
  CHECK((row.index == 5 && row.cells[0].number == 5));
}

TEST_CASE("xlsx writer: cells beyond Excel's limits are refused", "[xlsx]") {
  TempDir dir;
  auto w = make(dir.file("r.xlsx"));
  int s = *w->add_sheet("S");
  Status bad = w->write_number(s, 1048576, 0, 1, -1);
  CHECK(bad.message() ==
        "out/r.xlsx: sheet 'S': cell (1048577, 1) is beyond the sheet's limits (1048576 rows, "
        "16384 columns)");
  std::string huge(32768, 'a');
  Status long_text = w->write_string(s, 0, 0, huge.c_str(), huge.size(), -1);
  CHECK(long_text.message() ==
        "out/r.xlsx: sheet 'S'!A1: text longer than Excel's 32767 characters");
}

}  // namespace
}  // namespace jimu::xlsx
