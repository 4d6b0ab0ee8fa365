// App: what every command needs, resolved once from the command line, the environment and
// HOME/jimu.conf: the home folder, the configuration, the store, and who is acting.
// The composition root: the only place that knows every library.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/config.h"
#include "engine/calendar/business_calendar.h"
#include "connectors/mail/mail_account.h"
#include "engine/approval/approval_router.h"
#include "engine/core/clock.h"
#include "engine/kpi/kpi.h"
#include "engine/runner/runner.h"
#include "engine/store/store.h"

namespace jimu::cli {

// Exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the workflow failed, the trail is broken, the store erred
inline constexpr int kExitUsage = 2;   // usage or validation error: nothing was done

struct App {
  std::string home;
  Config config;
  StoreOptions store_options;  // which store ([store] url in jimu.conf), with its password
  std::unique_ptr<Store> store;
  Clock* clock = &SystemClock::instance();
  std::string actor;  // the OS user
  // The office's business days ([calendar] in jimu.conf); jimu.calendar and the scheduler use it.
  std::unique_ptr<BusinessCalendar> calendar;
  std::unique_ptr<mail::MailAccounts> mail_accounts;  // set by runner_options; jimu.mail borrows it
  // The approval router over the store; runs a finished route's handler workflow
  // (cli/approval_handler.h).
  std::unique_ptr<ApprovalListener> approval_handlers;
  std::unique_ptr<ApprovalRouter> approval;

  // Resolves --home / $JIMU_HOME / the default, creates the folder and jimu.conf on first use,
  // opens the store and marks runs of dead processes interrupted.
  static Result<std::unique_ptr<App>> open(const Args& args);

  Result<RunnerOptions> runner_options();
  Result<KpiOptions> kpi_options(int fiscal_year) const;
};

// Prints "jimu: message" to stderr and returns code.
int fail(const std::string& message, int code);
// kExitUsage when the request itself was wrong (invalid, conflicting with the state, rejected by a
// rule), else kExitFailed.
int fail(const Status& status);
// For a request about a named thing (a document, a schedule): a missing one is the user's mistake
// too, so everything but a store failure exits 2.
int refuse(const Status& status);

// A command with subcommands (jimu operations add|list|retire): runs the one argv[0] names with
// the rest of argv; prints usage for --help (exit 0) or no subcommand (exit 2), and names the
// known subcommands when argv[0] is not one.
using Subcommand = std::pair<const char*, std::function<int(const std::vector<std::string>&)>>;
int dispatch(const std::string& group, const std::string& usage,
             const std::vector<std::string>& argv, std::initializer_list<Subcommand> subcommands);

// Parses a command's arguments; on --help prints help and sets *exit_code to 0; on a usage error
// prints it and sets *exit_code to 2. Returns nullopt in both cases.
std::optional<Args> parse_or_exit(const CmdSpec& spec, const std::vector<std::string>& args,
                                  int* exit_code);

// The format option every listing takes.
std::optional<std::string> format_option(const Args& args, std::initializer_list<const char*> allowed,
                                         int* exit_code);

// The modules the runner offers to workflows. calendar (may be null: the default government
// calendar), clock and approval (null: no jimu.approval) are lent to the modules and must outlive
// the runs.
std::vector<LuaModule> workflow_modules(const BusinessCalendar* calendar = nullptr,
                                        const Clock* clock = nullptr,
                                        ApprovalRouter* approval = nullptr);

// jimu's home folder: --home, $JIMU_HOME or the default, absolute.
std::string home_from(const Args& args);

// The store a url names ([store] url, `jimu store migrate --from/--to`): empty for HOME/jimu.db,
// sqlite:PATH relative to home, or postgresql://USER@HOST:PORT/DB with the password from
// HOME/secrets (store.password). invalid for a url that is none of these.
Result<StoreOptions> store_options_for(const std::string& url, const std::string& home);

// The business calendar that [calendar] in config describes.
Result<std::unique_ptr<BusinessCalendar>> business_calendar_from(const Config& config);

int cmd_run(const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_runs(const std::vector<std::string>& args);
int cmd_show(const std::vector<std::string>& args);
int cmd_operations(const std::vector<std::string>& args);
int cmd_report(const std::vector<std::string>& args);
int cmd_audit(const std::vector<std::string>& args);
int cmd_secret(const std::vector<std::string>& args);  // secrets.cpp
int cmd_poll(const std::vector<std::string>& args);    // mail-triggered workflows
int cmd_approval(const std::vector<std::string>& args);
int cmd_schedule(const std::vector<std::string>& args);  // cmd_schedule.cpp
int cmd_serve(const std::vector<std::string>& args);     // cmd_serve.cpp: the daemon
int cmd_nodes(const std::vector<std::string>& args);     // cmd_history.cpp
int cmd_user(const std::vector<std::string>& args);  // users of the web pages
int cmd_web(const std::vector<std::string>& args);   // the web pages
int cmd_store(const std::vector<std::string>& args);  // migrate, info

}  // namespace jimu::cli
