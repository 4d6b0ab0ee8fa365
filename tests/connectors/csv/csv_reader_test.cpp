#include "connectors/csv/csv_reader.h"

#include <catch2/catch.hpp>

#include "tests/connectors/csv/csv_test_util.h"
#include "tests/support/temp_dir.h"

using jimu::Code;
using jimu::csv::Encoding;
using jimu::csv::ReadOptions;
using jimu::testing::read_csv;
using jimu::testing::Rows;
using jimu::testing::TempDir;

namespace {

// CP932 bytes written out by hand (not by the code under test):
// ① 87 40, ㈱ 87 8A, 髙 FB FC, ～ 81 60, ｱｲｳ B1 B2 B3, 表 95 5C, ソ 83 5C, 能 94 5C, － 81 7C.
const std::string kMaru1 = "\x87\x40";
const std::string kKabu = "\x87\x8A";
const std::string kTaka = "\xFB\xFC";
const std::string kTilde = "\x81\x60";
const std::string kAiu = "\xB1\xB2\xB3";
const std::string kHyo = "\x95\x5C";
const std::string kSo = "\x83\x5C";
const std::string kNou = "\x94\x5C";
const std::string kMinus = "\x81\x7C";

ReadOptions with_chunk(size_t chunk, Encoding e = Encoding::kAuto) {
  ReadOptions o;
  o.chunk_size = chunk;
  o.encoding = e;
  return o;
}

}  // namespace

TEST_CASE("csv: a quoted field may contain a delimiter, a doubled quote and a newline", "[csv]") {
  TempDir dir;
  auto path = dir.write("a.csv",
                        "id,note\r\n"
                        "1,\"a,b\"\r\n"
                        "2,\"say \"\"hi\"\"\"\r\n"
                        "3,\"line1\r\nline2\nline3\"\r\n"
                        "4,\"\"\r\n");
  auto r = read_csv(path);
  REQUIRE(r.status.is_ok());
  CHECK(r.rows == Rows{{"id", "note"},
                       {"1", "a,b"},
                       {"2", "say \"hi\""},
                       {"3", "line1\r\nline2\nline3"},
                       {"4", ""}});
  CHECK(r.lines == std::vector<uint64_t>{1, 2, 3, 4, 7});
}

TEST_CASE("csv: CRLF and LF line endings give the same rows, with or without a final newline",
          "[csv]") {
  TempDir dir;
  Rows want{{"a", "b", "c"}, {"1", "", "3"}, {"", "", ""}};
  CHECK(read_csv(dir.write("crlf.csv", "a,b,c\r\n1,,3\r\n,,\r\n")).rows == want);
  CHECK(read_csv(dir.write("lf.csv", "a,b,c\n1,,3\n,,\n")).rows == want);
  CHECK(read_csv(dir.write("nofinal.csv", "a,b,c\n1,,3\n,,")).rows == want);
  // A lone CR is data, not a line break.
  CHECK(read_csv(dir.write("cr.csv", "a\rb,c\n")).rows == Rows{{"a\rb", "c"}});
}

TEST_CASE("csv: empty lines are skipped unless skip_empty_lines is off", "[csv]") {
  TempDir dir;
  auto path = dir.write("a.csv", "a\n\nb\r\n\r\n\"\"\n");
  auto r = read_csv(path);
  CHECK(r.rows == Rows{{"a"}, {"b"}, {""}});  // a quoted empty field is a row
  CHECK(r.lines == std::vector<uint64_t>{1, 3, 5});
  ReadOptions keep;
  keep.skip_empty_lines = false;
  CHECK(read_csv(path, keep).rows == Rows{{"a"}, {""}, {"b"}, {""}, {""}});
}

TEST_CASE("csv: a tab delimiter reads TSV and leaves commas alone", "[csv]") {
  TempDir dir;
  ReadOptions o;
  o.delimiter = '\t';
  auto r = read_csv(dir.write("a.tsv", "a,1\t\"b\tc\"\tx\n"), o);
  REQUIRE(r.status.is_ok());
  CHECK(r.rows == Rows{{"a,1", "b\tc", "x"}});
}

TEST_CASE("csv: CP932 files read as UTF-8 with NEC and IBM characters and half-width kana",
          "[csv]") {
  TempDir dir;
  auto path =
      dir.write("sjis.csv", "name,kana,note\r\n" + kKabu + kTaka + "," + kAiu + "," + kMaru1 +
                                kTilde + "\r\n" + kHyo + "," + kSo + "," + kNou + "\r\n");
  for (Encoding e : {Encoding::kCp932, Encoding::kAuto}) {
    auto r = read_csv(path, with_chunk(1 << 20, e));
    REQUIRE(r.status.is_ok());
    CHECK(r.encoding == Encoding::kCp932);
    // 0x8160 reads as U+FF5E FULLWIDTH TILDE (as Windows reads it), not U+301C WAVE DASH.
    CHECK(r.rows == Rows{{"name", "kana", "note"}, {"㈱髙", "ｱｲｳ", "①～"}, {"表", "ソ", "能"}});
  }
}

TEST_CASE("csv: CP932 trail bytes equal to the delimiter or a backslash never split a field",
          "[csv]") {
  TempDir dir;
  ReadOptions o;
  o.delimiter = '|';
  o.encoding = Encoding::kCp932;
  // － is 0x81 0x7C: its trail byte is '|'. 表 ends in 0x5C ('\').
  auto r = read_csv(dir.write("pipe.csv", kMinus + "1|" + kHyo + "\"|x\n"), o);
  // The quote after 表 is a stray quote only if 表 was decoded correctly first.
  CHECK(r.status.message() ==
        "in/a.csv:1:5: stray quote in an unquoted field (a field with "
        "quotes must be quoted as a whole, with its quotes doubled)");
  auto ok = read_csv(dir.write("pipe2.csv", kMinus + "1|" + kHyo + "|x\n"), o);
  REQUIRE(ok.status.is_ok());
  CHECK(ok.rows == Rows{{"－1", "表", "x"}});
}

TEST_CASE("csv: rows are the same for every chunk size, however sequences are cut", "[csv]") {
  TempDir dir;
  std::string cp932 = "id,name,note\r\n1," + kKabu + kTaka + ",\"" + kMaru1 + ",\r\n" + kHyo +
                      "\"\"\"\r\n2," + kAiu + "," + kTilde + "\n";
  std::string utf8 = "id,name,note\r\n1,㈱髙,\"①,\r\n表\"\"\"\r\n2,ｱｲｳ,～\n";
  Rows want{{"id", "name", "note"}, {"1", "㈱髙", "①,\r\n表\""}, {"2", "ｱｲｳ", "～"}};
  auto p932 = dir.write("932.csv", cp932);
  auto p8 = dir.write("8.csv", utf8);
  auto pbom = dir.write("bom.csv", "\xEF\xBB\xBF" + utf8);
  for (size_t chunk = 1; chunk <= 40; ++chunk) {
    INFO("chunk size " << chunk);
    auto a = read_csv(p932, with_chunk(chunk));
    REQUIRE(a.status.is_ok());
    CHECK(a.rows == want);
    CHECK(a.encoding == Encoding::kCp932);
    auto b = read_csv(p8, with_chunk(chunk));
    REQUIRE(b.status.is_ok());
    CHECK(b.rows == want);
    CHECK(b.encoding == Encoding::kUtf8);
    auto c = read_csv(pbom, with_chunk(chunk, Encoding::kUtf8));
    REQUIRE(c.status.is_ok());
    CHECK(c.rows == want);
    CHECK(read_csv(p932, with_chunk(chunk, Encoding::kCp932)).rows == want);
    CHECK(read_csv(p8, with_chunk(chunk, Encoding::kUtf8)).rows == want);
  }
}

TEST_CASE("csv: a UTF-8 byte order mark is skipped and decides auto detection", "[csv]") {
  TempDir dir;
  auto path = dir.write("bom.csv", "\xEF\xBB\xBF\"a\",b\n髙,①\n");
  for (Encoding e : {Encoding::kAuto, Encoding::kUtf8}) {
    auto r = read_csv(path, with_chunk(1 << 20, e));
    REQUIRE(r.status.is_ok());
    CHECK(r.rows == Rows{{"a", "b"}, {"髙", "①"}});
    CHECK(r.encoding == Encoding::kUtf8);
  }
  auto r = read_csv(path, with_chunk(1 << 20, Encoding::kCp932));
  CHECK(r.status.code() == Code::kEncoding);
  CHECK(r.status.message() ==
        "in/a.csv:1:1: the file starts with a UTF-8 byte order mark, but "
        "the encoding was given as cp932");
}

TEST_CASE("csv: auto detection waits for the first non-ASCII bytes, however late", "[csv]") {
  TempDir dir;
  std::string ascii;
  for (int i = 0; i < 200; ++i) ascii += std::to_string(i) + ",abc\r\n";
  auto p = dir.write("late.csv", ascii + "x," + kTaka + kAiu + "\r\n");
  auto r = read_csv(p, with_chunk(64));
  REQUIRE(r.status.is_ok());
  CHECK(r.encoding == Encoding::kCp932);
  CHECK(r.rows.back() == std::vector<std::string>{"x", "髙ｱｲｳ"});
  auto q = read_csv(dir.write("late8.csv", ascii + "x,髙ｱｲｳ\r\n"), with_chunk(64));
  REQUIRE(q.status.is_ok());
  CHECK(q.encoding == Encoding::kUtf8);
  CHECK(q.rows.back() == std::vector<std::string>{"x", "髙ｱｲｳ"});
  auto plain = read_csv(dir.write("ascii.csv", ascii));
  REQUIRE(plain.status.is_ok());
  CHECK(plain.rows.size() == 200);
  CHECK(plain.encoding == Encoding::kAuto);
}

TEST_CASE("csv: an unterminated quoted field is reported where its quote opened", "[csv]") {
  TempDir dir;
  auto path = dir.write("a.csv", "a,b\n髙橋,①,\"open\nmore\nlines");
  for (size_t chunk : {1, 3, 7, 1 << 20}) {
    INFO("chunk size " << chunk);
    auto r = read_csv(path, with_chunk(chunk));
    CHECK(r.rows == Rows{{"a", "b"}});
    CHECK(r.status.code() == Code::kParse);
    CHECK(r.status.message() == "in/a.csv:2:6: unterminated quoted field");
  }
}

TEST_CASE("csv: a file truncated inside quotes is an unterminated quoted field", "[csv]") {
  TempDir dir;
  std::string full = "id,note\r\n1,ok\r\n2,\"" + kKabu + "," + kMaru1 + "\"\r\n";
  auto cut = dir.write("cut.csv", full.substr(0, full.size() - 3));  // ends after ①
  auto r = read_csv(cut, with_chunk(5));
  CHECK(r.rows == Rows{{"id", "note"}, {"1", "ok"}});
  CHECK(r.status.code() == Code::kParse);
  CHECK(r.status.message() == "in/a.csv:3:3: unterminated quoted field");
  // Cut in the middle of ① (after its lead byte) it is the encoding that fails first.
  auto mid = dir.write("mid.csv", full.substr(0, full.size() - 4));
  auto m = read_csv(mid, with_chunk(5, Encoding::kCp932));
  CHECK(m.status.code() == Code::kEncoding);
  CHECK(m.status.message() == "in/a.csv:3:6: invalid CP932 bytes 0x87");
}

TEST_CASE("csv: a stray quote in an unquoted field is a parse error at the quote", "[csv]") {
  TempDir dir;
  auto r = read_csv(dir.write("a.csv", "a,b\n１２,ab\"c\n"), with_chunk(2));
  CHECK(r.rows == Rows{{"a", "b"}});
  CHECK(r.status.code() == Code::kParse);
  CHECK(r.status.message() ==
        "in/a.csv:2:6: stray quote in an unquoted field (a field with "
        "quotes must be quoted as a whole, with its quotes doubled)");
  auto t = read_csv(dir.write("b.csv", "\"ab\"c,d\n"));
  CHECK(t.status.code() == Code::kParse);
  CHECK(t.status.message() == "in/a.csv:1:5: unexpected text after the closing quote of a field");
}

TEST_CASE("csv: invalid bytes for the encoding are reported at their line and column", "[csv]") {
  TempDir dir;
  // 0x81 0x20: a lead byte followed by a space is not CP932; 0xA0 and 0xFD never are.
  auto p = dir.write("bad.csv", "a,b\r\n" + kTaka + "," + kAiu + "x\x81\x20y\r\n");
  for (size_t chunk : {1, 4, 1 << 20}) {
    INFO("chunk size " << chunk);
    auto r = read_csv(p, with_chunk(chunk, Encoding::kCp932));
    CHECK(r.rows == Rows{{"a", "b"}});
    CHECK(r.status.code() == Code::kEncoding);
    CHECK(r.status.message() == "in/a.csv:2:7: invalid CP932 bytes 0x81 0x20");
  }
  auto single = read_csv(dir.write("fd.csv", "a,\xFD\n"), with_chunk(1 << 20, Encoding::kCp932));
  CHECK(single.status.message() == "in/a.csv:1:3: invalid CP932 bytes 0xFD");
}

TEST_CASE("csv: a CP932 file declared as UTF-8 fails with an encoding error", "[csv]") {
  TempDir dir;
  auto p = dir.write("sjis.csv", "id,name\r\n1," + kTaka + "\r\n");
  auto r = read_csv(p, with_chunk(1 << 20, Encoding::kUtf8));
  CHECK(r.rows == Rows{{"id", "name"}});
  CHECK(r.status.code() == Code::kEncoding);
  CHECK(r.status.message() == "in/a.csv:2:3: invalid UTF-8 bytes 0xFB");
}

TEST_CASE("csv: auto detection reports bytes that are neither UTF-8 nor CP932", "[csv]") {
  TempDir dir;
  auto r = read_csv(dir.write("x.csv", "a,b\n1,\xFF\xFE\n"));
  CHECK(r.rows == Rows{{"a", "b"}});
  CHECK(r.status.code() == Code::kEncoding);
  CHECK(r.status.message() ==
        "in/a.csv:2:3: invalid bytes 0xFF (the file is neither UTF-8 nor "
        "CP932)");
  // Detected as UTF-8 from the first line, CP932 bytes later are an error that says so.
  // (Past the 64 KB detection window, so detection could not see them.)
  std::string filler;
  for (int i = 0; i < 7000; ++i) filler += "0123456789\n";
  auto later = read_csv(dir.write("y.csv", "①\n" + filler + kTaka + "\n"), with_chunk(1024));
  CHECK(later.rows.size() == 7001);
  CHECK(later.status.message() ==
        "in/a.csv:7002:1: invalid UTF-8 bytes 0xFB (the encoding was "
        "detected as UTF-8 from earlier bytes)");
}

TEST_CASE("csv: strict rejects a ragged row naming its line and counts", "[csv]") {
  TempDir dir;
  std::string text = "h1,h2,h3\n1,2,3\n\"x\ny\",2,3\n4,5,6,7,8\n";
  auto path = dir.write("a.csv", text);
  ReadOptions o;
  o.strict = true;
  auto r = read_csv(path, o);
  CHECK(r.rows.size() == 3);
  CHECK(r.status.code() == Code::kParse);
  CHECK(r.status.message() == "in/a.csv:5:1: row has 5 fields, expected 3");
  o.expected_fields = 5;
  auto e = read_csv(path, o);
  CHECK(e.status.message() == "in/a.csv:1:1: row has 3 fields, expected 5");
  CHECK(read_csv(path).status.is_ok());  // not strict: ragged rows are fine
}

TEST_CASE("csv: a missing file is not_found and a folder is io", "[csv]") {
  TempDir dir;
  auto r = read_csv(dir.file("nope.csv"), {}, "in/nope.csv");
  CHECK(r.status.code() == Code::kNotFound);
  CHECK(r.status.message() == "in/nope.csv: no such file");
  auto d = read_csv(dir.path(), {}, "in");
  CHECK(d.status.code() == Code::kIo);
  CHECK(d.status.message() == "in: is a folder, not a file");
}

TEST_CASE("csv: an empty file has no rows", "[csv]") {
  TempDir dir;
  auto r = read_csv(dir.write("e.csv", ""));
  CHECK(r.status.is_ok());
  CHECK(r.rows.empty());
}
