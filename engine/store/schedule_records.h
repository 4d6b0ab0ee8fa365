// What the store keeps for the scheduler (DESIGN.md section 7): schedules, the jobs they fire
// and the nodes that run them.
//
// A job is one due run: a cron fire, a file that arrived, a clerk's "run now". Its key
// (schedule, fire_key) is unique in the store, so however many daemons look at a schedule, a fire
// becomes one job, and a job is claimed by one daemon at a time (state running, node, heartbeat).
// A daemon renews the heartbeat of the jobs it runs; a job whose heartbeat is older than the lease
// was lost with its node and is taken over (its run marked interrupted, retried by its policy).
// Plain data; thread-safe as values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jimu {

// queued: waits for its due time (or its next attempt); running: claimed by a node;
// succeeded / failed / interrupted: final (interrupted: the daemon stopped and no attempt was
// left); skipped: a holiday skipped the fire; missed: the daemon was down and the schedule's
// missed policy said not to run it; cancelled: its schedule was removed or disabled first.
enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kInterrupted, kSkipped, kMissed, kCancelled };
const char* job_state_name(JobState s);
std::optional<JobState> parse_job_state(const std::string& s);

struct ScheduleRecord {
  std::string id;             // the name clerks use: "debit-report" (the workflow id by default)
  std::string workflow_id;
  std::string workflow_path;  // absolute
  std::string kind = "cron";  // cron | file | mail
  // cron: when it fires.
  std::string cron;           // five fields or @daily and kin
  std::string calendar = "jp-gov";
  std::string on_holiday = "run";  // run | skip | next | previous
  std::string business_day;        // "", "1".."23", "last", "-2"
  std::string missed = "latest";   // latest | all | none
  // file: a file matching pattern appears in folder and stops changing for stable_s seconds.
  std::string folder;
  std::string pattern;
  double stable_s = 2;
  // mail: the daemon polls the workflow's mail trigger this often.
  double poll_s = 60;
  int overlap = 1;            // runs of this workflow at once (0: no limit)
  std::string params_json = "{}";  // {"name": "value"}: given to every run as --param
  std::string owner;          // who is mailed on final failure
  int retry_attempts = 0;     // extra attempts after a failure
  double retry_backoff_s = 60;  // first delay, doubled each attempt
  double timeout_s = 0;       // the workflow's own limit (0: the default); the daemon enforces it too
  bool enabled = true;
  int64_t checked_through = 0;  // ms: fires at or before this have been turned into jobs
  std::string created_by;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct JobRecord {
  int64_t id = 0;
  std::string schedule_id;
  std::string workflow_id;
  std::string workflow_path;
  std::string fire_key;     // "2026-11-24 02:00" (a cron fire), "file:...", "now:<ms>"
  std::string trigger = "schedule";  // the run's trigger: schedule | file | manual
  std::string nominal;      // the cron time the fire stands for ("" when none)
  int64_t due_at = 0;       // ms
  JobState state = JobState::kQueued;
  int attempt = 0;          // attempts started so far
  int64_t next_at = 0;      // ms: when a queued job may start (due_at, or a retry's time)
  std::optional<int64_t> run_id;  // the latest attempt's run
  std::string node;         // the node running it
  int64_t heartbeat_at = 0;
  std::string reason;       // why skipped / missed / failed / moved
  std::string params_json = "{}";
  std::string file;         // the arrived file (file triggers)
  std::string actor;        // who asked ("scheduler", or the clerk of a run-now)
  int64_t created_at = 0;
  std::optional<int64_t> finished_at;
};

struct JobFilter {
  std::optional<std::string> schedule_id;
  std::optional<int64_t> due_from;  // due_at >= (ms)
  std::optional<int64_t> due_to;    // due_at < (ms)
  std::vector<JobState> states;     // any of these; all when empty
  std::optional<std::string> node;
  int limit = 200;                  // by due time, newest first
};

// A daemon (`jimu serve`) and what it is doing.
struct NodeRecord {
  std::string id;        // "HOST:HOME" hash or configured; stable across restarts
  std::string host;
  int64_t pid = 0;
  std::string version;
  int64_t started_at = 0;
  int64_t heartbeat_at = 0;
  bool stopping = false;
};

}  // namespace jimu
