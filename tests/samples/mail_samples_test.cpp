// The mail samples run against real servers: mail-report sends through aiosmtpd (and, in a dry
// run, writes .eml); mail-filing is polled from Dovecot and files attachments into folders.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "connectors/mail/mail_parse.h"
#include "tests/support/mail_servers.h"
#include "tests/support/temp_dir.h"

using jimu::testing::Dovecot;
using jimu::testing::read_all;
using jimu::testing::SmtpServer;
using jimu::testing::TempDir;

namespace {

struct Ran {
  int rc;
  std::string output;
};

Ran jimu_cmd(const TempDir& dir, const std::string& args, const std::string& input = "") {
  std::string out = dir.file("jimu.out");
  std::string cmd = std::string(JIMU_BINARY) + " " + args + " --home '" + dir.file("home") +
                    "' >'" + out + "' 2>&1";
  if (!input.empty()) cmd = "printf '%s' '" + input + "' | " + cmd;
  int rc = std::system(cmd.c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, read_all(out)};
}

const std::string kSamples = std::string(JIMU_SOURCE_DIR) + "/samples";

}  // namespace

TEST_CASE("samples: mail-report mails last night's exceptions as a CSV attachment",
          "[samples][mail]") {
  TempDir dir;
  SmtpServer smtp(dir.path(), dir.file("maildir"));
  dir.write("home/jimu.conf",
            "[mail.out]\nhost = 127.0.0.1\nport = " + std::to_string(smtp.port()) +
                "\nsecurity = none\nfrom = 税務課 <zeimu@example.lg.jp>\ntimeout = 5s\n");
  std::string wf = kSamples + "/mail-report/mail-report.lua";
  Ran r = jimu_cmd(dir, "run --dry-run '" + wf + "'");
  INFO(r.output);
  REQUIRE(r.rc == 0);
  CHECK(smtp.messages().empty());
  CHECK(std::filesystem::exists(dir.file("home/scratch/1/out/mail-001.eml")));

  r = jimu_cmd(dir, "run '" + wf + "'");
  INFO(r.output);
  REQUIRE(r.rc == 0);
  auto messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  jimu::mail::ParsedMail p = jimu::mail::parse_message(messages[0]);
  CHECK(p.subject == "【口座振替】結果報告 振替不能 2 件");
  CHECK(p.to == "税務課 収納係 <shuno@example.lg.jp>");
  CHECK(p.body.find("振替済: 2 件") != std::string::npos);
  REQUIRE(p.attachments.size() == 1);
  CHECK(p.attachments[0].name == "振替不能一覧.csv");
  CHECK(
      p.attachments[0].data ==
      "\xEF\xBB\xBF口座番号,氏名,税目,金額,結果\r\n0012346,髙橋 花子,固定資産税,45000,残高不足\r\n"
      "0012348,鈴木 一郎,国民健康保険税,23400,口座解約\r\n");
}

TEST_CASE("samples: mail-filing files incoming attachments by the subject's tag",
          "[samples][mail]") {
  TempDir dir;
  Dovecot dovecot(dir.file("dovecot"));
  auto mail = [](const std::string& subject_b64, const std::string& name_2231,
                 const std::string& data) {
    return "From: kumin@example.jp\r\nSubject: =?UTF-8?B?" + subject_b64 +
           "?=\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nよろしくお願いします\r\n--b\r\n"
           "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''" +
           name_2231 + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + data + "\r\n--b--\r\n";
  };
  // 【申請】転入届 with 届出書.pdf, twice (the second is filed as 届出書-1.pdf); 【報告】 with a
  // traversal name; a subject without 【 is not for this workflow.
  dovecot.deliver(
      mail("44CQ55Sz6KuL44CR6Lui5YWl5bGK", "%E5%B1%8A%E5%87%BA%E6%9B%B8.pdf", "JVBERi0x"));
  dovecot.deliver(
      mail("44CQ55Sz6KuL44CR6Lui5YWl5bGK", "%E5%B1%8A%E5%87%BA%E6%9B%B8.pdf", "JVBERi0y"));
  dovecot.deliver(mail("44CQ5aCx5ZGK44CR5pyI5aCx", "..%2F..%2Fetc%2Fpasswd", "ZXZpbA=="));
  dovecot.deliver(mail("44GK55+l44KJ44Gb", "a.pdf", "eA=="));
  dir.write("home/jimu.conf",
            "[files]\nwrite = " + dir.file("filed") +
                "\n[mail.inbox]\nhost = 127.0.0.1\nport = " + std::to_string(dovecot.imap_port()) +
                "\nsecurity = none\nuser = " + Dovecot::kUser + "\ntimeout = 5s\n");
  REQUIRE(jimu_cmd(dir, "secret set mail.inbox", Dovecot::kPassword).rc == 0);
  std::string wf = kSamples + "/mail-filing/mail-filing.lua";
  // The sample files relative to its own folder by default; point it at the test's folder.
  std::string copy = dir.write("wf/mail-filing.lua", read_all(wf));
  std::filesystem::create_symlink(dir.file("filed"), dir.file("wf/filed"));
  std::filesystem::create_directories(dir.file("filed"));
  Ran r = jimu_cmd(dir, "poll '" + copy + "'");
  INFO(r.output);
  REQUIRE(r.rc == 0);
  CHECK(read_all(dir.file("filed/申請/届出書.pdf")) == "%PDF-1");
  CHECK(read_all(dir.file("filed/申請/届出書-1.pdf")) == "%PDF-2");
  CHECK(read_all(dir.file("filed/報告/passwd")) == "evil");
  CHECK(dovecot.count() == 1);  // お知らせ is left
  CHECK(dovecot.count("&UeZ0Bm4I-") == 3);
  // Polling again files nothing twice.
  r = jimu_cmd(dir, "poll '" + copy + "'");
  CHECK(r.rc == 0);
  CHECK(!std::filesystem::exists(dir.file("filed/申請/届出書-2.pdf")));
}
