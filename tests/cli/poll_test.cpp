// jimu poll: a mail-triggered workflow runs exactly once per message, even when the poller is
// killed with SIGKILL in the middle of a run and started again (Dovecot as the real IMAP server).
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/support/mail_servers.h"
#include "tests/support/temp_dir.h"

using jimu::testing::Dovecot;
using jimu::testing::read_all;
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

std::string sql(const TempDir& dir, const std::string& query) {
  std::string out = dir.file("sql.out");
  std::string cmd = "sqlite3 '" + dir.file("home/jimu.db") + "' \"" + query + "\" > '" + out + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return read_all(out);
}

std::string message(const std::string& subject, const std::string& id) {
  return "From: yamada@example.lg.jp\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
         "@x>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n\r\n本文\r\n--b\r\nContent-Type: text/csv\r\n"
         "Content-Disposition: attachment; filename=\"../申請.csv\"\r\n\r\n1,2\r\n--b--\r\n";
}

}  // namespace

TEST_CASE("poll: each message is processed exactly once across a SIGKILL and a restart",
          "[mail][poll]") {
  TempDir dir;
  Dovecot dovecot(dir.file("dovecot"));
  dovecot.deliver(message("=?UTF-8?B?55Sz6KuL?= 一", "m1"));  // 申請 一: waits for the gate
  dovecot.deliver(message("=?UTF-8?B?55Sz6KuL?= 二", "m2"));
  dovecot.deliver(message("お知らせ", "m3"));                   // not for this workflow
  dovecot.deliver(message("=?UTF-8?B?55Sz6KuL?= 不備", "m4"));  // always fails
  dovecot.deliver(message("=?UTF-8?B?55Sz6KuL?= 三", "m5"));
  dir.write("home/jimu.conf",
            "[mail.inbox]\nhost = 127.0.0.1\nport = " + std::to_string(dovecot.imap_port()) +
                "\nsecurity = none\nuser = " + Dovecot::kUser + "\ntimeout = 5s\n");
  REQUIRE(jimu_cmd(dir, "secret set mail.inbox", Dovecot::kPassword).rc == 0);
  std::string wf = dir.write("wf/shinsei.lua", R"LUA(
return jimu.workflow {
  id = "shinsei", name = "申請受付",
  trigger = { mail = { account = "inbox", subject = "申請", move_to = "処理済",
                       attempts = 2, failed_folder = "要確認" } },
  run = function(ctx)
    local m = ctx.message
    assert(jimu.fs.write(ctx:out("started"), m.uid))
    if m.subject:find("一", 1, true) then
      while not jimu.fs.exists("gate") do end
    end
    if m.subject:find("不備", 1, true) then error("申請書に不備があります") end
    local a = m.attachments[1]
    assert(jimu.fs.write(ctx:out("done.txt"), m.subject .. "|" .. a.name .. "|" .. jimu.fs.read(a.path)))
    ctx:processed(1)
  end,
}
)LUA");
  REQUIRE(jimu_cmd(dir, "check '" + wf + "'").rc == 0);

  // First poller: killed while the run of message 1 waits.
  pid_t pid = ::fork();
  if (pid == 0) {
    std::string home = dir.file("home");
    int fd = ::open(dir.file("poll1.out").c_str(), O_WRONLY | O_CREAT, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(JIMU_BINARY, JIMU_BINARY, "poll", wf.c_str(), "--home", home.c_str(), nullptr);
    ::_exit(127);
  }
  bool started = false;
  for (int i = 0; i < 400 && !started; ++i) {
    started = std::filesystem::exists(dir.file("home/runs/1/out/started"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(started);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  CHECK(dovecot.count() == 5);  // nothing was marked or moved

  // Restarted: message 1 is retried (its run shows interrupted), the others run once each.
  dir.write("wf/gate", "open");
  Ran r = jimu_cmd(dir, "poll '" + wf + "'");
  INFO(r.output);
  CHECK(r.rc == 1);  // 不備 failed
  CHECK(r.output.find("run 4 failed (attempt 1 of 2): ") != std::string::npos);
  CHECK(sql(dir, "SELECT status, COUNT(*) FROM runs GROUP BY status ORDER BY status") ==
        "failed|1\ninterrupted|1\nsucceeded|3\n");
  CHECK(read_all(dir.file("home/runs/2/out/done.txt")) == "申請 一|../申請.csv|1,2");

  // Polled again: only the failing message runs (its second and last attempt).
  r = jimu_cmd(dir, "poll '" + wf + "'");
  INFO(r.output);
  CHECK(r.output.find("failed (attempt 2 of 2)") != std::string::npos);
  // And again: it is given up and moved aside; nothing else runs.
  r = jimu_cmd(dir, "poll '" + wf + "'");
  INFO(r.output);
  CHECK(r.output.find("given up after 2 runs") != std::string::npos);
  r = jimu_cmd(dir, "poll '" + wf + "'");
  INFO(r.output);
  CHECK(r.rc == 0);
  CHECK(r.output.empty());

  CHECK(sql(dir, "SELECT status, COUNT(*) FROM runs GROUP BY status ORDER BY status") ==
        "failed|2\ninterrupted|1\nsucceeded|3\n");
  // One claim per message, each pointing at its last run; message 1 took two runs.
  CHECK(sql(dir,
            "SELECT m.message_id, m.attempts, r.status FROM mail_claims m JOIN runs r "
            "ON r.id = m.run_id ORDER BY m.message_id") ==
        "<m1@x>|2|succeeded\n<m2@x>|1|succeeded\n<m4@x>|2|failed\n<m5@x>|1|succeeded\n");
  // Attachments of processed messages are gone from the spool; the failed message's remain.
  size_t spooled = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.file("home/mail/shinsei"))) {
    (void)e;
    ++spooled;
  }
  CHECK(spooled == 1);
  CHECK(dovecot.count() == 1);              // お知らせ stays in the inbox, unseen
  CHECK(dovecot.count("&UeZ0Bm4I-") == 3);  // 処理済
  CHECK(dovecot.count("&iYF4uoqN-") == 1);  // 要確認
}

TEST_CASE("config: mail accounts are checked by key and passwords stay out of jimu.conf",
          "[mail][config]") {
  TempDir dir;
  std::string conf = dir.file("home/jimu.conf");
  dir.write("home/jimu.conf", "[mail.out]\nhots = smtp.example.lg.jp\n");
  Ran r = jimu_cmd(dir, "secret list");
  CHECK(r.rc == 1);
  CHECK(r.output == "jimu: " + conf +
                        ":2: unknown key 'hots' in [mail.out] (known: host, port, "
                        "security, user, from, ca_file, verify, protocol, folder, timeout)\n");
  dir.write("home/jimu.conf", "[mail.out]\nhost = smtp.example.lg.jp\npassword = himitsu\n");
  r = jimu_cmd(dir, "secret list");
  CHECK(r.output == "jimu: " + conf +
                        ":3: passwords do not belong in jimu.conf: store it with "
                        "'jimu secret set mail.out'\n");
  dir.write("home/jimu.conf",
            "[mail.out]\nhost = smtp.example.lg.jp\nsecurity = ssl\nuser = somu\n");
  dir.write("wf/x.lua", "return jimu.workflow { id = 'x', name = 'x', run = function() end }\n");
  r = jimu_cmd(dir, "run '" + dir.file("wf/x.lua") + "'");
  CHECK(r.output == "jimu: " + conf + ":3: security must be none, starttls or tls, not 'ssl'\n");

  dir.write("home/jimu.conf", "[mail.out]\nhost = smtp.example.lg.jp\nuser = somu\n");
  REQUIRE(jimu_cmd(dir, "secret set mail.out", "pw1").rc == 0);
  REQUIRE(jimu_cmd(dir, "secret set other", "pw2").rc == 0);
  r = jimu_cmd(dir, "secret list");
  CHECK(r.output == "mail.out\nother\n");
  struct stat st;
  REQUIRE(::stat(dir.file("home/secrets").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  ::chmod(dir.file("home/secrets").c_str(), 0640);
  r = jimu_cmd(dir, "run '" + dir.file("wf/x.lua") + "'");
  CHECK(r.rc == 1);
  CHECK(r.output == "jimu: " + dir.file("home/secrets") +
                        ": group or others may read the secrets "
                        "file (mode 0640); jimu will not use it until you run: chmod 600 " +
                        dir.file("home/secrets") + "\n");
  ::chmod(dir.file("home/secrets").c_str(), 0600);
  CHECK(jimu_cmd(dir, "secret remove other").rc == 0);
  CHECK(jimu_cmd(dir, "secret list").output == "mail.out\n");
  r = jimu_cmd(dir, "secret remove other");
  CHECK(r.rc == 1);
  CHECK(r.output == "jimu: secret remove: no secret named 'other'\n");
}

TEST_CASE("check: a mail trigger's keys are validated", "[mail][config]") {
  TempDir dir;
  std::string wf =
      dir.write("wf/t.lua",
                "return jimu.workflow {\n  id = 't', name = 't',\n"
                "  trigger = { mail = {\n    acount = 'inbox',\n    attempts = 0 } },\n"
                "  run = function() end,\n}\n");
  Ran r = jimu_cmd(dir, "check '" + wf + "'");
  CHECK(r.rc == 2);
  CHECK(r.output.find(wf + ":4: unknown key 'acount' in trigger.mail (did you mean 'account'?)") !=
        std::string::npos);
  CHECK(r.output.find(wf + ":1: missing required key 'account' in trigger.mail") !=
        std::string::npos);
  CHECK(r.output.find(wf + ":5: 'attempts' in trigger.mail must be a whole number from 1 to 100") !=
        std::string::npos);
  dir.write("wf/n.lua", "return jimu.workflow { id = 'n', name = 'n', run = function() end }\n");
  r = jimu_cmd(dir, "poll '" + dir.file("wf/n.lua") + "'");
  CHECK(r.rc == 2);
  CHECK(r.output == "jimu: " + dir.file("wf/n.lua") +
                        ": declares no mail trigger (trigger = { mail = { account = ... } })\n");
}

TEST_CASE("serve: jimu serve polls a scheduled mail trigger and runs each message once",
          "[mail][poll][serve]") {
  TempDir dir;
  Dovecot dovecot(dir.file("dovecot"));
  dovecot.deliver(message("=?UTF-8?B?55Sz6KuL?= 一", "s1"));  // 申請 一
  dovecot.deliver(message("お知らせ", "s2"));                   // not for this workflow
  dir.write("home/jimu.conf",
            "[mail.inbox]\nhost = 127.0.0.1\nport = " + std::to_string(dovecot.imap_port()) +
                "\nsecurity = none\nuser = " + Dovecot::kUser + "\ntimeout = 5s\n");
  REQUIRE(jimu_cmd(dir, "secret set mail.inbox", Dovecot::kPassword).rc == 0);
  std::string wf = dir.write("wf/uketsuke.lua", R"LUA(
return jimu.workflow {
  id = "uketsuke", name = "メール受付",
  trigger = { mail = { account = "inbox", subject = "申請", move_to = "処理済" } },
  run = function(ctx)
    jimu.log.info("受付 " .. ctx.message.subject)
    ctx:processed(1)
  end,
}
)LUA");
  auto added = jimu_cmd(dir, "schedule add '" + wf + "'");
  REQUIRE(added.rc == 0);
  CHECK(added.output.find("when: mail arrives for account inbox") != std::string::npos);
  pid_t pid = fork();
  if (pid == 0) {
    std::string log = dir.file("serve.log");
    std::string home = dir.file("home");
    execl("/bin/sh", "sh", "-c", (std::string("exec '") + JIMU_BINARY + "' serve --no-web --home '" + home +
                                  "' >'" + log + "' 2>&1").c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string runs;
  for (int i = 0; i < 200; ++i) {
    runs = sql(dir, "SELECT trigger_kind, status, items FROM runs");
    if (runs.find("succeeded") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(runs == "mail|succeeded|1\n");
  CHECK(sql(dir, "SELECT COUNT(*) FROM mail_claims") == "1\n");
}
