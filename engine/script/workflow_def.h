// WorkflowDef: what a workflow file declares through jimu.workflow{...}, as plain C++ data.
//
// The Lua host fills it when it loads a file; the runner, the CLI and (later) the scheduler read
// it. Validation problems are reported as Diagnostics, one per mistake, each with file and line.
// Value type; thread-safe as a value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace jimu {

// A parameter value: params = { input = "in/a.csv", limit = 100, strict = true }.
using ParamValue = std::variant<std::string, double, bool>;
std::string param_to_string(const ParamValue& v);

struct ScheduleDef {
  std::string cron;          // five-field cron expression or @daily and kin
  std::string calendar;      // "jp-gov" unless given
  std::string on_holiday;    // run | skip | next | previous
  std::string missed;        // latest | all | none
  std::string business_day;  // e.g. "last", "1", "-2": business-day rule of the month
  int overlap = 1;           // how many runs of this workflow may run at once
};

struct RetryDef {
  int attempts = 0;          // extra attempts after a failure
  double backoff_s = 60;     // first delay; doubles each attempt
};

// trigger = { mail = { account, folder, from, subject, attempts, failed_folder } }: run once per
// new (unseen) message of the account's folder whose sender and subject contain the given text.
struct MailTriggerDef {
  std::string account;        // a [mail.NAME] of jimu.conf
  std::string folder;         // the account's folder when empty
  std::string from;           // substring the From header must contain ("" = any)
  std::string subject;        // substring the Subject must contain ("" = any)
  std::string move_to;        // after a successful run: move here (else: mark seen)
  int attempts = 3;           // runs per message before it is given up
  std::string failed_folder;  // where a given-up message is moved ("" = left unseen)
};

// trigger = { file = { folder, pattern, stable } }: run once per file matching pattern (a glob:
// *, ?) that appears in folder, once it has stopped changing for stable seconds (default 2).
// Names starting with '.' or ending in .tmp, .part or ~ are never taken (writers' temporaries).
struct FileTriggerDef {
  std::string folder;       // relative to the workflow's folder, or absolute
  std::string pattern = "*";
  double stable_s = 2;
};

struct TriggerDef {
  std::optional<MailTriggerDef> mail;
  std::optional<FileTriggerDef> file;
};

// The file that started a file-triggered run, given to the script as ctx.file.
struct TriggerFile {
  std::string path;  // absolute
  std::string name;
  long long size = 0;
};

// The message that started a mail-triggered run, given to the script as ctx.message.
struct TriggerMessage {
  std::map<std::string, std::string> fields;  // uid, message_id, from, to, cc, subject, date, body, ...
  struct Attachment {
    std::string name;
    long long size = 0;
    std::string path;
  };
  std::vector<Attachment> attachments;
};

struct WorkflowDef {
  std::string id;
  std::string name;
  std::string description;
  std::optional<std::string> operation;  // the registered 業務 this automates
  std::optional<std::string> owner;      // who hears about failures
  std::map<std::string, ParamValue> params;
  std::optional<ScheduleDef> schedule;
  std::optional<double> timeout_s;
  std::optional<RetryDef> retry;
  std::optional<TriggerDef> trigger;
  int line = 0;            // line of the jimu.workflow call
  int operation_line = 0;  // line of `operation = ...`
};

struct Diagnostic {
  std::string file;
  int line = 0;  // 0 when no line applies
  std::string message;
  // "file:line: message" (or "file: message").
  std::string to_string() const;
};

// Converts "--param k=v" text to the type of the declared default (number, boolean or string).
// Returns nullopt and sets *error when the text does not fit that type.
std::optional<ParamValue> convert_param(const ParamValue& declared, const std::string& text,
                                        std::string* error);

// Parses "90", "90s", "30m", "2h" into seconds; nullopt when malformed or not positive.
std::optional<double> parse_duration_seconds(const std::string& text);

}  // namespace jimu
