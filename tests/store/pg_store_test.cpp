// The PostgreSQL store's own concerns: placeholders, the store url, connection errors that name
// the server, and concurrent writers on separate connections (several jimu processes or nodes):
// the audit chain never forks and a mail message is claimed once.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "engine/store/audit_chain.h"
#include "engine/store/pg_db.h"
#include "engine/store/schema.h"
#include "engine/store/store.h"
#include "tests/support/pg_server.h"
#include "tests/support/store_backend.h"

using namespace jimu;
using jimu::testing::PgServer;
using jimu::testing::TestStore;

TEST_CASE("pg: ? placeholders become $n, except inside literals, names, comments and dollar quotes",
          "[store][pg]") {
  CHECK(pg_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)") ==
        "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  CHECK(pg_placeholders("SELECT '?', 'it''s ?', \"col?\", ? -- why?\n, ? /* ? */ , ?") ==
        "SELECT '?', 'it''s ?', \"col?\", $1 -- why?\n, $2 /* ? */ , $3");
  CHECK(pg_placeholders("DO $$ BEGIN PERFORM '?'; END $$; SELECT ?") ==
        "DO $$ BEGIN PERFORM '?'; END $$; SELECT $1");
  CHECK(pg_placeholders("SELECT $body$ ? $body$, ?, '髙島屋 ～ ?'") ==
        "SELECT $body$ ? $body$, $1, '髙島屋 ～ ?'");
  CHECK(pg_placeholders("SELECT $1") == "SELECT $1");  // already numbered: left alone
}

TEST_CASE("pg: the store url names user, host, port and database; never a password",
          "[store][pg]") {
  auto o = parse_pg_url("postgresql://jimu@db.example.lg.jp:6432/jimu_prod");
  REQUIRE(o);
  CHECK(o->user == "jimu");
  CHECK(o->host == "db.example.lg.jp");
  CHECK(o->port == 6432);
  CHECK(o->dbname == "jimu_prod");
  auto d = parse_pg_url("postgres://jimu@10.0.0.5/jimu");
  REQUIRE(d);
  CHECK(d->port == 5432);

  auto pw = parse_pg_url("postgresql://jimu:secret@db:5432/jimu");
  REQUIRE_FALSE(pw);
  CHECK(pw.status().code() == Code::kInvalid);
  CHECK(pw.status().message() ==
        "store url 'postgresql://jimu:***@db...' carries a password: remove it from the url and "
        "store it with 'jimu secret set store.password'");
  CHECK(pw.status().message().find("secret@") == std::string::npos);

  auto no_user = parse_pg_url("postgresql://db:5432/jimu");
  REQUIRE_FALSE(no_user);
  CHECK(no_user.status().message() ==
        "store url 'postgresql://db:5432/jimu' is not like postgresql://USER@HOST:PORT/DATABASE");
  CHECK(parse_pg_url("postgresql://u@db:70000/jimu").status().message() ==
        "store url 'postgresql://u@db:70000/jimu': port 70000 is not between 1 and 65535");

  StoreOptions so;
  so.url = "mysql://u@db/jimu";
  auto s = open_store(so);
  REQUIRE_FALSE(s);
  CHECK(s.status().code() == Code::kInvalid);
  CHECK(s.status().message() ==
        "store url 'mysql://u@db/jimu' is neither sqlite:PATH nor "
        "postgresql://USER@HOST:PORT/DATABASE");
}

TEST_CASE("pg: a refused connection and a refused login name the server", "[store][pg]") {
  PgServer& server = PgServer::instance();
  StoreOptions so;
  // A port nobody listens on: the server's own port plus one is as good a guess as any, checked.
  int closed_port = server.port() == 65535 ? 1 : server.port() + 1;
  so.url = "postgresql://jimu@127.0.0.1:" + std::to_string(closed_port) + "/jimu";
  auto refused = open_store(so);
  REQUIRE_FALSE(refused);
  CHECK(refused.status().code() == Code::kRefused);
  CHECK(refused.status().message().rfind("store: cannot connect to PostgreSQL at 127.0.0.1:" +
                                             std::to_string(closed_port) + "/jimu as jimu: ",
                                         0) == 0);
  CHECK(refused.status().message().find("Connection refused") != std::string::npos);

  so.url = "postgresql://no_such_role@127.0.0.1:" + std::to_string(server.port()) + "/postgres";
  auto login = open_store(so);
  REQUIRE_FALSE(login);
  CHECK(login.status().code() == Code::kAuth);
  CHECK(login.status().message() ==
        "store: cannot connect to PostgreSQL at 127.0.0.1:" + std::to_string(server.port()) +
            "/postgres as no_such_role: FATAL:  role \"no_such_role\" does not exist");

  so.url = "postgresql://postgres@127.0.0.1:" + std::to_string(server.port()) + "/no_such_db";
  auto db = open_store(so);
  REQUIRE_FALSE(db);
  CHECK(db.status().code() == Code::kIo);
  CHECK(db.status().message().find("database \"no_such_db\" does not exist") != std::string::npos);
}

TEST_CASE("pg: writers on separate connections never fork the audit chain", "[store][pg]") {
  TestStore ts("postgresql");
  constexpr int kWriters = 6;
  constexpr int kEach = 40;
  // Each writer has its own connection, as another jimu process or node would have.
  std::vector<std::unique_ptr<Store>> stores;
  for (int w = 0; w < kWriters; ++w) stores.push_back(ts.open());
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      Store* store = stores[w].get();
      for (int i = 0; i < kEach; ++i) {
        RunStart s;
        s.workflow_id = "wf" + std::to_string(w);
        s.workflow_name = "口座振替 ㈱髙島屋";
        s.workflow_path = "/wf.lua";
        s.actor = "node" + std::to_string(w);
        s.owner = "node" + std::to_string(w);
        s.started_at = 1000 + i;
        auto id = store->begin_run(s);
        if (!id) {
          ++failures;
          continue;
        }
        if (!store->append_audit(2000 + i, s.actor, "note", "run:" + std::to_string(*id), "{}")) {
          ++failures;
        }
        if (!store->finish_run(*id, RunStatus::kSucceeded, i, 3000 + i, "", "", {})) ++failures;
      }
    });
  }
  for (auto& t : writers) t.join();
  CHECK(failures == 0);
  auto store = ts.open();
  auto report = verify_audit(*store);
  REQUIRE(report);
  for (const auto& p : report->problems) UNSCOPED_INFO(p.message);
  CHECK(report->ok());
  CHECK(report->entries == kWriters * kEach * 3);
  CHECK(store->run_ids()->size() == static_cast<size_t>(kWriters * kEach));
}

TEST_CASE("pg: one mail message raced by several pollers is claimed by exactly one run",
          "[store][pg][mail]") {
  TestStore ts("postgresql");
  constexpr int kPollers = 8;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kPollers; ++i) stores.push_back(ts.open());
  std::atomic<int> won{0}, conflicts{0}, other{0};
  std::vector<std::thread> pollers;
  for (int i = 0; i < kPollers; ++i) {
    pollers.emplace_back([&, i] {
      RunStart s;
      s.workflow_id = "shinsei";
      s.workflow_name = "申請受付";
      s.workflow_path = "/wf/shinsei.lua";
      s.trigger = "mail";
      s.actor = "poller";
      s.owner = "poller" + std::to_string(i);
      s.started_at = 1795000000000;
      s.mail_claim = MailClaim{"shinsei", "inbox", "INBOX", "1795466080", "7", "<m7@x>", 0};
      auto r = stores[i]->begin_run(s);
      if (r) {
        ++won;
      } else if (r.status().code() == Code::kConflict) {
        ++conflicts;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : pollers) t.join();
  CHECK(won == 1);
  CHECK(conflicts == kPollers - 1);
  CHECK(other == 0);
  CHECK(stores[0]->run_ids()->size() == 1);  // the losers left no run behind
  CHECK(verify_audit(*stores[0])->ok());
}

TEST_CASE("pg: a unique violation is reported as conflict", "[store][pg]") {
  PgOptions o = *parse_pg_url(PgServer::instance().fresh_database());
  auto db = open_pg_db(o);
  db->exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
  db->exec("INSERT INTO t (k) VALUES (?)", {std::string("髙")});
  try {
    db->exec("INSERT INTO t (k) VALUES (?)", {std::string("髙")});
    FAIL("no error");
  } catch (const SqlError& e) {
    CHECK(e.kind() == SqlError::Kind::kConflict);
    CHECK(std::string(e.what()) == "duplicate key value violates unique constraint \"t_pkey\"");
  }
  auto rows = db->query("SELECT k, NULL, 1.5, COUNT(*) FROM t GROUP BY k");
  REQUIRE(rows.size() == 1);
  CHECK(sql_text(rows[0][0]) == "髙");
  CHECK(sql_is_null(rows[0][1]));
  CHECK(sql_double(rows[0][2]) == 1.5);
  CHECK(sql_int(rows[0][3]) == 1);
  // A long-lived connection (jimu serve) must not pile up prepared statements on the server.
  for (int i = 0; i < 200; ++i) db->query("SELECT ?", {int64_t{i}});
  CHECK(sql_int(db->query("SELECT COUNT(*) FROM pg_prepared_statements")[0][0]) < 5);
}

TEST_CASE("pg: several processes opening a new database at once create the schema once",
          "[store][pg]") {
  TestStore ts("postgresql");
  constexpr int kOpeners = 4;
  std::vector<Status> opened(kOpeners, Status::internal("not run"));
  std::vector<std::thread> openers;
  for (int i = 0; i < kOpeners; ++i) {
    openers.emplace_back([&, i] {
      auto s = ts.try_open();
      opened[i] = s ? Status::ok() : s.status();
    });
  }
  for (auto& t : openers) t.join();
  for (const Status& s : opened) {
    INFO(s.to_string());
    CHECK(s.is_ok());
  }
  CHECK(ts.raw_sql("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_version") ==
        std::to_string(store_migrations().size()) + "|" +
            std::to_string(store_migrations().size()) + "\n");
}

TEST_CASE("pg: a store outlives a dropped connection: the next call connects again",
          "[store][pg]") {
  TestStore ts("postgresql");
  auto store = ts.open();
  NodeRecord n{"node-髙", "host", 1, "0.1.0", 1, 2, false};
  REQUIRE(store->node_beat(n));
  // The administrator (or a PostgreSQL restart, or a cut network) ends jimu's session.
  ts.raw_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  // The call that meets the dead connection fails, naming it; nothing half done.
  n.heartbeat_at = 3;
  Status lost = store->node_beat(n);
  CHECK(lost.code() == Code::kIo);
  CHECK_THAT(lost.message(),
             Catch::Matches("store: .*server closed the connection unexpectedly\\s*"));
  // The next one connects again and works.
  n.heartbeat_at = 4;
  REQUIRE(store->node_beat(n));
  auto nodes = store->nodes();
  REQUIRE(nodes);
  REQUIRE(nodes->size() == 1);
  CHECK((*nodes)[0].heartbeat_at == 4);
  CHECK((*nodes)[0].id == "node-髙");
}

TEST_CASE("pg: a connection cut while waiting for the write lock is opened again by the next call",
          "[store][pg]") {
  TestStore ts("postgresql");
  auto store = ts.open();
  auto holder = open_pg_db(*parse_pg_url(ts.url()));
  NodeRecord n{"node-1", "host", 1, "0.1.0", 1, 2, false};
  REQUIRE(store->node_beat(n));
  holder->begin_write();  // another writer holds the store's write lock
  Status waited;
  std::thread writer([&] { waited = store->node_beat(n); });
  // The writer's session waits on the advisory lock; the administrator ends it there.
  std::string ended;
  for (int i = 0; i < 200 && ended != "t\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ended = ts.raw_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND wait_event = 'advisory'");
  }
  writer.join();
  holder->commit();
  REQUIRE(ended == "t\n");
  CHECK(waited.code() == Code::kIo);
  n.heartbeat_at = 5;
  REQUIRE(store->node_beat(n));  // connected again, and not stuck in the failed transaction
  CHECK((*store->nodes())[0].heartbeat_at == 5);
}
