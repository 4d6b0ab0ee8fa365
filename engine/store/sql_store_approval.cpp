// SqlStore's approval section: the records of the approval router in portable SQL (the same
// statements on SQLite and PostgreSQL). Decisions are committed durably, several at once when
// several arrive together (approval_update's group commit), each isolated by a savepoint.
#include <set>

#include "engine/core/json_writer.h"
#include "engine/store/sql_guard.h"
#include "engine/store/sql_store.h"

namespace jimu {
namespace {

constexpr const char* kDocumentColumns =
    "id, title, category, amount, division, drafter, state, current_step, rule, handler, "
    "created_at, updated_at, finished_at";

ApprovalDocument document_from_row(const SqlRow& r) {
  ApprovalDocument d;
  d.id = sql_text(r[0]);
  d.title = sql_text(r[1]);
  d.category = sql_text(r[2]);
  d.amount = sql_int(r[3]);
  d.division = sql_text(r[4]);
  d.drafter = sql_text(r[5]);
  d.state = sql_text(r[6]);
  d.current_step = static_cast<int>(sql_int(r[7]));
  d.rule = sql_text(r[8]);
  d.handler = sql_text(r[9]);
  d.created_at = sql_int(r[10]);
  d.updated_at = sql_int(r[11]);
  if (!sql_is_null(r[12])) d.finished_at = sql_int(r[12]);
  return d;
}

SqlValue opt_int(const std::optional<int64_t>& v) { return v ? SqlValue(*v) : SqlValue(SqlNull{}); }

std::string placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
  return s;
}

}  // namespace

std::optional<ApprovalDocument> SqlStore::load_approval_tx(const std::string& id) {
  auto rows = db_->query(std::string("SELECT ") + kDocumentColumns +
                             " FROM approval_documents WHERE id = ?",
                         {id});
  if (rows.empty()) return std::nullopt;
  ApprovalDocument d = document_from_row(rows[0]);
  // Steps and their approvers in one query (a step always has approvers).
  for (const auto& r : db_->query(
           "SELECT s.step_no, s.mode, s.required, s.due_days, s.decides, s.state, s.activation, "
           "s.activated_at, s.due_date, a.approver, a.decision, a.pending "
           "FROM approval_steps s JOIN approval_assignees a "
           "ON a.document_id = s.document_id AND a.step_no = s.step_no "
           "WHERE s.document_id = ? ORDER BY s.step_no, a.position",
           {id})) {
    int step_no = static_cast<int>(sql_int(r[0]));
    if (d.steps.empty() || d.steps.back().step_no != step_no) {
      ApprovalStep s;
      s.step_no = step_no;
      s.mode = sql_text(r[1]);
      s.required = static_cast<int>(sql_int(r[2]));
      s.due_days = static_cast<int>(sql_int(r[3]));
      s.decides = sql_int(r[4]) != 0;
      s.state = sql_text(r[5]);
      s.activation = static_cast<int>(sql_int(r[6]));
      s.activated_at = sql_int(r[7]);
      s.due_date = sql_text(r[8]);
      d.steps.push_back(std::move(s));
    }
    d.steps.back().assignees.push_back({sql_text(r[9]), sql_text(r[10]), sql_int(r[11]) != 0});
  }
  return d;
}

void SqlStore::insert_approval_event_tx(const ApprovalDocument& doc, ApprovalEvent e) {
  auto rows = db_->query(
      "SELECT COALESCE(MAX(seq), 0) FROM approval_history WHERE document_id = ?", {doc.id});
  e.seq = (rows.empty() ? 0 : sql_int(rows[0][0])) + 1;
  db_->exec(
      "INSERT INTO approval_history (document_id, seq, at, actor, on_behalf_of, capacity, action, "
      "step_no, target_step, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {doc.id, e.seq, e.at, e.actor, e.on_behalf_of, e.capacity, e.action, int64_t{e.step_no},
       int64_t{e.target_step}, e.comment});
  JsonWriter d;
  d.begin_object().field("step", e.step_no);
  if (!e.on_behalf_of.empty()) {
    d.field("on_behalf_of", e.on_behalf_of).field("capacity", e.capacity);
  }
  if (e.target_step >= 0) d.field("to_step", e.target_step);
  if (!e.comment.empty()) d.field("comment", e.comment);
  d.field("state", doc.state);
  if (e.action == "submit") {
    d.field("title", doc.title)
        .field("category", doc.category)
        .field("amount", doc.amount)
        .field("division", doc.division)
        .field("steps", static_cast<int64_t>(doc.steps.size()));
  }
  d.end_object();
  append_audit_tx(e.at, e.actor, "approval." + e.action, "approval:" + doc.id, d.str());
}

void SqlStore::write_approval_tx(const ApprovalDocument& before, const ApprovalDocument& after,
                                 const ApprovalChanges& changes) {
  db_->exec(
      "UPDATE approval_documents SET state = ?, current_step = ?, updated_at = ?, finished_at = ? "
      "WHERE id = ?",
      {after.state, int64_t{after.current_step}, after.updated_at, opt_int(after.finished_at),
       after.id});
  for (size_t i = 0; i < after.steps.size() && i < before.steps.size(); ++i) {
    const ApprovalStep& a = after.steps[i];
    const ApprovalStep& b = before.steps[i];
    if (a.state != b.state || a.activation != b.activation || a.activated_at != b.activated_at ||
        a.due_date != b.due_date) {
      db_->exec(
          "UPDATE approval_steps SET state = ?, activation = ?, activated_at = ?, due_date = ? "
          "WHERE document_id = ? AND step_no = ?",
          {a.state, int64_t{a.activation}, a.activated_at, a.due_date, after.id,
           int64_t{a.step_no}});
    }
    for (size_t j = 0; j < a.assignees.size() && j < b.assignees.size(); ++j) {
      if (a.assignees[j] == b.assignees[j]) continue;
      db_->exec(
          "UPDATE approval_assignees SET decision = ?, pending = ? "
          "WHERE document_id = ? AND step_no = ? AND position = ?",
          {a.assignees[j].decision, int64_t{a.assignees[j].pending}, after.id,
           int64_t{a.step_no}, static_cast<int64_t>(j + 1)});
    }
  }
  for (const ApprovalEvent& e : changes.events) insert_approval_event_tx(after, e);
  for (const ApprovalAfterReview& r : changes.after_reviews) {
    db_->exec(
        "INSERT INTO approval_after_reviews (document_id, step_no, absent, decided_by, action, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {after.id, int64_t{r.step_no}, r.absent, r.decided_by, r.action, r.at});
  }
}

Result<std::string> SqlStore::approval_create(const ApprovalDocument& doc,
                                              const ApprovalEvent& submitted) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::string> {
    SqlWriteTransaction tx(*db_);
    ApprovalDocument d = doc;
    if (d.id.empty()) {
      auto rows = db_->query("SELECT COUNT(*) FROM approval_documents");
      int64_t n = rows.empty() ? 1 : sql_int(rows[0][0]) + 1;
      for (;; ++n) {
        d.id = "D-" + std::to_string(n);
        if (db_->query("SELECT 1 FROM approval_documents WHERE id = ?", {d.id}).empty()) break;
      }
    } else if (!db_->query("SELECT 1 FROM approval_documents WHERE id = ?", {d.id}).empty()) {
      return Status::conflict("document " + d.id + " already exists");
    }
    db_->exec(std::string("INSERT INTO approval_documents (") + kDocumentColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {d.id, d.title, d.category, d.amount, d.division, d.drafter, d.state,
               int64_t{d.current_step}, d.rule, d.handler, d.created_at, d.updated_at,
               opt_int(d.finished_at)});
    for (const ApprovalStep& s : d.steps) {
      db_->exec(
          "INSERT INTO approval_steps (document_id, step_no, mode, required, due_days, decides, "
          "state, activation, activated_at, due_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {d.id, int64_t{s.step_no}, s.mode, int64_t{s.required}, int64_t{s.due_days},
           int64_t{s.decides}, s.state, int64_t{s.activation}, s.activated_at, s.due_date});
      int64_t position = 0;
      for (const ApprovalAssignee& a : s.assignees) {
        db_->exec(
            "INSERT INTO approval_assignees (document_id, step_no, position, approver, decision, "
            "pending) VALUES (?, ?, ?, ?, ?, ?)",
            {d.id, int64_t{s.step_no}, ++position, a.approver, a.decision, int64_t{a.pending}});
      }
    }
    insert_approval_event_tx(d, submitted);
    tx.commit();
    return d.id;
  });
}

Result<std::vector<Status>> SqlStore::approval_update(const std::vector<ApprovalUpdate>& updates) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<Status>> {
    std::vector<Status> out;
    out.reserve(updates.size());
    SqlWriteTransaction tx(*db_);
    // A change edits only the copy in memory; the writes follow once it succeeded, so a refused
    // change leaves nothing behind without a savepoint. A store error during the writes rolls
    // the whole batch back (and fails it).
    for (const ApprovalUpdate& u : updates) {
      std::optional<ApprovalDocument> before = load_approval_tx(u.document_id);
      if (!before) {
        out.push_back(Status::not_found("document " + u.document_id + " does not exist"));
        continue;
      }
      ApprovalDocument after = *before;
      ApprovalChanges changes;
      Status status = u.change(after, changes);
      if (status) write_approval_tx(*before, after, changes);
      out.push_back(std::move(status));
    }
    tx.commit();
    return out;
  });
}

Result<std::optional<ApprovalDocument>> SqlStore::approval_document(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<ApprovalDocument>> { return load_approval_tx(id); });
}

Result<std::vector<ApprovalEvent>> SqlStore::approval_history(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<ApprovalEvent>> {
    std::vector<ApprovalEvent> out;
    for (const auto& r : db_->query(
             "SELECT seq, at, actor, on_behalf_of, capacity, action, step_no, target_step, comment "
             "FROM approval_history WHERE document_id = ? ORDER BY seq",
             {id})) {
      ApprovalEvent e;
      e.seq = sql_int(r[0]);
      e.at = sql_int(r[1]);
      e.actor = sql_text(r[2]);
      e.on_behalf_of = sql_text(r[3]);
      e.capacity = sql_text(r[4]);
      e.action = sql_text(r[5]);
      e.step_no = static_cast<int>(sql_int(r[6]));
      e.target_step = static_cast<int>(sql_int(r[7]));
      e.comment = sql_text(r[8]);
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<std::vector<ApprovalDocument>> SqlStore::approval_documents(const ApprovalFilter& f) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<ApprovalDocument>> {
    std::string sql = "SELECT id FROM approval_documents";
    std::vector<SqlValue> params;
    if (f.state) {
      sql += " WHERE state = ?";
      params.emplace_back(*f.state);
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
    params.emplace_back(int64_t{f.limit});
    std::vector<ApprovalDocument> out;
    for (const auto& r : db_->query(sql, params)) {
      if (auto d = load_approval_tx(sql_text(r[0]))) out.push_back(std::move(*d));
    }
    return out;
  });
}

Result<std::vector<ApprovalInboxItem>> SqlStore::approval_inbox(
    const std::vector<std::string>& users, int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<ApprovalInboxItem>> {
    std::vector<ApprovalInboxItem> out;
    if (users.empty()) return out;
    std::vector<SqlValue> params(users.begin(), users.end());
    params.emplace_back(int64_t{limit});
    for (const auto& r : db_->query(
             "SELECT d.id, d.title, d.category, d.amount, d.division, d.drafter, a.step_no, "
             "s.due_date, a.approver "
             "FROM approval_assignees a "
             "JOIN approval_documents d ON d.id = a.document_id "
             "JOIN approval_steps s ON s.document_id = a.document_id AND s.step_no = a.step_no "
             "WHERE a.approver IN (" + placeholders(users.size()) + ") AND a.pending = 1 "
             "ORDER BY s.due_date, d.id LIMIT ?",
             params)) {
      out.push_back({sql_text(r[0]), sql_text(r[1]), sql_text(r[2]), sql_int(r[3]),
                     sql_text(r[4]), sql_text(r[5]), static_cast<int>(sql_int(r[6])),
                     sql_text(r[7]), sql_text(r[8]), "approve"});
    }
    for (const auto& r : db_->query(
             "SELECT id, title, category, amount, division, drafter FROM approval_documents "
             "WHERE drafter = ? AND state = 'sent_back' ORDER BY id LIMIT ?",
             {users[0], int64_t{limit}})) {
      out.push_back({sql_text(r[0]), sql_text(r[1]), sql_text(r[2]), sql_int(r[3]),
                     sql_text(r[4]), sql_text(r[5]), 0, "", users[0], "resubmit"});
    }
    return out;
  });
}

Result<int64_t> SqlStore::approval_add_delegation(const ApprovalDelegation& d,
                                                  const std::string& actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<int64_t> {
    SqlWriteTransaction tx(*db_);
    auto rows = db_->query(
        "INSERT INTO approval_delegations (delegator, proxy, from_day, until_day, created_at) "
        "VALUES (?, ?, ?, ?, ?) RETURNING id",
        {d.delegator, d.proxy, d.from_day, d.until_day, d.created_at});
    if (rows.empty()) return Status::internal("store: no id returned for the new delegation");
    int64_t id = sql_int(rows[0][0]);
    JsonWriter w;
    w.begin_object()
        .field("delegator", d.delegator)
        .field("proxy", d.proxy)
        .field("from", d.from_day)
        .field("until", d.until_day)
        .end_object();
    append_audit_tx(d.created_at, actor, "approval.delegate", "delegation:" + std::to_string(id),
                    w.str());
    tx.commit();
    return id;
  });
}

Result<std::vector<ApprovalDelegation>> SqlStore::approval_delegations(const std::string& user) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<ApprovalDelegation>> {
    std::string sql =
        "SELECT id, delegator, proxy, from_day, until_day, created_at FROM approval_delegations";
    std::vector<SqlValue> params;
    if (!user.empty()) {
      sql += " WHERE proxy = ? OR delegator = ?";
      params = {user, user};
    }
    sql += " ORDER BY id";
    std::vector<ApprovalDelegation> out;
    for (const auto& r : db_->query(sql, params)) {
      out.push_back({sql_int(r[0]), sql_text(r[1]), sql_text(r[2]), sql_text(r[3]),
                     sql_text(r[4]), sql_int(r[5])});
    }
    return out;
  });
}

Result<std::vector<ApprovalAfterReview>> SqlStore::approval_after_reviews(
    const std::string& user, const std::string& document_id, bool include_acknowledged) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<ApprovalAfterReview>> {
    std::string sql =
        "SELECT r.id, r.document_id, d.title, r.step_no, r.absent, r.decided_by, r.action, r.at, "
        "r.acknowledged_at FROM approval_after_reviews r "
        "JOIN approval_documents d ON d.id = r.document_id WHERE 1 = 1";
    std::vector<SqlValue> params;
    if (!user.empty()) {
      sql += " AND r.absent = ?";
      params.emplace_back(user);
    }
    if (!document_id.empty()) {
      sql += " AND r.document_id = ?";
      params.emplace_back(document_id);
    }
    if (!include_acknowledged) sql += " AND r.acknowledged_at IS NULL";
    sql += " ORDER BY r.id";
    std::vector<ApprovalAfterReview> out;
    for (const auto& r : db_->query(sql, params)) {
      ApprovalAfterReview a;
      a.id = sql_int(r[0]);
      a.document_id = sql_text(r[1]);
      a.title = sql_text(r[2]);
      a.step_no = static_cast<int>(sql_int(r[3]));
      a.absent = sql_text(r[4]);
      a.decided_by = sql_text(r[5]);
      a.action = sql_text(r[6]);
      a.at = sql_int(r[7]);
      if (!sql_is_null(r[8])) a.acknowledged_at = sql_int(r[8]);
      out.push_back(std::move(a));
    }
    return out;
  });
}

Result<int> SqlStore::approval_acknowledge(const std::string& document_id, const std::string& user,
                                           int64_t at) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<int> {
    SqlWriteTransaction tx(*db_);
    auto rows = db_->query(
        "SELECT id FROM approval_after_reviews "
        "WHERE document_id = ? AND absent = ? AND acknowledged_at IS NULL ORDER BY id",
        {document_id, user});
    if (rows.empty()) return 0;
    db_->exec(
        "UPDATE approval_after_reviews SET acknowledged_at = ? "
        "WHERE document_id = ? AND absent = ? AND acknowledged_at IS NULL",
        {at, document_id, user});
    JsonWriter w;
    w.begin_object().key("after_reviews").begin_array();
    for (const auto& r : rows) w.value(sql_int(r[0]));
    w.end_array().end_object();
    append_audit_tx(at, user, "approval.acknowledge", "approval:" + document_id, w.str());
    tx.commit();
    return static_cast<int>(rows.size());
  });
}

Result<std::vector<ApprovalOverdueStep>> SqlStore::approval_overdue_steps(const std::string& today) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<ApprovalOverdueStep>> {
    std::vector<ApprovalOverdueStep> out;
    for (const auto& r : db_->query(
             "SELECT s.document_id, d.title, s.step_no, s.activation, s.due_date "
             "FROM approval_steps s JOIN approval_documents d ON d.id = s.document_id "
             "WHERE s.state = 'active' AND s.due_date < ? ORDER BY s.due_date, s.document_id",
             {today})) {
      ApprovalOverdueStep o;
      o.document_id = sql_text(r[0]);
      o.title = sql_text(r[1]);
      o.step_no = static_cast<int>(sql_int(r[2]));
      o.activation = static_cast<int>(sql_int(r[3]));
      o.due_date = sql_text(r[4]);
      for (const auto& a : db_->query(
               "SELECT approver FROM approval_assignees "
               "WHERE document_id = ? AND step_no = ? AND pending = 1 ORDER BY position",
               {o.document_id, int64_t{o.step_no}})) {
        o.pending.push_back(sql_text(a[0]));
      }
      out.push_back(std::move(o));
    }
    return out;
  });
}

Result<bool> SqlStore::approval_add_notice(const ApprovalNotice& n) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<bool> {
    SqlWriteTransaction tx(*db_);
    if (!db_->query("SELECT 1 FROM approval_notices "
                    "WHERE document_id = ? AND step_no = ? AND activation = ? AND kind = ?",
                    {n.document_id, int64_t{n.step_no}, int64_t{n.activation}, n.kind})
             .empty()) {
      return false;
    }
    db_->exec(
        "INSERT INTO approval_notices (document_id, step_no, activation, kind, due_date, "
        "recipients, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {n.document_id, int64_t{n.step_no}, int64_t{n.activation}, n.kind, n.due_date,
         n.recipients, n.at});
    JsonWriter w;
    w.begin_object()
        .field("step", n.step_no)
        .field("due_date", n.due_date)
        .field("recipients", n.recipients)
        .end_object();
    append_audit_tx(n.at, "jimu", "approval." + n.kind, "approval:" + n.document_id, w.str());
    tx.commit();
    return true;
  });
}

Result<std::vector<ApprovalNotice>> SqlStore::approval_notices(int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<ApprovalNotice>> {
    std::vector<ApprovalNotice> out;
    for (const auto& r : db_->query(
             "SELECT document_id, step_no, activation, kind, due_date, recipients, at "
             "FROM approval_notices ORDER BY at DESC, document_id, step_no, kind LIMIT ?",
             {int64_t{limit}})) {
      out.push_back({sql_text(r[0]), static_cast<int>(sql_int(r[1])),
                     static_cast<int>(sql_int(r[2])), sql_text(r[3]), sql_text(r[4]),
                     sql_text(r[5]), sql_int(r[6])});
    }
    return out;
  });
}

}  // namespace jimu
