#include "engine/approval/route.h"

#include <set>

namespace jimu {

int required_approvals(const RouteStep& step) {
  if (step.mode == "any") return 1;
  if (step.mode == "quorum") return step.quorum;
  return static_cast<int>(step.approvers.size());
}

std::vector<std::string> route_problems(const Route& route, const std::string& drafter) {
  std::vector<std::string> out;
  if (route.steps.empty()) {
    out.push_back("the route has no steps (steps = { { approvers = { ... } }, ... })");
    return out;
  }
  if (static_cast<int>(route.steps.size()) > kMaxRouteSteps) {
    out.push_back("the route has " + std::to_string(route.steps.size()) + " steps; at most " +
                  std::to_string(kMaxRouteSteps) + " are allowed");
  }
  int deciding = 0;
  for (size_t i = 0; i < route.steps.size(); ++i) {
    const RouteStep& s = route.steps[i];
    std::string at = "step " + std::to_string(i + 1) + ": ";
    if (deciding != 0) {
      out.push_back(at + "can never be reached: step " + std::to_string(deciding) +
                    " decides (専決) and ends the route");
    }
    if (s.approvers.empty()) out.push_back(at + "approvers must not be empty");
    if (static_cast<int>(s.approvers.size()) > kMaxStepApprovers) {
      out.push_back(at + "has " + std::to_string(s.approvers.size()) + " approvers; at most " +
                    std::to_string(kMaxStepApprovers) + " are allowed");
    }
    std::set<std::string> seen;
    for (const std::string& a : s.approvers) {
      if (a.empty()) {
        out.push_back(at + "an approver's name must not be empty");
        continue;
      }
      if (!seen.insert(a).second) out.push_back(at + a + " is named twice");
      if (a == drafter) {
        out.push_back(at + "the drafter " + a + " cannot approve their own document");
      }
    }
    if (s.mode == "quorum") {
      if (s.quorum < 1) {
        out.push_back(at + "quorum must be at least 1, not " + std::to_string(s.quorum));
      } else if (s.quorum > static_cast<int>(s.approvers.size())) {
        out.push_back(at + "quorum " + std::to_string(s.quorum) + " is more than its " +
                      std::to_string(s.approvers.size()) + " approvers");
      }
    } else if (s.mode != "all" && s.mode != "any") {
      out.push_back(at + "mode must be \"all\", \"any\" or { quorum = N }, not \"" + s.mode + "\"");
    }
    if (s.due_days < 0 || s.due_days > kMaxDueDays) {
      out.push_back(at + "due_days must be from 0 to " + std::to_string(kMaxDueDays) + ", not " +
                    std::to_string(s.due_days));
    }
    if (s.decides && deciding == 0) deciding = static_cast<int>(i + 1);
  }
  return out;
}

std::vector<std::string> document_problems(const DocumentInfo& d) {
  std::vector<std::string> out;
  if (d.id.size() > 100) out.push_back("id must be at most 100 bytes");
  for (unsigned char c : d.id) {
    if (c <= 0x20 || c == 0x7f) {
      out.push_back("id '" + d.id + "' must not contain spaces or control characters");
      break;
    }
  }
  for (auto [name, value] : {std::pair{"title", &d.title}, std::pair{"category", &d.category},
                             std::pair{"division", &d.division},
                             std::pair{"drafter", &d.drafter}}) {
    if (value->empty()) out.push_back(std::string(name) + " must not be empty");
  }
  if (d.amount < 0) out.push_back("amount must not be negative, not " + std::to_string(d.amount));
  return out;
}

Status problems_status(const std::string& prefix, const std::vector<std::string>& problems) {
  if (problems.empty()) return Status::ok();
  std::string m;
  for (const std::string& p : problems) {
    if (!m.empty()) m += "\n";
    m += prefix + ": " + p;
  }
  return Status::invalid(m);
}

}  // namespace jimu
