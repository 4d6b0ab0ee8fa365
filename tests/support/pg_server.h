// PgServer: a throwaway PostgreSQL 15 for tests, started once per test process (initdb + pg_ctl
// into a temporary folder, loopback only, a free port; as the `postgres` user when the tests run
// as root) and stopped when the process ends. fresh_database() gives each test its own database.
// A missing PostgreSQL fails the test with what to install: the PostgreSQL tests are never skipped.
// Thread-safe (start and database creation under a mutex).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>

namespace jimu::testing {

class PgServer {
 public:
  static constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

  // The process's server, started on first use. Throws std::runtime_error saying what is missing.
  static PgServer& instance() {
    static PgServer server;
    return server;
  }

  // A new empty database; its url (postgresql://postgres@127.0.0.1:PORT/NAME).
  std::string fresh_database() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(++databases_);
    run(std::string(kBin) + "/createdb -h 127.0.0.1 -p " + std::to_string(port_) +
        " -U postgres -T template0 -E UTF8 --locale=C.UTF-8 " + name);
    return url(name);
  }

  // Raw SQL through psql, as an administrator with psql would do (tests that tamper or inspect).
  std::string psql(const std::string& database, const std::string& sql) {
    std::string out = dir_ + "/psql.out";
    std::ofstream(dir_ + "/psql.sql") << sql;
    run(std::string(kBin) + "/psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p " +
        std::to_string(port_) + " -U postgres -d " + database + " -f " + dir_ + "/psql.sql > " +
        out + " 2>&1");
    std::ifstream in(out);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Where psql() wrote its output (to read psql's error message after a failure).
  std::string last_output() const { return dir_ + "/psql.out"; }

  int port() const { return port_; }
  std::string url(const std::string& database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  ~PgServer() {
    if (port_ == 0) return;
    std::system((as_owner(std::string(kBin) + "/pg_ctl -D " + dir_ + "/data -m immediate stop") +
                 " >/dev/null 2>&1")
                    .c_str());
    if (!std::getenv("JIMU_KEEP_TEMP")) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

 private:
  PgServer() {
    if (!std::filesystem::exists(std::string(kBin) + "/initdb")) {
      throw std::runtime_error(
          "PostgreSQL 15 is not installed (no " + std::string(kBin) +
          "/initdb): install the Debian packages postgresql and libpq-dev ('make deps')");
    }
    std::string tmpl = (std::filesystem::temp_directory_path() / "jimu-pg-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create " + tmpl);
    dir_ = tmpl;
    if (geteuid() == 0) {
      // PostgreSQL refuses to run as root: the folder becomes the postgres user's.
      struct passwd* pw = getpwnam("postgres");
      if (!pw) throw std::runtime_error("running as root, but there is no 'postgres' user");
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        throw std::runtime_error("cannot chown " + dir_ + " to postgres");
      }
    }
    run(as_owner(std::string(kBin) + "/initdb -D " + dir_ +
                 "/data -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8") +
        " > " + dir_ + "/initdb.log 2>&1");
    // A free port: the kernel's choice for a socket bound to port 0. Another process could take
    // it before the server binds it; pg_ctl then fails and we try again.
    for (int attempt = 0;; ++attempt) {
      int port = free_port();
      std::string cmd = as_owner(std::string(kBin) + "/pg_ctl -D " + dir_ + "/data -l " + dir_ +
                                 "/server.log -w -t 30 -o \"-p " + std::to_string(port) + " -k " +
                                 dir_ + " -c listen_addresses=127.0.0.1 -c fsync=off " +
                                 "-c synchronous_commit=off -c full_page_writes=off " +
                                 "-c max_connections=200\" start") +
                        " > /dev/null 2>&1";
      if (std::system(cmd.c_str()) == 0) {
        port_ = port;
        break;
      }
      if (attempt == 4) {
        throw std::runtime_error("PostgreSQL did not start: see " + dir_ + "/server.log");
      }
    }
  }

  static int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      close(fd);
      throw std::runtime_error("cannot find a free port");
    }
    close(fd);
    return ntohs(a.sin_port);
  }

  static std::string as_owner(const std::string& cmd) {
    return geteuid() == 0 ? "runuser -u postgres -- " + cmd : cmd;
  }

  static void run(const std::string& cmd) {
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  }

  std::mutex mutex_;
  std::string dir_;
  int port_ = 0;
  int databases_ = 0;
};

}  // namespace jimu::testing
