// jimu: the command-line entry point. Dispatches to one command per file in cli/.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"

namespace {

constexpr const char* kUsage = R"(usage: jimu COMMAND [options]

jimu runs Lua workflows for back-office work, records every run, and counts the automated
business operations (業務) toward the fiscal year's RPA KPI.

commands:
  run FILE.lua          run a workflow (--dry-run to try it without effects)
  check FILE.lua...     validate workflows without running them
  runs                  list recorded runs (--last-night: what the scheduler did)
  show RUN_ID           one run in detail: status, log, error with traceback
  operations            the registry of operations: add, list, retire
  report kpi            the KPI of a fiscal year (text, json, csv)
  audit                 verify or export the hash-chained audit trail
  poll FILE.lua...      run mail-triggered workflows once per new message
  secret                store passwords (e.g. of mail accounts): set, list, remove
  approval              electronic approval (電子決裁): submit, inbox, approve, reject, ...
  schedule              schedules: add, list, enable, disable, remove, run-now, next
  serve                 run the scheduler daemon (schedules, file and mail triggers)
  nodes                 the jimu serve daemons sharing this store, and what each runs
  user                  users of the web pages and their roles: add, passwd, role, token, ...
  web                   serve the web pages (dashboard, runs, approval inbox, ...)
  store                 the store in use (info); move it to PostgreSQL (migrate)
  version               print jimu's version

Every command takes --help, and --home DIR (or $JIMU_HOME) to choose jimu's home folder.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? jimu::cli::kExitUsage : jimu::cli::kExitOk;
  }
  std::string cmd = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  using namespace jimu::cli;
  if (cmd == "run") return cmd_run(rest);
  if (cmd == "check") return cmd_check(rest);
  if (cmd == "runs") return cmd_runs(rest);
  if (cmd == "show") return cmd_show(rest);
  if (cmd == "operations") return cmd_operations(rest);
  if (cmd == "report") return cmd_report(rest);
  if (cmd == "audit") return cmd_audit(rest);
  if (cmd == "secret") return cmd_secret(rest);
  if (cmd == "poll") return cmd_poll(rest);
  if (cmd == "approval") return cmd_approval(rest);
  if (cmd == "schedule") return cmd_schedule(rest);
  if (cmd == "serve") return cmd_serve(rest);
  if (cmd == "nodes") return cmd_nodes(rest);
  if (cmd == "user") return cmd_user(rest);
  if (cmd == "web") return cmd_web(rest);
  if (cmd == "store") return cmd_store(rest);
  if (cmd == "version" || cmd == "--version") {
    std::cout << "jimu " << JIMU_VERSION << "\n";
    return kExitOk;
  }
  return fail("unknown command '" + cmd + "' (see 'jimu --help')", kExitUsage);
}
