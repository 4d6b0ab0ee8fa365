// jimu.mail end to end: the jimu binary runs workflows that send and fetch through real servers,
// with accounts from jimu.conf and passwords from the secrets file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "connectors/mail/mail_parse.h"
#include "tests/support/mail_servers.h"
#include "tests/support/temp_dir.h"

using namespace jimu;
using jimu::testing::Dovecot;
using jimu::testing::read_all;
using jimu::testing::SmtpServer;
using jimu::testing::TempDir;

namespace {

struct Ran {
  int rc;
  std::string output;  // stdout and stderr
};

Ran jimu_cmd(const TempDir& dir, const std::string& args, const std::string& input = "") {
  std::string out = dir.file("jimu.out");
  std::string cmd = std::string(JIMU_BINARY) + " " + args + " --home '" + dir.file("home") +
                    "' >'" + out + "' 2>&1";
  if (!input.empty()) cmd = "printf '%s' '" + input + "' | " + cmd;
  int rc = std::system(cmd.c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, read_all(out)};
}

std::string newest_out_dir(const TempDir& dir, const char* kind) {
  std::string best;
  long id = -1;
  for (auto& e : std::filesystem::directory_iterator(dir.file("home/") + kind)) {
    long n = std::stol(e.path().filename().string());
    if (n > id) {
      id = n;
      best = e.path().string() + "/out";
    }
  }
  return best;
}

void write_conf(const TempDir& dir, const std::string& mail_sections) {
  dir.write("home/jimu.conf", "[limits]\ntimeout = 60s\n" + mail_sections);
}

}  // namespace

TEST_CASE("mail: a workflow sends a report over STARTTLS with the password from the secrets file",
          "[mail][lua]") {
  TempDir dir;
  jimu::testing::make_certificate(dir.path());
  SmtpServer smtp(dir.path(), dir.file("maildir"),
                  {"--starttls", "--cert", dir.file("cert.pem"), "--key", dir.file("key.pem"),
                   "--user", "somu", "--password", "pw-秘密-42"});
  write_conf(dir, "[mail.out]\nhost = 127.0.0.1\nport = " + std::to_string(smtp.port()) +
                      "\nsecurity = starttls\nuser = somu\nfrom = 総務課 <somu@example.lg.jp>\n"
                      "ca_file = " +
                      dir.file("cert.pem") + "\ntimeout = 5s\n");
  REQUIRE(jimu_cmd(dir, "secret set mail.out", "pw-秘密-42").rc == 0);
  dir.write("wf/send.lua", R"LUA(
return jimu.workflow {
  id = "send-report", name = "報告送信",
  run = function(ctx)
    assert(jimu.fs.write(ctx:out("結果①.csv"), "番号,氏名\r\n1,髙橋\r\n"))
    assert(jimu.mail.send {
      account = "out", to = { "山田 太郎 <yamada@example.lg.jp>" }, bcc = "kansa@example.lg.jp",
      subject = "【報告】口座振替結果～令和8年度", body = "各位\n結果を送ります。\n",
      attachments = { ctx:out("結果①.csv") },
    })
  end,
}
)LUA");
  Ran r = jimu_cmd(dir, "run '" + dir.file("wf/send.lua") + "'");
  INFO(r.output);
  REQUIRE(r.rc == 0);
  auto messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  mail::ParsedMail p = mail::parse_message(messages[0]);
  CHECK(p.subject == "【報告】口座振替結果～令和8年度");
  CHECK(p.from == "総務課 <somu@example.lg.jp>");
  REQUIRE(p.attachments.size() == 1);
  CHECK(p.attachments[0].name == "結果①.csv");
  CHECK(p.attachments[0].data == "番号,氏名\r\n1,髙橋\r\n");
  // The password is in the secrets file only: not in the store, the output or the config.
  CHECK(read_all(dir.file("home/jimu.db")).find("pw-秘密-42") == std::string::npos);
  CHECK(read_all(dir.file("home/jimu.conf")).find("pw-秘密-42") == std::string::npos);
  CHECK(r.output.find("pw-秘密-42") == std::string::npos);

  // A dry run writes the message as .eml in the run's output folder and sends nothing.
  r = jimu_cmd(dir, "run --dry-run '" + dir.file("wf/send.lua") + "'");
  INFO(r.output);
  REQUIRE(r.rc == 0);
  CHECK(smtp.messages().size() == 1);
  std::string eml = read_all(newest_out_dir(dir, "scratch") + "/mail-001.eml");
  CHECK(mail::parse_message(eml).subject == "【報告】口座振替結果～令和8年度");
  CHECK(eml.find("kansa@") == std::string::npos);  // Bcc stays off the headers
}

TEST_CASE("mail: failures reach the workflow as nil, message, code", "[mail][lua]") {
  TempDir dir;
  SmtpServer smtp(dir.path(), dir.file("maildir"), {"--reject", "nobody@example.lg.jp"});
  int closed = jimu::testing::free_port();
  write_conf(dir, "[mail.out]\nhost = 127.0.0.1\nport = " + std::to_string(smtp.port()) +
                      "\nsecurity = none\nfrom = somu@example.lg.jp\n"
                      "[mail.down]\nhost = 127.0.0.1\nport = " +
                      std::to_string(closed) + "\nsecurity = none\nfrom = somu@example.lg.jp\n");
  dir.write("wf/fail.lua", R"LUA(
return jimu.workflow {
  id = "fail", name = "失敗",
  run = function(ctx)
    local ok, msg, code = jimu.mail.send { account = "out", to = "nobody@example.lg.jp", subject = "x" }
    assert(ok == nil and code == "rejected", tostring(code))
    ok, msg, code = jimu.mail.send { account = "down", to = "a@example.lg.jp", subject = "x" }
    assert(ok == nil and code == "refused", tostring(code))
    ok, msg, code = jimu.mail.send { account = "nosuch", to = "a@example.lg.jp" }
    assert(code == "not_found" and msg == "no mail account 'nosuch' (add a [mail.nosuch] section to jimu.conf)", msg)
    ok, msg, code = jimu.mail.send { account = "out", to = "not-an-address" }
    assert(code == "invalid" and msg == "to: 'not-an-address' is not a mail address (expected name@domain)", msg)
    jimu.mail.send { account = "out", too = "a@example.lg.jp" }
  end,
}
)LUA");
  Ran r = jimu_cmd(dir, "run '" + dir.file("wf/fail.lua") + "'");
  INFO(r.output);
  CHECK(r.rc == 1);
  CHECK(r.output.find("bad argument #1 to 'send' (unknown option 'too'") != std::string::npos);
  CHECK(smtp.messages().empty());
}

TEST_CASE("mail: a workflow fetches over IMAP, saves attachments safely and files the message",
          "[mail][lua]") {
  TempDir dir;
  Dovecot dovecot(dir.file("dovecot"));
  dovecot.deliver(
      "From: =?UTF-8?B?5bGx55Sw?= <yamada@example.lg.jp>\r\nSubject: =?UTF-8?B?55Sz6KuL5pu4?=\r\n"
      "Message-ID: <a1@x>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n\r\n本文\r\n--b\r\n"
      "Content-Type: text/plain\r\nContent-Disposition: attachment; "
      "filename=\"../../etc/passwd\"\r\n\r\n"
      "evil\r\n--b\r\nContent-Type: application/pdf\r\n"
      "Content-Disposition: attachment; filename*=UTF-8''%E7%94%B3%E8%AB%8B%E6%9B%B8.pdf\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n");
  write_conf(dir, "[mail.inbox]\nhost = 127.0.0.1\nport = " + std::to_string(dovecot.imap_port()) +
                      "\nsecurity = none\nuser = " + Dovecot::kUser +
                      "\nprotocol = imap\ntimeout = 5s\n");
  REQUIRE(jimu_cmd(dir, "secret set mail.inbox", Dovecot::kPassword).rc == 0);
  dir.write("wf/fetch.lua", R"LUA(
return jimu.workflow {
  id = "fetch", name = "受信",
  run = function(ctx)
    local messages = assert(jimu.mail.fetch { account = "inbox", move_to = "処理済" })
    local lines = {}
    for _, m in ipairs(messages) do
      lines[#lines + 1] = m.subject .. "|" .. m.from .. "|" .. m.body
      for _, a in ipairs(m.attachments) do
        lines[#lines + 1] = a.name .. "|" .. a.size .. "|" .. a.path:match("[^/]*/[^/]*$")
      end
    end
    assert(jimu.fs.write(ctx:out("summary.txt"), table.concat(lines, "\n")))
  end,
}
)LUA");
  Ran r = jimu_cmd(dir, "run --dry-run '" + dir.file("wf/fetch.lua") + "'");
  INFO(r.output);
  REQUIRE(r.rc == 0);
  CHECK(dovecot.count() == 1);  // a dry run reads but does not move
  r = jimu_cmd(dir, "run '" + dir.file("wf/fetch.lua") + "'");
  INFO(r.output);
  REQUIRE(r.rc == 0);
  std::string out = newest_out_dir(dir, "runs");
  CHECK(read_all(out + "/summary.txt") ==
        "申請書|山田 <yamada@example.lg.jp>|本文\n"
        "../../etc/passwd|4|attachments/passwd\n"
        "申請書.pdf|4|attachments/申請書.pdf");
  CHECK(read_all(out + "/attachments/passwd") ==
        "evil");  // the CRLF before a boundary is the boundary's
  CHECK(dovecot.count() == 0);
  CHECK(dovecot.count("&UeZ0Bm4I-") == 1);  // 処理済 in IMAP's modified UTF-7
}
