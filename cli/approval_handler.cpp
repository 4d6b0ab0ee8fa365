#include "cli/approval_handler.h"

#include <iostream>

#include "cli/app.h"

namespace jimu::cli {

Result<RunOutcome> run_approval_handler(const RunnerOptions& options, const std::string& handler,
                                        const std::string& document_id,
                                        const std::string& outcome) {
  Runner runner(options);
  RunRequest req;
  req.path = handler;
  req.params = {{"document", document_id}, {"outcome", outcome}};
  req.trigger = "approval";
  return runner.run(req);
}

void HandlerRunner::on_finished(const ApprovalDocument& document, const std::string& outcome) {
  if (document.handler.empty()) return;
  HandlerResult r;
  r.document_id = document.id;
  r.outcome = outcome;
  r.handler = document.handler;
  auto options = app_->runner_options();
  if (!options) {
    r.run = options.status();
  } else {
    r.run = run_approval_handler(*options, document.handler, document.id, outcome);
  }
  if (!r.run) {
    std::cerr << "jimu: handler " << r.handler << " for document " << r.document_id << " ("
              << outcome << ") did not run: " << r.run.status().message() << "\n";
  } else {
    std::cerr << "handler " << r.handler << " for document " << r.document_id << " (" << outcome
              << "): run " << r.run->run_id << " " << run_status_name(r.run->status)
              << (r.run->error.empty() ? "" : ": " + r.run->error) << "\n";
  }
  results_.push_back(std::move(r));
}

}  // namespace jimu::cli
