#include "connectors/csv/csv_writer.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/connectors/csv/csv_test_util.h"
#include "tests/support/temp_dir.h"

using jimu::Code;
using jimu::Status;
using jimu::csv::CsvWriter;
using jimu::csv::Encoding;
using jimu::csv::WriteOptions;
using jimu::testing::read_all;
using jimu::testing::read_csv;
using jimu::testing::Rows;
using jimu::testing::TempDir;

namespace {

Status write_rows(const std::string& path, const Rows& rows, const WriteOptions& o,
                  const std::string& display = "out/a.csv") {
  auto w = CsvWriter::create(path, display, o);
  if (!w) return w.status();
  for (const auto& row : rows) {
    for (const auto& f : row) (*w)->add_field(f);
    Status st = (*w)->end_row();
    if (!st) return st;
  }
  return (*w)->commit();
}

WriteOptions cp932() {
  WriteOptions o;
  o.encoding = Encoding::kCp932;
  return o;
}

size_t files_in(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

}  // namespace

TEST_CASE("csv: the writer quotes only fields that need it and doubles quotes", "[csv]") {
  TempDir dir;
  WriteOptions o;
  o.bom = false;
  REQUIRE(write_rows(dir.file("a.csv"), {{"a", "b c", "x,y"}, {"say \"hi\"", "l1\nl2", ""}}, o));
  CHECK(read_all(dir.file("a.csv")) == "a,b c,\"x,y\"\r\n\"say \"\"hi\"\"\",\"l1\nl2\",\r\n");
}

TEST_CASE("csv: UTF-8 output starts with a byte order mark unless asked not to", "[csv]") {
  TempDir dir;
  REQUIRE(write_rows(dir.file("bom.csv"), {{"髙", "①"}}, WriteOptions{}));
  CHECK(read_all(dir.file("bom.csv")) == "\xEF\xBB\xBF髙,①\r\n");
  WriteOptions o;
  o.bom = false;
  o.crlf = false;
  o.delimiter = '\t';
  REQUIRE(write_rows(dir.file("plain.tsv"), {{"a", "b\tc"}, {"d", "e"}}, o));
  CHECK(read_all(dir.file("plain.tsv")) == "a\t\"b\tc\"\nd\te\n");
}

TEST_CASE("csv: CP932 output is what Windows writes, wave dash and full-width tilde alike",
          "[csv]") {
  TempDir dir;
  // 〜 U+301C and ～ U+FF5E both become 0x8160; 髙 is the IBM extension 0xFBFC.
  REQUIRE(write_rows(dir.file("a.csv"), {{"①㈱髙", "〜～", "ｱｲｳ", "表"}}, cp932()));
  CHECK(read_all(dir.file("a.csv")) ==
        "\x87\x40\x87\x8A\xFB\xFC,\x81\x60\x81\x60,\xB1\xB2\xB3,\x95\x5C\r\n");
}

TEST_CASE("csv: a character CP932 cannot hold is an error naming its row and column", "[csv]") {
  TempDir dir;
  auto st = write_rows(dir.file("a.csv"), {{"id", "name"}, {"1", "吉"}, {"2", "𠮷田"}}, cp932());
  CHECK(st.code() == Code::kEncoding);
  CHECK(st.message() == "out/a.csv:3:2: character U+20BB7 '𠮷' cannot be written in CP932");
  CHECK_FALSE(std::filesystem::exists(dir.file("a.csv")));
  CHECK(files_in(dir.path()) == 0);  // no temporary file left either
}

TEST_CASE("csv: the replacement option stands in for characters CP932 cannot hold", "[csv]") {
  TempDir dir;
  WriteOptions o = cp932();
  o.replacement = "〓";
  REQUIRE(write_rows(dir.file("a.csv"), {{"𠮷田", "☃,☃"}}, o));
  CHECK(read_all(dir.file("a.csv")) == "\x81\xAC\x93\x63,\"\x81\xAC,\x81\xAC\"\r\n");
  o.replacement = "☃";
  auto bad = CsvWriter::create(dir.file("b.csv"), "out/b.csv", o);
  CHECK(bad.status().code() == Code::kInvalid);
  CHECK(bad.status().message() == "out/b.csv: the replacement '☃' cannot be written in CP932");
}

TEST_CASE("csv: invalid UTF-8 given to the writer is an encoding error", "[csv]") {
  TempDir dir;
  WriteOptions o;
  auto st = write_rows(dir.file("a.csv"), {{"ok", "x\xFFy"}}, o);
  CHECK(st.code() == Code::kEncoding);
  CHECK(st.message() == "out/a.csv:1:2: invalid UTF-8 bytes 0xFF in the text to write");
  st = write_rows(dir.file("a.csv"), {{"ok", "x\xFFy"}}, cp932());
  CHECK(st.message() == "out/a.csv:1:2: invalid UTF-8 bytes 0xFF in the text to write");
}

TEST_CASE("csv: a failed or abandoned write leaves an existing file untouched", "[csv]") {
  TempDir dir;
  auto target = dir.write("a.csv", "old contents\r\n");
  {
    auto w = CsvWriter::create(target, "out/a.csv", WriteOptions{});
    REQUIRE(w);
    (*w)->add_field("new");
    REQUIRE((*w)->end_row());
    CHECK(files_in(dir.path()) == 2);  // the target and the temporary file beside it
  }                                    // destroyed without commit
  CHECK(read_all(target) == "old contents\r\n");
  CHECK(files_in(dir.path()) == 1);
  auto st = write_rows(target, {{"1"}, {"☃"}}, cp932());
  CHECK(st.code() == Code::kEncoding);
  CHECK(read_all(target) == "old contents\r\n");
  CHECK(files_in(dir.path()) == 1);
  REQUIRE(write_rows(target, {{"new"}}, cp932()));
  CHECK(read_all(target) == "new\r\n");
}

TEST_CASE("csv: a writer that failed a row refuses to commit", "[csv]") {
  TempDir dir;
  auto w = CsvWriter::create(dir.file("a.csv"), "out/a.csv", cp932());
  REQUIRE(w);
  (*w)->add_field("☃");
  CHECK_FALSE((*w)->end_row());
  (*w)->add_field("fine");
  CHECK((*w)->end_row().message() ==
        "out/a.csv:1:1: character U+2603 '☃' cannot be written in CP932");
  CHECK((*w)->commit().code() == Code::kEncoding);
  CHECK_FALSE(std::filesystem::exists(dir.file("a.csv")));
}

TEST_CASE("csv: a missing folder is created for the output", "[csv]") {
  TempDir dir;
  REQUIRE(write_rows(dir.file("sub/dir/a.csv"), {{"x"}}, cp932()));
  CHECK(read_all(dir.file("sub/dir/a.csv")) == "x\r\n");
}

TEST_CASE("csv: numbers are written without exponent noise", "[csv]") {
  auto fmt = [](double d) {
    std::string s;
    jimu::csv::append_number(s, d);
    return s;
  };
  CHECK(fmt(3.0) == "3");
  CHECK(fmt(-12.0) == "-12");
  CHECK(fmt(0.1) == "0.1");
  CHECK(fmt(1234.5) == "1234.5");
  CHECK(fmt(-0.000001) == "-0.000001");
  CHECK(fmt(1e20) == "100000000000000000000");
  CHECK(fmt(1.5e-7) == "0.00000015");
  CHECK(fmt(0.1 + 0.2) == "0.30000000000000004");
  CHECK(fmt(123456789012.25) == "123456789012.25");
}

TEST_CASE("csv: what the writer writes reads back the same in CP932 and UTF-8", "[csv]") {
  TempDir dir;
  Rows rows{{"番号", "氏名", "備考"},
            {"1", "髙橋　①", "\"引用\", 改行\r\nあり"},
            {"2", "ｶﾅ ～", ""},
            {"3", "表示,ソ", "\\末尾"}};
  REQUIRE(write_rows(dir.file("932.csv"), rows, cp932()));
  REQUIRE(write_rows(dir.file("8.csv"), rows, WriteOptions{}));
  for (const char* name : {"932.csv", "8.csv"}) {
    INFO(name);
    auto r = read_csv(dir.file(name));
    REQUIRE(r.status.is_ok());
    CHECK(r.rows == rows);
  }
  CHECK(read_csv(dir.file("932.csv")).encoding == Encoding::kCp932);
  CHECK(read_csv(dir.file("8.csv")).encoding == Encoding::kUtf8);
}
