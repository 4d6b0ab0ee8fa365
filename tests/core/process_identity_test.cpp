#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include "engine/core/process_identity.h"

using jimu::ProcessIdentity;

TEST_CASE("process identity: this process is alive and its identity round-trips as text", "[core]") {
  ProcessIdentity self = ProcessIdentity::self();
  CHECK(self.start_ticks > 0);
  ProcessIdentity parsed;
  REQUIRE(ProcessIdentity::parse(self.to_string(), &parsed));
  CHECK(parsed.pid == self.pid);
  CHECK(parsed.start_ticks == self.start_ticks);
  CHECK(jimu::process_is_alive(parsed));
}

TEST_CASE("process identity: a process that exited is not alive", "[core]") {
  pid_t child = fork();
  if (child == 0) {
    usleep(200000);
    _exit(0);
  }
  ProcessIdentity id = ProcessIdentity::of_pid(child);
  CHECK(jimu::process_is_alive(id));
  int status = 0;
  waitpid(child, &status, 0);
  CHECK_FALSE(jimu::process_is_alive(id));
}

TEST_CASE("process identity: a reused pid with another start time is not the same process", "[core]") {
  ProcessIdentity id = ProcessIdentity::self();
  id.start_ticks += 1;
  CHECK_FALSE(jimu::process_is_alive(id));
  id = ProcessIdentity::self();
  id.boot_id = "another-boot";
  CHECK_FALSE(jimu::process_is_alive(id));
}

TEST_CASE("process identity: malformed text is rejected", "[core]") {
  ProcessIdentity id;
  CHECK_FALSE(ProcessIdentity::parse("host/boot/notapid/1", &id));
  CHECK_FALSE(ProcessIdentity::parse("only-host", &id));
}
