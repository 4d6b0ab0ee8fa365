// MIME composing and decoding without a server: encoded words, file names, charsets, safe names.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "connectors/mail/attachment_files.h"
#include "connectors/mail/charset.h"
#include "connectors/mail/mail_compose.h"
#include "connectors/mail/mail_parse.h"
#include "connectors/mail/mime_codec.h"
#include "tests/support/temp_dir.h"

using namespace jimu;
using namespace jimu::mail;

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  size_t p = 0;
  while (p < s.size()) {
    size_t e = s.find("\r\n", p);
    if (e == std::string::npos) e = s.size();
    out.push_back(s.substr(p, e - p));
    p = e + 2;
  }
  return out;
}

OutgoingMail sample_mail() {
  OutgoingMail m;
  m.from = {"総務課 ㈱テスト", "somu@example.lg.jp"};
  m.to = {{"山田 太郎", "yamada@example.lg.jp"}, {"", "kakari@example.lg.jp"}};
  m.cc = {{"髙橋 花子", "takahashi@example.lg.jp"}};
  m.bcc = {{"", "kansa@example.lg.jp"}};
  m.subject = "【至急】令和8年度 口座振替結果（①件目）～確認のお願い〜";
  m.body = "各位\nお疲れ様です。ｶﾅ も含みます。\n.\n以上\n";
  m.boundary_seed = "test";
  return m;
}

}  // namespace

TEST_CASE("mail: a long Japanese subject is folded into encoded words of at most 75 characters",
          "[mail]") {
  std::string subject =
      "令和8年度 第3四半期 "
      "口座振替結果の点検報告書（住民税・固定資産税・軽自動車税・国民健康保険税）";
  auto encoded = encode_header_text(subject, "utf-8", 9);
  REQUIRE(encoded);
  auto lines = lines_of("Subject: " + *encoded);
  REQUIRE(lines.size() > 1);
  for (const auto& line : lines) {
    CHECK(line.size() <= 78);
    size_t p = line.find("=?");
    REQUIRE(p != std::string::npos);
    CHECK(line.size() - p <= 75);
  }
  CHECK(decode_header(*encoded) == subject);
}

TEST_CASE("mail: adjacent encoded words are joined without the blank between them", "[mail]") {
  CHECK(decode_header("=?UTF-8?B?5pel5pys?= =?UTF-8?B?6Kqe?=") == "日本語");
  CHECK(decode_header("=?UTF-8?B?5pel5pys?=\r\n =?UTF-8?B?6Kqe?= and text") == "日本語 and text");
  CHECK(decode_header("Re: =?UTF-8?Q?=E5=A0=B1=E5=91=8A?= 2") == "Re: 報告 2");
}

TEST_CASE("mail: a character split across two encoded words is decoded whole", "[mail]") {
  // 日 is E6 97 A5: the first word ends after E6 97.
  std::string a = base64_encode("\xE6\x97", false), b = base64_encode("\xA5\xE6\x9C\xAC", false);
  CHECK(decode_header("=?utf-8?b?" + a + "?= =?utf-8?b?" + b + "?=") == "日本");
}

TEST_CASE("mail: ISO-2022-JP and Shift_JIS headers decode, NEC characters included", "[mail]") {
  CHECK(decode_header("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=") == "日本語");
  // ① is row 13 of JIS X 0208 in Microsoft's ISO-2022-JP (CP50221): ESC $ B 2D 21 ESC ( B.
  std::string circled = "\x1B$B-!\x1B(B";
  CHECK(decode_header("=?iso-2022-jp?B?" + base64_encode(circled, false) + "?=") == "①");
  std::string sjis = *from_utf8("㈱髙橋～", "cp932");
  CHECK(decode_header("=?Shift_JIS?B?" + base64_encode(sjis, false) + "?=") == "㈱髙橋～");
  // Raw ISO-2022-JP without encoded words, as old mailers sent it.
  CHECK(decode_header("\x1B$BF|K\\\x1B(B") == "日本");
}

TEST_CASE("mail: bad bytes for a charset are an encoding error naming it", "[mail]") {
  auto r = to_utf8("\x82", "shift_jis");
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == Code::kEncoding);
  CHECK(r.status().message() == "incomplete byte sequence for CP932 at byte 0");
  auto w = from_utf8("①", "iso-2022-jp");
  REQUIRE_FALSE(w);
  CHECK(w.status().message() == "text has characters that ISO-2022-JP cannot hold");
}

TEST_CASE("mail: RFC 2231 file names with continuations and charsets decode", "[mail]") {
  auto hp = parse_header_params(
      "attachment;\r\n filename*0*=UTF-8''%E5%A0%B1%E5%91%8A;\r\n filename*1*=%E6%9B%B8.csv");
  CHECK(hp.value == "attachment");
  CHECK(hp.params["filename"] == "報告書.csv");
  std::string sjis = *from_utf8("一覧.xlsx", "cp932");
  std::string pct;
  for (unsigned char c : sjis) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", c);
    pct += buf;
  }
  CHECK(parse_header_params("attachment; filename*=shift_jis'ja'" + pct).params["filename"] ==
        "一覧.xlsx");
  CHECK(parse_header_params(
            "application/pdf; name=\"=?UTF-8?B?5pel5pys?=\r\n =?UTF-8?B?6KqeLnBkZg==?=\"")
            .params["name"] == "日本語.pdf");
}

TEST_CASE("mail: a composed message decodes back to what was sent", "[mail]") {
  OutgoingMail m = sample_mail();
  m.html = "<p>各位</p>\n";
  m.attachments = {{"令和8年度_結果①.csv", "", "番号,氏名\r\n1,髙橋\r\n"},
                   {"report.bin", "", std::string("\0\x01\xFF", 3)}};
  auto c = compose(m);
  REQUIRE(c);
  CHECK(c->charset == "utf-8");
  for (const auto& line : lines_of(c->data)) CHECK(line.size() <= 78);
  CHECK(c->data.find("Bcc") == std::string::npos);
  CHECK(c->recipients == std::vector<std::string>{"yamada@example.lg.jp", "kakari@example.lg.jp",
                                                  "takahashi@example.lg.jp",
                                                  "kansa@example.lg.jp"});
  // Encoded display names are not quoted (Poco's mistake, DEPENDENCIES.md).
  std::string headers = c->data.substr(0, c->data.find("\r\n\r\n"));
  CHECK(headers.find("\"=?") == std::string::npos);
  CHECK(headers.find("To: =?UTF-8?B?") != std::string::npos);
  ParsedMail p = parse_message(c->data);
  CHECK(p.subject == m.subject);
  CHECK(p.from == "総務課 ㈱テスト <somu@example.lg.jp>");
  CHECK(p.to == "山田 太郎 <yamada@example.lg.jp>, kakari@example.lg.jp");
  CHECK(p.cc == "髙橋 花子 <takahashi@example.lg.jp>");
  CHECK(p.body == m.body);
  CHECK(p.html == m.html);
  REQUIRE(p.attachments.size() == 2);
  CHECK(p.attachments[0].name == "令和8年度_結果①.csv");
  CHECK(p.attachments[0].content_type == "text/csv");
  CHECK(p.attachments[0].data == m.attachments[0].data);
  CHECK(p.attachments[1].data == m.attachments[1].data);
}

TEST_CASE("mail: ISO-2022-JP is used on request when the text fits it", "[mail]") {
  OutgoingMail m = sample_mail();
  m.from.name = "総務課";
  m.subject = "口座振替結果〜確認";  // the wave dash U+301C is in JIS X 0208
  m.body = "お疲れ様です。\n以上\n";
  m.cc = {{"高橋 花子", "takahashi@example.lg.jp"}};
  m.charset = "iso-2022-jp";
  auto c = compose(m);
  REQUIRE(c);
  CHECK(c->charset == "iso-2022-jp");
  CHECK(c->data.find("charset=ISO-2022-JP") != std::string::npos);
  CHECK(is_ascii(c->data));
  ParsedMail p = parse_message(c->data);
  CHECK(p.subject == m.subject);
  CHECK(p.body == m.body);
  CHECK(p.cc == "高橋 花子 <takahashi@example.lg.jp>");
}

TEST_CASE("mail: ISO-2022-JP falls back to UTF-8 for ①, ㈱, ～ and 髙", "[mail]") {
  for (const char* text : {"①", "㈱", "～", "髙"}) {
    OutgoingMail m = sample_mail();
    m.from.name = "総務課";
    m.cc.clear();
    m.subject = std::string("件名") + text;
    m.body = "本文";
    m.charset = "iso-2022-jp";
    auto c = compose(m);
    REQUIRE(c);
    CHECK(c->charset == "utf-8");
    CHECK(parse_message(c->data).subject == m.subject);
  }
}

TEST_CASE("mail: quoted-printable Shift_JIS bodies in nested multiparts decode", "[mail]") {
  std::string sjis = *from_utf8("住民票の写し①", "cp932");
  std::string qp;
  for (unsigned char c : sjis) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "=%02X", c);
    qp += buf;
  }
  std::string raw =
      "Subject: x\r\nContent-Type: multipart/mixed; boundary=\"A\"\r\n\r\n--A\r\n"
      "Content-Type: multipart/alternative; boundary=B\r\n\r\n--B\r\n"
      "Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: "
      "quoted-printable\r\n\r\n" +
      qp +
      "=\r\n\r\n--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<b>x</b>\r\n--B--\r\n"
      "--A\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
      "filename=\"a.txt\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nYWJj\r\n--A--\r\n";
  ParsedMail p = parse_message(raw);
  CHECK(p.body == "住民票の写し①");
  CHECK(p.html == "<b>x</b>");
  REQUIRE(p.attachments.size() == 1);
  CHECK(p.attachments[0].name == "a.txt");
  CHECK(p.attachments[0].data == "abc");
}

TEST_CASE("mail: attachment names cannot leave the folder or overwrite a file", "[mail]") {
  CHECK(safe_attachment_name("../../etc/passwd") == "passwd");
  CHECK(safe_attachment_name("..\\..\\Windows\\win.ini") == "win.ini");
  CHECK(safe_attachment_name("..") == "attachment");
  CHECK(safe_attachment_name("") == "attachment");
  CHECK(safe_attachment_name(".bashrc") == "bashrc");
  CHECK(safe_attachment_name("a:b*?.csv") == "a_b__.csv");
  CHECK(safe_attachment_name("報告書①.xlsx") == "報告書①.xlsx");
  jimu::testing::TempDir dir;
  std::string folder = dir.file("att");
  auto a = save_attachment(folder, "../../etc/passwd", "1");
  auto b = save_attachment(folder, "passwd", "2");
  auto c = save_attachment(folder, "/passwd", "3");
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK(*a == folder + "/passwd");
  CHECK(*b == folder + "/passwd-1");
  CHECK(*c == folder + "/passwd-2");
  CHECK(jimu::testing::read_all(*a) == "1");
  auto d = save_attachment(folder, "表.csv", "x");
  auto e = save_attachment(folder, "表.csv", "y");
  CHECK(*e == folder + "/表-1.csv");
}

TEST_CASE("mail: an address needs a local part and a domain", "[mail]") {
  auto a = parse_address("\"山田 太郎\" <yamada@example.lg.jp>");
  REQUIRE(a);
  CHECK(a->name == "山田 太郎");
  CHECK(a->addr == "yamada@example.lg.jp");
  auto bad = parse_address("yamada");
  REQUIRE_FALSE(bad);
  CHECK(bad.status().code() == Code::kInvalid);
  CHECK(bad.status().message() == "'yamada' is not a mail address (expected name@domain)");
}
