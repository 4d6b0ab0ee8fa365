// The web pages' users as the store keeps them (issue 8): a user with their roles, a login
// session and an API token. Plain value types; hashing and checking live in engine/web
// (credentials.h): the store never sees a password, a session id or a token, only their hashes.
// Thread-safe as values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu {

// The roles, in the order they are listed. A user has one or more.
//   clerk    sees runs and their logs, the operation registry and the dashboard
//   author   (IT staff) the same; writes workflows
//   approver acts on the approval inbox
//   manager  the dashboard (KPI), runs, operations
//   admin    everything, including the audit trail's verification
inline const std::vector<std::string>& user_roles() {
  static const std::vector<std::string> roles = {"clerk", "author", "approver", "manager", "admin"};
  return roles;
}

struct User {
  std::string name;          // login name, also the approver name on routes: "kacho.tanaka"
  std::string display_name;  // "田中 課長"
  std::string password_hash; // credentials.h's encoded PBKDF2 hash
  std::vector<std::string> roles;
  bool disabled = false;
  std::string lang = "ja";   // ja | en: the pages' language
  int64_t created_at = 0;

  bool has_role(const std::string& role) const;
};

// A change to a user: each field set is changed; the rest stays.
struct UserUpdate {
  std::optional<std::string> display_name;
  std::optional<std::string> password_hash;  // also ends the user's sessions
  std::optional<std::vector<std::string>> roles;
  std::optional<bool> disabled;              // disabling also ends the user's sessions
  std::optional<std::string> lang;
};

struct WebSession {
  std::string id_hash;  // SHA-256 (hex) of the id in the cookie
  std::string user;
  std::string csrf;     // the token every form of this session carries
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

struct ApiTokenRecord {
  int64_t id = 0;
  std::string user;
  int64_t created_at = 0;
};

// Checks a user's fields before they are stored: invalid naming the field.
Status validate_user_name(const std::string& name);
Status validate_roles(const std::vector<std::string>& roles);
// "clerk,approver" <-> {"clerk", "approver"}; blanks trimmed, empties dropped.
std::vector<std::string> split_roles(const std::string& text);
std::string join_roles(const std::vector<std::string>& roles);

}  // namespace jimu
