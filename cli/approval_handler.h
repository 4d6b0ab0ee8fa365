// HandlerRunner: runs the handler workflow a document names (on_decided / --handler) when its
// route finishes, with the runner: params document=ID and outcome=approved|rejected|withdrawn,
// trigger "approval". The run is recorded like any other; its outcome is reported on stderr and
// kept for the caller. Lives in cli/ because it joins the approval router and the runner.
// Not thread-safe: used by one command at a time.
#pragma once

#include <string>
#include <vector>

#include "engine/approval/approval_router.h"
#include "engine/runner/runner.h"

namespace jimu::cli {

struct App;

struct HandlerResult {
  std::string document_id;
  std::string outcome;
  std::string handler;
  Result<RunOutcome> run = Status::internal("not run");
};

class HandlerRunner final : public ApprovalListener {
 public:
  explicit HandlerRunner(App* app) : app_(app) {}  // app is borrowed and outlives this
  void on_finished(const ApprovalDocument& document, const std::string& outcome) override;
  const std::vector<HandlerResult>& results() const { return results_; }

 private:
  App* app_;
  std::vector<HandlerResult> results_;
};

// Runs the handler of document with runner options; the same as HandlerRunner does.
Result<RunOutcome> run_approval_handler(const RunnerOptions& options, const std::string& handler,
                                        const std::string& document_id, const std::string& outcome);

}  // namespace jimu::cli
