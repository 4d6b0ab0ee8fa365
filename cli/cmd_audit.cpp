// jimu audit verify|export: the hash-chained audit trail.
#include <cstdio>
#include <iostream>

#include "cli/app.h"
#include "engine/core/json_writer.h"
#include "engine/store/audit_chain.h"

namespace jimu::cli {
namespace {

const CmdSpec kVerifySpec = {
    "audit verify", "[--format text|json]",
    "Verifies the audit trail's hash chain: an edited, inserted or deleted entry is reported with\n"
    "its number. Prints the head hash: record it, and a later verify that shows a different head\n"
    "for the same entry count means the tail was replaced. Exit status 1 when the trail is broken.",
    {{"format", "FORMAT", "text (default) or json"}}, "", 0, 0};

const CmdSpec kExportSpec = {
    "audit export", "[--out FILE]",
    "Writes the audit trail as JSON lines (one entry per line, oldest first).",
    {{"out", "FILE", "write to FILE instead of standard output"}}, "", 0, 0};

int verify(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kVerifySpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto report = verify_audit(*(*app)->store);
  if (!report) return fail(report.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_object()
        .field("ok", report->ok())
        .field("entries", report->entries)
        .field("last_seq", report->last_seq)
        .field("head_hash", report->head_hash);
    w.key("problems").begin_array();
    for (const auto& p : report->problems) {
      w.begin_object().field("seq", p.seq).field("message", p.message).end_object();
    }
    w.end_array().end_object();
    std::cout << w.str() << "\n";
  } else if (report->ok()) {
    std::cout << "audit trail intact: " << report->entries << " entries, head " << report->head_hash << "\n";
  } else {
    std::cout << "audit trail BROKEN: " << report->problems.size() << " problem(s) in "
              << report->entries << " entries\n";
    for (const auto& p : report->problems) std::cout << "  " << p.message << "\n";
  }
  return report->ok() ? kExitOk : kExitFailed;
}

int export_trail(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kExportSpec, argv, &code);
  if (!args) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  FILE* out = stdout;
  std::string tmp;
  if (auto path = args->get("out")) {
    tmp = *path + ".tmp";
    out = std::fopen(tmp.c_str(), "w");
    if (out == nullptr) return fail(*path + ": cannot write", kExitFailed);
  }
  int64_t n = 0;
  Status s = (*app)->store->scan_audit([&](const AuditEntry& e) {
    std::string line = audit_entry_json(e);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), out);
    ++n;
    return true;
  });
  if (out != stdout) {
    bool ok = std::fflush(out) == 0 && std::fclose(out) == 0;
    if (!s || !ok) {
      std::remove(tmp.c_str());
      return fail(!s ? s : Status::io(*args->get("out") + ": write failed"));
    }
    if (std::rename(tmp.c_str(), args->get("out")->c_str()) != 0) {
      return fail(*args->get("out") + ": cannot rename into place", kExitFailed);
    }
    std::cerr << "exported " << n << " entries to " << *args->get("out") << "\n";
  }
  return s ? kExitOk : fail(s);
}

}  // namespace

int cmd_audit(const std::vector<std::string>& argv) {
  return dispatch("audit",
                  "usage: jimu audit verify|export [options]\n\n"
                  "  verify    check the hash chain of the audit trail\n"
                  "  export    write the trail as JSON lines\n",
                  argv, {{"verify", verify}, {"export", export_trail}});
}

}  // namespace jimu::cli
