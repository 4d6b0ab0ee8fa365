// jimu poll: runs mail-triggered workflows once per new message (issue 5).
//
// Exactly once, across restarts and crashes:
// - A message is named by account + folder + UIDVALIDITY + UID. Its claim is written in the same
//   transaction as the start of the run that processes it (Store::begin_run with a MailClaim), so
//   a second poller, or a later poll, sees the claim and does not start another run.
// - The message is marked seen (or moved) only after its run succeeded. A poll that finds a
//   claimed message still unseen whose run succeeded (the poller died in between) only marks it.
// - A run that failed, or was interrupted (its process died: `jimu` marks such runs interrupted
//   when it opens the store), is retried by the next poll, up to trigger.mail.attempts runs in all
//   (default 3). Then the message is given up: moved to failed_folder if the trigger names one,
//   else left unseen and reported on every poll. So a message is processed by at most one
//   successful run; effects a killed run made before dying may be repeated by its retry, so
//   workflows should write their results under ctx:out.
#include <filesystem>
#include <iostream>

#include "cli/app.h"
#include "connectors/mail/attachment_files.h"
#include "connectors/mail/mail_parse.h"
#include "connectors/mail/mailbox.h"

namespace fs = std::filesystem;

namespace jimu::cli {
namespace {

const CmdSpec kPollSpec = {
    "poll",
    "FILE.lua...",
    "Fetches new (unseen) mail for workflows that declare trigger = { mail = { ... } } and runs\n"
    "each workflow once per message, with the message as ctx.message. A message is marked seen\n"
    "(or moved to move_to) only after its run succeeded; a failed run is retried by the next "
    "poll,\n"
    "up to the trigger's attempts (default 3), then the message is moved to failed_folder or "
    "left.\n"
    "Exit status: 0 when every run succeeded (or there was nothing to do), 1 otherwise.",
    {},
    "Example (every 5 minutes from cron or a systemd timer):\n  jimu poll workflows/shinsei.lua",
    1,
    1000};

// A folder name from an account, folder and UID: letters and digits kept, the rest as %XX.
std::string spool_name(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

struct Counts {
  int ran = 0, failed = 0, given_up = 0;
};

Status poll_workflow(App& app, Runner& runner, const std::string& path, const WorkflowDef& def,
                     Counts* counts) {
  const MailTriggerDef& t = *def.trigger->mail;
  auto it = app.mail_accounts->find(t.account);
  if (it == app.mail_accounts->end()) {
    return Status::not_found(path + ": no mail account '" + t.account + "' (add [mail." +
                             t.account + "] to jimu.conf)");
  }
  const mail::MailAccount& account = it->second;
  std::string folder = t.folder.empty() ? account.folder : t.folder;
  auto box = mail::open_mailbox(account, folder);
  if (!box) return box.status();
  auto validity = (*box)->uid_validity();
  if (!validity) return validity.status();
  auto uids = (*box)->list(true);
  if (!uids) return uids.status();
  auto finish = [&](const std::string& uid) {
    return t.move_to.empty() ? (*box)->mark_seen(uid) : (*box)->move(uid, t.move_to);
  };
  for (const auto& uid : *uids) {
    MailClaim claim{def.id, account.name, folder, *validity, uid, "", 0};
    auto held = app.store->find_mail_claim(claim);
    if (!held) return held.status();
    std::string label = path + ": " + account.name + "/" + folder + " UID " + uid;
    if (*held) {
      const MailClaimState& st = **held;
      if (st.status == RunStatus::kSucceeded) {
        // Processed, but the poller stopped before marking it: mark it now, run nothing.
        if (Status s = finish(uid); !s) return s;
        std::cout << label << ": already processed by run " << st.run_id << "; marked\n";
        continue;
      }
      if (st.status == RunStatus::kRunning) {
        std::cout << label << ": run " << st.run_id << " is still running\n";
        continue;
      }
      if (st.attempts >= t.attempts) {
        ++counts->given_up;
        if (!t.failed_folder.empty()) {
          if (Status s = (*box)->move(uid, t.failed_folder); !s) return s;
          std::cout << label << ": given up after " << st.attempts << " runs (last: run "
                    << st.run_id << "); moved to " << t.failed_folder << "\n";
        } else {
          std::cout << label << ": given up after " << st.attempts << " runs (last: run "
                    << st.run_id << "); left unseen\n";
        }
        continue;
      }
      claim.previous_run_id = st.run_id;
    }
    auto raw = (*box)->fetch(uid);
    if (!raw) return raw.status();
    mail::ParsedMail pm = mail::parse_message(*raw);
    if ((!t.from.empty() && pm.from.find(t.from) == std::string::npos) ||
        (!t.subject.empty() && pm.subject.find(t.subject) == std::string::npos)) {
      continue;  // not for this workflow: left as it is
    }
    claim.message_id = pm.message_id;
    TriggerMessage msg;
    msg.fields = {{"uid", uid},
                  {"uid_validity", *validity},
                  {"account", account.name},
                  {"folder", folder},
                  {"message_id", pm.message_id},
                  {"from", pm.from},
                  {"to", pm.to},
                  {"cc", pm.cc},
                  {"subject", pm.subject},
                  {"date", pm.date},
                  {"body", pm.body},
                  {"html", pm.html}};
    std::string spool = app.home + "/mail/" + spool_name(def.id) + "/" + spool_name(account.name) +
                        "-" + spool_name(folder) + "-" + spool_name(*validity) + "-" +
                        spool_name(uid);
    std::error_code ec;
    fs::remove_all(spool, ec);  // a retry starts from a clean copy
    for (const auto& a : pm.attachments) {
      auto saved = mail::save_attachment(spool, a.name, a.data);
      if (!saved) return saved.status();
      msg.attachments.push_back({a.name, static_cast<long long>(a.data.size()), *saved});
    }
    RunRequest request;
    request.path = path;
    request.trigger = "mail";
    request.mail_claim = claim;
    request.message = std::move(msg);
    request.extra_read_roots = {spool};
    auto outcome = runner.run(request);
    if (!outcome) {
      if (outcome.status().code() == Code::kConflict) {
        std::cout << label << ": claimed by another poller\n";
        continue;
      }
      return outcome.status();
    }
    ++counts->ran;
    if (outcome->status == RunStatus::kSucceeded) {
      fs::remove_all(spool, ec);  // the run copied what it keeps into its own folders
      if (Status s = finish(uid); !s) return s.with_prefix(label + ": run succeeded but");
      std::cout << label << ": run " << outcome->run_id << " succeeded\n";
    } else {
      ++counts->failed;
      std::cout << label << ": run " << outcome->run_id << " failed (attempt "
                << (claim.previous_run_id ? (*held)->attempts + 1 : 1) << " of " << t.attempts
                << "): " << outcome->error << "\n";
    }
  }
  return (*box)->close();
}

}  // namespace

int cmd_poll(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kPollSpec, argv, &code);
  if (!args) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto options = (*app)->runner_options();
  if (!options) return fail(options.status());
  Runner runner(*options);
  Counts counts;
  bool error = false;
  for (const auto& path : args->positional) {
    WorkflowDef def;
    auto problems = runner.check(path, path, &def);
    if (!problems.empty()) {
      for (const auto& p : problems) std::cerr << p.to_string() << "\n";
      return kExitUsage;
    }
    if (!def.trigger || !def.trigger->mail) {
      return fail(path + ": declares no mail trigger (trigger = { mail = { account = ... } })",
                  kExitUsage);
    }
    Status s = poll_workflow(**app, runner, path, def, &counts);
    if (!s) {
      std::cerr << "jimu: " << s.message() << "\n";
      error = true;
    }
  }
  return error || counts.failed > 0 || counts.given_up > 0 ? kExitFailed : kExitOk;
}

}  // namespace jimu::cli
