// SqlStore's users of the web pages, their sessions and API tokens (issue 8), in portable SQL.
// Audit entries describe a change without its secret: "password changed", never the hash.
#include <algorithm>
#include <regex>

#include "engine/core/json_writer.h"
#include "engine/store/sql_guard.h"
#include "engine/store/sql_store.h"

namespace jimu {
namespace {

constexpr const char* kUserColumns =
    "name, display_name, password_hash, roles, disabled, lang, created_at";

User user_from_row(const SqlRow& r) {
  User u;
  u.name = sql_text(r[0]);
  u.display_name = sql_text(r[1]);
  u.password_hash = sql_text(r[2]);
  u.roles = split_roles(sql_text(r[3]));
  u.disabled = sql_int(r[4]) != 0;
  u.lang = sql_text(r[5]);
  u.created_at = sql_int(r[6]);
  return u;
}

void roles_json(JsonWriter& w, const std::vector<std::string>& roles) {
  w.key("roles").begin_array();
  for (const auto& r : roles) w.value(r);
  w.end_array();
}

Status validate_lang(const std::string& lang) {
  if (lang != "ja" && lang != "en") {
    return Status::invalid("language '" + lang + "' is not one of ja, en");
  }
  return Status::ok();
}

}  // namespace

bool User::has_role(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Status validate_user_name(const std::string& name) {
  static const std::regex re("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
  if (!std::regex_match(name, re)) {
    return Status::invalid("user name '" + name +
                           "' must be 1 to 64 letters, digits, '_', '.', '@' or '-'");
  }
  return Status::ok();
}

Status validate_roles(const std::vector<std::string>& roles) {
  if (roles.empty()) {
    return Status::invalid("a user needs at least one role (clerk, author, approver, manager, "
                           "admin)");
  }
  for (const auto& r : roles) {
    const auto& known = user_roles();
    if (std::find(known.begin(), known.end(), r) == known.end()) {
      return Status::invalid("unknown role '" + r +
                             "' (clerk, author, approver, manager, admin)");
    }
  }
  return Status::ok();
}

std::vector<std::string> split_roles(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    size_t a = part.find_first_not_of(" \t");
    size_t b = part.find_last_not_of(" \t");
    if (a != std::string::npos) {
      part = part.substr(a, b - a + 1);
      if (std::find(out.begin(), out.end(), part) == out.end()) out.push_back(part);
    }
    start = end + 1;
  }
  return out;
}

std::string join_roles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ",") + r;
  return out;
}

Status SqlStore::add_user(const User& u, const std::string& actor, int64_t now_ms) {
  if (Status s = validate_user_name(u.name); !s) return s;
  if (Status s = validate_roles(u.roles); !s) return s;
  if (Status s = validate_lang(u.lang); !s) return s;
  if (u.password_hash.empty()) return Status::invalid("user " + u.name + ": no password");
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    if (!db_->query("SELECT 1 FROM users WHERE name = ?", {u.name}).empty()) {
      return Status::conflict("user " + u.name + " exists already");
    }
    db_->exec(std::string("INSERT INTO users (") + kUserColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?)",
              {u.name, u.display_name, u.password_hash, join_roles(u.roles),
               int64_t{u.disabled}, u.lang, now_ms});
    JsonWriter d;
    d.begin_object().field("display_name", u.display_name);
    roles_json(d, u.roles);
    d.field("disabled", u.disabled).end_object();
    append_audit_tx(now_ms, actor, "user.add", "user:" + u.name, d.str());
    tx.commit();
    return Status::ok();
  });
}

Status SqlStore::update_user(const std::string& name, const UserUpdate& up,
                             const std::string& actor, int64_t now_ms) {
  if (up.roles) {
    if (Status s = validate_roles(*up.roles); !s) return s;
  }
  if (up.lang) {
    if (Status s = validate_lang(*up.lang); !s) return s;
  }
  if (up.password_hash && up.password_hash->empty()) {
    return Status::invalid("user " + name + ": no password");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    if (db_->query("SELECT 1 FROM users WHERE name = ?", {name}).empty()) {
      return Status::not_found("user " + name + " does not exist");
    }
    JsonWriter d;
    d.begin_object();
    std::string action = "user.update";
    if (up.display_name) {
      db_->exec("UPDATE users SET display_name = ? WHERE name = ?", {*up.display_name, name});
      d.field("display_name", *up.display_name);
    }
    if (up.password_hash) {
      db_->exec("UPDATE users SET password_hash = ? WHERE name = ?", {*up.password_hash, name});
      d.field("password", "changed");
      action = "user.passwd";
    }
    if (up.roles) {
      db_->exec("UPDATE users SET roles = ? WHERE name = ?", {join_roles(*up.roles), name});
      roles_json(d, *up.roles);
      action = "user.role";
    }
    if (up.disabled) {
      db_->exec("UPDATE users SET disabled = ? WHERE name = ?", {int64_t{*up.disabled}, name});
      d.field("disabled", *up.disabled);
      action = *up.disabled ? "user.disable" : "user.enable";
    }
    if (up.lang) {
      db_->exec("UPDATE users SET lang = ? WHERE name = ?", {*up.lang, name});
      d.field("lang", *up.lang);
    }
    if (up.password_hash || (up.disabled && *up.disabled)) {
      // A new password or a disabled account must not leave an old login open.
      db_->exec("DELETE FROM web_sessions WHERE user_name = ?", {name});
      if (up.disabled && *up.disabled) {
        db_->exec("DELETE FROM api_tokens WHERE user_name = ?", {name});
      }
    }
    d.end_object();
    append_audit_tx(now_ms, actor, action, "user:" + name, d.str());
    tx.commit();
    return Status::ok();
  });
}

Result<std::optional<User>> SqlStore::find_user(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<User>> {
    auto rows = db_->query(std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?",
                           {name});
    if (rows.empty()) return std::optional<User>();
    return std::optional<User>(user_from_row(rows[0]));
  });
}

Result<std::vector<User>> SqlStore::list_users() {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::vector<User>> {
    std::vector<User> out;
    for (const auto& r :
         db_->query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name")) {
      out.push_back(user_from_row(r));
    }
    return out;
  });
}

Status SqlStore::create_session(const WebSession& s) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    db_->exec("INSERT INTO web_sessions (id_hash, user_name, csrf, created_at, expires_at) "
              "VALUES (?, ?, ?, ?, ?)",
              {s.id_hash, s.user, s.csrf, s.created_at, s.expires_at});
    tx.commit();
    return Status::ok();
  });
}

Result<std::optional<WebSession>> SqlStore::find_session(const std::string& id_hash,
                                                         int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<WebSession>> {
    auto rows = db_->query(
        "SELECT id_hash, user_name, csrf, created_at, expires_at FROM web_sessions "
        "WHERE id_hash = ? AND expires_at > ?",
        {id_hash, now_ms});
    if (rows.empty()) return std::optional<WebSession>();
    WebSession s;
    s.id_hash = sql_text(rows[0][0]);
    s.user = sql_text(rows[0][1]);
    s.csrf = sql_text(rows[0][2]);
    s.created_at = sql_int(rows[0][3]);
    s.expires_at = sql_int(rows[0][4]);
    return std::optional<WebSession>(s);
  });
}

Status SqlStore::delete_session(const std::string& id_hash, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Status {
    SqlWriteTransaction tx(*db_);
    db_->exec("DELETE FROM web_sessions WHERE id_hash = ? OR expires_at <= ?", {id_hash, now_ms});
    tx.commit();
    return Status::ok();
  });
}

Result<int64_t> SqlStore::add_api_token(const std::string& user, const std::string& token_hash,
                                        const std::string& actor, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<int64_t> {
    SqlWriteTransaction tx(*db_);
    if (db_->query("SELECT 1 FROM users WHERE name = ?", {user}).empty()) {
      return Status::not_found("user " + user + " does not exist");
    }
    auto rows = db_->query(
        "INSERT INTO api_tokens (token_hash, user_name, created_at) VALUES (?, ?, ?) RETURNING id",
        {token_hash, user, now_ms});
    if (rows.empty()) return Status::internal("store: no id returned for the new token");
    int64_t id = sql_int(rows[0][0]);
    JsonWriter d;
    d.begin_object().field("token", id).end_object();
    append_audit_tx(now_ms, actor, "user.token", "user:" + user, d.str());
    tx.commit();
    return id;
  });
}

Result<std::optional<std::string>> SqlStore::api_token_user(const std::string& token_hash) {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_guard([&]() -> Result<std::optional<std::string>> {
    auto rows = db_->query("SELECT user_name FROM api_tokens WHERE token_hash = ?", {token_hash});
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(sql_text(rows[0][0]));
  });
}

}  // namespace jimu
