// Users, sessions and API tokens in the store (migration 6).
#include <catch2/catch.hpp>

#include "engine/store/audit_chain.h"
#include "engine/store/store.h"
#include "tests/support/temp_dir.h"

using namespace jimu;

namespace {

std::unique_ptr<Store> open_store(const jimu::testing::TempDir& dir) {
  StoreOptions o;
  o.sqlite_path = dir.file("jimu.db");
  auto s = open_sqlite_store(o);
  REQUIRE(s);
  return std::move(s).value();
}

User user(const std::string& name, const std::string& roles) {
  User u;
  u.name = name;
  u.display_name = "髙橋 ㈱①";
  u.password_hash = "pbkdf2-sha256$1000$00$00";
  u.roles = split_roles(roles);
  return u;
}

}  // namespace

TEST_CASE("store users: a user is added once, with valid roles, and every change is audited",
          "[store]") {
  jimu::testing::TempDir dir;
  auto store = open_store(dir);
  REQUIRE(store->add_user(user("kacho.tanaka", "approver, manager"), "root", 1000));
  Status again = store->add_user(user("kacho.tanaka", "clerk"), "root", 1000);
  CHECK(again.code() == Code::kConflict);
  CHECK(again.message() == "user kacho.tanaka exists already");
  Status role = store->add_user(user("x", "clerk,boss"), "root", 1000);
  CHECK(role.code() == Code::kInvalid);
  CHECK(role.message() == "unknown role 'boss' (clerk, author, approver, manager, admin)");
  CHECK(store->add_user(user("x", ""), "root", 1000).message() ==
        "a user needs at least one role (clerk, author, approver, manager, admin)");
  CHECK(store->add_user(user("<b>", "clerk"), "root", 1000).message() ==
        "user name '<b>' must be 1 to 64 letters, digits, '_', '.', '@' or '-'");
  auto u = *store->find_user("kacho.tanaka");
  REQUIRE(u);
  CHECK(u->roles == std::vector<std::string>{"approver", "manager"});
  CHECK(u->display_name == "髙橋 ㈱①");
  CHECK(u->lang == "ja");

  UserUpdate up;
  up.roles = std::vector<std::string>{"admin"};
  REQUIRE(store->update_user("kacho.tanaka", up, "root", 2000));
  CHECK((*store->find_user("kacho.tanaka"))->roles == std::vector<std::string>{"admin"});
  CHECK(store->update_user("nobody", up, "root", 2000).code() == Code::kNotFound);

  std::vector<std::string> actions;
  REQUIRE(store->scan_audit([&](const AuditEntry& e) {
    actions.push_back(e.action + " " + e.subject);
    CHECK(e.detail.find("pbkdf2") == std::string::npos);  // never the hash
    return true;
  }));
  CHECK(actions == std::vector<std::string>{"user.add user:kacho.tanaka",
                                            "user.role user:kacho.tanaka"});
  CHECK(verify_audit(*store)->ok());
}

TEST_CASE("store users: sessions expire, and a new password ends them", "[store]") {
  jimu::testing::TempDir dir;
  auto store = open_store(dir);
  REQUIRE(store->add_user(user("somu", "clerk"), "root", 0));
  REQUIRE(store->create_session({"h1", "somu", "c1", 0, 1000}));
  REQUIRE(store->create_session({"h2", "somu", "c2", 0, 5000}));
  CHECK((*store->find_session("h1", 999))->csrf == "c1");
  CHECK(!*store->find_session("h1", 1000));
  REQUIRE(store->delete_session("h-none", 2000));  // drops the expired h1 too
  CHECK(*store->find_session("h2", 2000));
  UserUpdate up;
  up.password_hash = "pbkdf2-sha256$1000$01$01";
  REQUIRE(store->update_user("somu", up, "root", 2000));
  CHECK(!*store->find_session("h2", 2000));
}

TEST_CASE("store users: an API token names its user; disabling revokes it", "[store]") {
  jimu::testing::TempDir dir;
  auto store = open_store(dir);
  REQUIRE(store->add_user(user("somu", "clerk"), "root", 0));
  CHECK(store->add_api_token("nobody", "t0", "root", 0).status().code() == Code::kNotFound);
  REQUIRE(store->add_api_token("somu", "t1", "root", 0));
  CHECK(**store->api_token_user("t1") == "somu");
  CHECK(!*store->api_token_user("t2"));
  UserUpdate off;
  off.disabled = true;
  REQUIRE(store->update_user("somu", off, "root", 1));
  CHECK(!*store->api_token_user("t1"));
  CHECK((*store->find_user("somu"))->disabled);
}
