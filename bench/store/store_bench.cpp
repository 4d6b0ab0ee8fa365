// Runs recorded per second: begin_run + finish_run (two durable commits, each with its audit
// entry), as `jimu run` and the scheduler record every run, on the store a url names.
// Usage: store_bench URL RUNS [WRITERS]   (each writer its own connection, as separate nodes)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "engine/store/audit_chain.h"
#include "engine/store/store.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: store_bench URL RUNS [WRITERS]\n");
    return 2;
  }
  jimu::StoreOptions o;
  o.url = argv[1];
  int runs = std::atoi(argv[2]);
  int writers = argc > 3 ? std::atoi(argv[3]) : 1;
  std::vector<std::unique_ptr<jimu::Store>> stores;
  for (int w = 0; w < writers; ++w) {
    auto s = jimu::open_store(o);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.status().to_string().c_str());
      return 1;
    }
    stores.push_back(std::move(s).value());
  }
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < runs / writers; ++i) {
        jimu::RunStart s;
        s.workflow_id = "bench";
        s.workflow_name = "bench";
        s.workflow_path = "/bench.lua";
        s.actor = "bench";
        s.owner = "bench/" + std::to_string(w);
        s.started_at = 1790000000000 + i;
        auto id = stores[w]->begin_run(s);
        if (!id) std::abort();
        if (!stores[w]->finish_run(*id, jimu::RunStatus::kSucceeded, 1, s.started_at + 1, "", "",
                                   {})) {
          std::abort();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int done = runs / writers * writers;
  auto audit = jimu::verify_audit(*stores[0]);
  std::printf("%s writers=%d runs=%d: %.2f s, %.0f runs/s, audit %s\n", argv[1], writers, done, s,
              done / s, audit && audit->ok() ? "intact" : "BROKEN");
  return 0;
}
