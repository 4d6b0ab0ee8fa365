#include <catch2/catch.hpp>

#include <unistd.h>

#include "engine/script/file_access.h"
#include "tests/support/temp_dir.h"

using jimu::FileAccess;
using jimu::FileAccessOptions;
using jimu::testing::TempDir;

TEST_CASE("file access: relative paths resolve against the workflow's folder", "[files]") {
  TempDir d;
  d.write("wf/in/a.csv", "x");
  FileAccess fa(FileAccessOptions{d.file("wf"), {d.file("wf")}, {}});
  auto r = fa.resolve_read("in/a.csv");
  REQUIRE(r);
  CHECK(*r == d.file("wf/in/a.csv"));
}

TEST_CASE("file access: '..' cannot climb out of an allowed folder", "[files]") {
  TempDir d;
  d.write("secret.txt", "x");
  FileAccess fa(FileAccessOptions{d.file("wf"), {d.file("wf")}, {}});
  auto r = fa.resolve_read("../secret.txt");
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == jimu::Code::kDenied);
}

TEST_CASE("file access: a symbolic link pointing outside is judged by its target", "[files]") {
  TempDir d;
  d.write("wf/ok.txt", "x");
  d.write("outside/secret.txt", "x");
  REQUIRE(symlink(d.file("outside").c_str(), d.file("wf/link").c_str()) == 0);
  FileAccess fa(FileAccessOptions{d.file("wf"), {d.file("wf")}, {}});
  CHECK(fa.resolve_read("ok.txt"));
  auto r = fa.resolve_read("link/secret.txt");
  REQUIRE_FALSE(r);
  CHECK(r.status().message() ==
        "link/secret.txt: may not read outside the folders this workflow is allowed (see [files] "
        "in jimu.conf)");
}

TEST_CASE("file access: a folder whose name extends an allowed one is not inside it", "[files]") {
  TempDir d;
  d.write("data/a.txt", "x");
  d.write("data2/b.txt", "x");
  FileAccess fa(FileAccessOptions{d.path(), {d.file("data")}, {}});
  CHECK(fa.resolve_read(d.file("data/a.txt")));
  CHECK_FALSE(fa.resolve_read(d.file("data2/b.txt")));
}

TEST_CASE("file access: writable folders are readable, readable ones are not writable", "[files]") {
  TempDir d;
  FileAccess fa(FileAccessOptions{d.path(), {d.file("in")}, {d.file("out")}});
  CHECK(fa.resolve_write(d.file("out/new.csv")));
  CHECK(fa.resolve_read(d.file("out/new.csv")));
  auto w = fa.resolve_write(d.file("in/new.csv"));
  REQUIRE_FALSE(w);
  CHECK(w.status().code() == jimu::Code::kDenied);
}
