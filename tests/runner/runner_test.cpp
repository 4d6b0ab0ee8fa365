#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>

#include "connectors/fs/fs_lua.h"
#include "engine/runner/runner.h"
#include "tests/support/temp_dir.h"

using namespace jimu;
using jimu::testing::TempDir;

namespace {

struct Fixture {
  TempDir d;
  std::unique_ptr<Store> store;
  RunnerOptions options;

  Fixture() {
    StoreOptions so;
    so.sqlite_path = d.file("jimu.db");
    store = std::move(open_sqlite_store(so)).value();
    options.store = store.get();
    options.clock = &SystemClock::instance();
    options.home_dir = d.file("home");
    options.modules = {{"fs", &open_fs_module}};
    options.actor = "tanaka";
    options.owner = "test-owner";
  }

  Result<RunOutcome> run(const std::string& source, RunRequest req = {}) {
    req.path = d.write("wf/flow.lua", source);
    req.display_path = "flow.lua";
    Runner runner(options);
    return runner.run(req);
  }
};

const char* kCounting = R"(return jimu.workflow {
  id = "count", name = "件数", params = { n = 3, label = "x" },
  run = function(ctx)
    for i = 1, ctx.params.n do ctx:processed() end
    jimu.log.info("%s: %d", ctx.params.label, ctx.params.n)
    assert(jimu.fs.write(ctx:out("result.txt"), "done " .. ctx.run_id))
  end,
})";

}  // namespace

TEST_CASE("runner: a run is recorded with its items, log and outputs", "[runner]") {
  Fixture f;
  auto o = f.run(kCounting);
  REQUIRE(o);
  CHECK(o->status == RunStatus::kSucceeded);
  CHECK(o->items == 3);
  CHECK(o->out_dir == f.d.file("home/runs/1/out"));
  CHECK(testing::read_all(o->out_dir + "/result.txt") == "done 1");
  auto run = f.store->get_run(o->run_id);
  CHECK(run->status == RunStatus::kSucceeded);
  CHECK(run->items == 3);
  CHECK(run->actor == "tanaka");
  CHECK(run->params_json == "{\"label\":\"x\",\"n\":3}");
  auto logs = f.store->run_logs(o->run_id);
  REQUIRE(logs->size() == 1);
  CHECK((*logs)[0].message == "x: 3");
}

TEST_CASE("runner: --param values take the type of the declared default", "[runner]") {
  Fixture f;
  RunRequest req;
  req.params = {{"n", "5"}, {"label", "五"}};
  auto o = f.run(kCounting, req);
  REQUIRE(o);
  CHECK(o->items == 5);
  req.params = {{"n", "five"}};
  auto bad = f.run(kCounting, req);
  REQUIRE_FALSE(bad);
  CHECK(bad.status().message() == "flow.lua:1: parameter 'n': expected a number, got 'five'");
  req.params = {{"limit", "5"}};
  bad = f.run(kCounting, req);
  CHECK(bad.status().message() == "flow.lua:1: unknown parameter 'limit' (the workflow declares: label, n)");
  CHECK(f.store->list_runs({})->size() == 1);  // invalid requests record no run
}

TEST_CASE("runner: a failing workflow is recorded failed with its error and traceback", "[runner]") {
  Fixture f;
  auto o = f.run("return jimu.workflow { id = 'f', name = 'f', run = function(ctx)\n"
                 "  ctx:processed(2)\n  error('口座番号が不正です')\nend }");
  REQUIRE(o);
  CHECK(o->status == RunStatus::kFailed);
  CHECK(o->items == 2);
  CHECK(o->error == "flow.lua:3: 口座番号が不正です");
  auto run = f.store->get_run(o->run_id);
  CHECK(run->error == "flow.lua:3: 口座番号が不正です");
  CHECK(run->traceback.find("stack traceback:") != std::string::npos);
}

TEST_CASE("runner: a workflow naming an unregistered operation does not run", "[runner]") {
  Fixture f;
  auto o = f.run("return jimu.workflow { id = 'a', name = 'a',\n  operation = 'GYO-999',\n"
                 "  run = function() end }");
  REQUIRE_FALSE(o);
  CHECK(o.status().code() == Code::kInvalid);
  CHECK(o.status().message() ==
        "flow.lua:2: operation 'GYO-999' is not registered (register it first: jimu operations "
        "add GYO-999 --name ... --division ... --kind rpa)");
  CHECK(f.store->list_runs({})->empty());
}

TEST_CASE("runner: the workflow's timeout stops it and the run fails with the reason", "[runner]") {
  Fixture f;
  auto o = f.run("return jimu.workflow { id = 'slow', name = 's', timeout = 0.3,\n"
                 "  run = function(ctx) ctx:processed(1) while true do end end }");
  REQUIRE(o);
  CHECK(o->status == RunStatus::kFailed);
  CHECK(o->error == "run stopped: time limit of 0.3 s exceeded");
  CHECK(o->items == 1);
}

TEST_CASE("runner: heartbeats put items and log lines in the store while the run goes on", "[runner]") {
  Fixture f;
  f.options.heartbeat_ms = 50;
  std::thread watcher;
  int64_t seen_items = -1;
  size_t seen_logs = 0;
  watcher = std::thread([&] {
    for (int i = 0; i < 100 && seen_items != 7; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      auto runs = f.store->list_runs({});
      if (runs && !runs->empty() && (*runs)[0].status == RunStatus::kRunning) {
        seen_items = (*runs)[0].items;
        seen_logs = f.store->run_logs((*runs)[0].id)->size();
      }
    }
  });
  auto o = f.run("return jimu.workflow { id = 'hb', name = 'h', run = function(ctx)\n"
                 "  ctx:processed(7) jimu.log.info('started')\n"
                 "  local t = os.clock() while os.clock() - t < 1.5 do end end }");
  watcher.join();
  REQUIRE(o);
  CHECK(seen_items == 7);
  CHECK(seen_logs == 1);
}

TEST_CASE("runner: log lines beyond the limit are counted, not stored", "[runner]") {
  Fixture f;
  f.options.max_log_lines = 3;
  auto o = f.run("return jimu.workflow { id = 'l', name = 'l', run = function()\n"
                 "  for i = 1, 10 do jimu.log.info('line %d', i) end end }");
  REQUIRE(o);
  auto logs = f.store->run_logs(o->run_id);
  REQUIRE(logs->size() == 4);
  CHECK((*logs)[2].message == "line 3");
  CHECK((*logs)[3].message == "7 more log lines were not stored (limit 3 per run)");
}

TEST_CASE("runner: a dry run writes to the scratch folder and nowhere else", "[runner]") {
  Fixture f;
  f.options.write_roots = {f.d.file("shared")};
  RunRequest req;
  req.dry_run = true;
  auto o = f.run(R"(return jimu.workflow { id = 'd', name = 'd', run = function(ctx)
    assert(ctx.dry_run)
    assert(jimu.fs.write(ctx:out("a.txt"), "x"))
    local ok, msg, code = jimu.fs.write("../shared/b.txt", "x")
    assert(code == "denied", msg)
  end })", req);
  REQUIRE(o);
  CHECK(o->status == RunStatus::kSucceeded);
  CHECK(o->out_dir == f.d.file("home/scratch/1/out"));
  CHECK(std::filesystem::exists(o->out_dir + "/a.txt"));
  CHECK(f.store->get_run(o->run_id)->dry_run);
}

TEST_CASE("runner: cancel stops the current run", "[runner]") {
  Fixture f;
  Runner runner(f.options);
  RunRequest req;
  req.path = f.d.write("wf/spin.lua", "return jimu.workflow { id = 's', name = 's', run = function() while true do end end }");
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    runner.cancel("cancelled by SIGTERM");
  });
  auto o = runner.run(req);
  canceller.join();
  REQUIRE(o);
  CHECK(o->status == RunStatus::kFailed);
  CHECK(o->error == "run stopped: cancelled by SIGTERM");
}

TEST_CASE("runner: check reports every problem without recording a run", "[runner]") {
  Fixture f;
  Runner runner(f.options);
  auto path = f.d.write("wf/bad.lua", "return jimu.workflow { id = 'b', name = 'b',\n"
                                      "  operation = 'GYO-1', colour = 'red',\n  run = function() end }");
  auto problems = runner.check(path, "bad.lua");
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].to_string() == "bad.lua:2: unknown key 'colour' in workflow");
  CHECK(problems[1].to_string().rfind("bad.lua:2: operation 'GYO-1' is not registered", 0) == 0);
  CHECK(f.store->list_runs({})->empty());
}

TEST_CASE("runner: check stops a file whose top level never ends", "[runner]") {
  Fixture f;
  f.options.check_timeout_s = 0.2;
  Runner runner(f.options);
  auto path = f.d.write("wf/loop.lua", "while true do end");
  auto problems = runner.check(path, "loop.lua");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].to_string() == "loop.lua: run stopped: time limit of 0.2 s exceeded");
}
