#include "cli/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <regex>
#include <vector>

#include "cli/app.h"

namespace jimu::cli {

bool valid_secret_name(const std::string& name) {
  static const std::regex re("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  return std::regex_match(name, re);
}

Result<std::map<std::string, std::string>> read_secrets(const std::string& path) {
  std::map<std::string, std::string> out;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return out;
    return Status::io(path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::denied(path + ": group or others may read the secrets file (mode " + mode +
                          "); jimu will not use it until you run: chmod 600 " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io(path + ": cannot read");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos || !valid_secret_name(line.substr(0, eq))) {
      return Status::parse(path + ":" + std::to_string(n) + ": expected NAME=value");
    }
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

Status write_secrets(const std::string& path, const std::map<std::string, std::string>& secrets) {
  std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::io(tmp + ": cannot create: " + std::strerror(errno));
  std::string text;
  for (const auto& [k, v] : secrets) text += k + "=" + v + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::io(path + ": cannot write the secrets file");
  }
  return Status::ok();
}

namespace {

const CmdSpec kSetSpec = {
    "secret set",
    "NAME",
    "Stores a secret, e.g. the password of the mail account [mail.inbox] as mail.inbox.\n"
    "The value is read from standard input: typed without echo at a terminal, or piped.",
    {},
    "Example:\n  jimu secret set mail.inbox\n  printf '%s' \"$PW\" | jimu secret set mail.inbox",
    1,
    1};
const CmdSpec kListSpec = {
    "secret list", "", "Lists the names of the stored secrets (never the values).", {}, "", 0, 0};
const CmdSpec kRemoveSpec = {"secret remove", "NAME", "Removes a stored secret.", {}, "", 1, 1};

const char* kUsage =
    "usage: jimu secret set|list|remove ...\n\n"
    "  set NAME        store a secret read from standard input (mail.ACCOUNT for a mail password)\n"
    "  list            list the names of the stored secrets\n"
    "  remove NAME     remove a secret\n\n"
    "Secrets live in HOME/secrets (mode 0600), never in jimu.conf, workflows, logs or the store.\n";

std::string read_value() {
  std::string value;
  if (::isatty(0)) {
    std::cerr << "value (not shown): " << std::flush;
    struct termios old_t;
    bool have = ::tcgetattr(0, &old_t) == 0;
    if (have) {
      struct termios t = old_t;
      t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(0, TCSANOW, &t);
    }
    std::getline(std::cin, value);
    if (have) ::tcsetattr(0, TCSANOW, &old_t);
    std::cerr << "\n";
  } else {
    value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (!value.empty() && value.back() == '\n') value.pop_back();
    if (!value.empty() && value.back() == '\r') value.pop_back();
  }
  return value;
}

int with_secrets(const CmdSpec& spec, const std::vector<std::string>& argv,
                 int (*action)(const Args&, const std::string&,
                               std::map<std::string, std::string>&)) {
  int code = 0;
  auto args = parse_or_exit(spec, argv, &code);
  if (!args) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  std::string path = (*app)->home + "/secrets";
  auto secrets = read_secrets(path);
  if (!secrets) return fail(secrets.status());
  return action(*args, path, *secrets);
}

}  // namespace

int cmd_secret(const std::vector<std::string>& argv) {
  auto set = [](const std::vector<std::string>& rest) {
    return with_secrets(
        kSetSpec, rest,
        [](const Args& a, const std::string& path, std::map<std::string, std::string>& s) {
          const std::string& name = a.positional[0];
          if (!valid_secret_name(name)) {
            return fail(
                "secret set: '" + name + "' is not a valid name (letters, digits, '.', '-', '_')",
                kExitUsage);
          }
          std::string value = read_value();
          if (value.empty()) return fail("secret set: empty value; nothing stored", kExitUsage);
          if (value.find('\n') != std::string::npos) {
            return fail("secret set: a secret may not contain a line break", kExitUsage);
          }
          s[name] = value;
          if (Status st = write_secrets(path, s); !st) return fail(st);
          std::cout << "stored secret " << name << "\n";
          return kExitOk;
        });
  };
  auto list = [](const std::vector<std::string>& rest) {
    return with_secrets(kListSpec, rest,
                        [](const Args&, const std::string&, std::map<std::string, std::string>& s) {
                          for (const auto& [k, v] : s) std::cout << k << "\n";
                          return kExitOk;
                        });
  };
  auto remove = [](const std::vector<std::string>& rest) {
    return with_secrets(
        kRemoveSpec, rest,
        [](const Args& a, const std::string& path, std::map<std::string, std::string>& s) {
          const std::string& name = a.positional[0];
          if (!s.erase(name))
            return fail("secret remove: no secret named '" + name + "'", kExitFailed);
          if (Status st = write_secrets(path, s); !st) return fail(st);
          std::cout << "removed secret " << name << "\n";
          return kExitOk;
        });
  };
  return dispatch("secret", kUsage, argv, {{"set", set}, {"list", list}, {"remove", remove}});
}

}  // namespace jimu::cli
