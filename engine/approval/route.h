// Route: the ordered steps a document passes from drafting (起案) to the final decision (決裁),
// as a rule or a caller gives it, and its validation. DESIGN.md section 6.
//
// A step is one approver or a group deciding in parallel (合議) that needs all of them, any one,
// or a quorum (n of m). A step that `decides` (専決) ends the route with the decision when it
// approves; the last step always decides. Value types and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu {

// The document as rules see it: { id, title, category, amount, division, drafter }.
struct DocumentInfo {
  std::string id;        // "" lets the store number it ("D-12")
  std::string title;
  std::string category;  // "契約", "物品購入", ...
  int64_t amount = 0;    // yen, >= 0
  std::string division;  // "総務課"
  std::string drafter;   // 起案者: the user who submits it
};

struct RouteStep {
  std::vector<std::string> approvers;
  std::string mode = "all";  // all | any | quorum
  int quorum = 0;            // approvals needed when mode is quorum
  int due_days = 3;          // business days from activation (default 3)
  bool decides = false;      // 専決
};

struct Route {
  std::vector<RouteStep> steps;
};

inline constexpr int kMaxRouteSteps = 30;
inline constexpr int kMaxStepApprovers = 50;
inline constexpr int kMaxDueDays = 365;

// How many approvals complete the step.
int required_approvals(const RouteStep& step);

// Every mistake of a well-typed route, one message each, as "step 2: ..." or "...": an empty
// route, an empty step, an approver named twice in a step, a quorum larger than the group, a
// step that can never be reached after a deciding (専決) step, the drafter approving their own
// document, limits.
std::vector<std::string> route_problems(const Route& route, const std::string& drafter);

// The document's fields: an id (when given) without spaces or control characters, a title, a
// category, a division, a drafter and an amount >= 0. One message per mistake.
std::vector<std::string> document_problems(const DocumentInfo& doc);

// Joins problems into one invalid Status, each line "prefix: problem".
Status problems_status(const std::string& prefix, const std::vector<std::string>& problems);

}  // namespace jimu
