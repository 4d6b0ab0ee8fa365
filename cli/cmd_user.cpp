// jimu user add|passwd|role|disable|enable|list|token: the users of the web pages and their roles
// (issue 8). Passwords are read from the terminal twice without echo, or once from standard input
// with --password-stdin; never from the command line, where other users could see them. Every
// change is an audit entry by the OS user running the command.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/app.h"
#include "engine/core/json_writer.h"
#include "engine/web/credentials.h"

namespace jimu::cli {
namespace {

constexpr size_t kMinPasswordLength = 8;

const OptSpec kPasswordStdin = {"password-stdin", "",
                                "read the password from the first line of standard input"};

const CmdSpec kAddSpec = {
    "user add", "NAME --role ROLE[,ROLE] [--display NAME] [--password-stdin]",
    "Adds a user of the web pages. NAME is also the name approval routes use for them.\n"
    "Roles: clerk (runs, operations, dashboard), author (the same; writes workflows), approver\n"
    "(the approval inbox), manager (the dashboard), admin (everything, the audit trail).",
    {{"role", "ROLE[,ROLE]", "one or more roles, separated by commas"},
     {"display", "NAME", "the name shown on the pages, e.g. '田中 課長'"},
     kPasswordStdin},
    "The password (8 characters or more) is asked twice on the terminal, without echo.\n"
    "Example:\n  jimu user add kacho.tanaka --role approver,manager --display '田中 課長'",
    1, 1};
const CmdSpec kPasswdSpec = {"user passwd", "NAME [--password-stdin]",
                             "Sets a user's password; their open sessions end.",
                             {kPasswordStdin}, "", 1, 1};
const CmdSpec kRoleSpec = {"user role", "NAME --role ROLE[,ROLE]",
                           "Replaces a user's roles (clerk, author, approver, manager, admin).",
                           {{"role", "ROLE[,ROLE]", "the roles, separated by commas"}}, "", 1, 1};
const CmdSpec kDisableSpec = {"user disable", "NAME",
                              "Disables a user: they cannot log in, their sessions end and their "
                              "API tokens are revoked.",
                              {}, "", 1, 1};
const CmdSpec kEnableSpec = {"user enable", "NAME", "Enables a disabled user again.", {}, "", 1, 1};
const CmdSpec kListSpec = {"user list", "[--format text|json]", "Lists the users and their roles.",
                           {{"format", "FORMAT", "text (default) or json"}}, "", 0, 0};
const CmdSpec kTokenSpec = {
    "user token", "NAME",
    "Creates an API token for NAME and prints it once: jimu keeps only its hash. Use it as\n"
    "'Authorization: Bearer TOKEN' on the JSON API (/api/runs, /api/kpi, /api/inbox).",
    {}, "", 1, 1};

const char* kUsage =
    "usage: jimu user SUBCOMMAND ...\n\n"
    "  add NAME      add a user (--role clerk,author,approver,manager,admin)\n"
    "  passwd NAME   set a user's password\n"
    "  role NAME     replace a user's roles\n"
    "  disable NAME  disable a user (sessions end, tokens revoked)\n"
    "  enable NAME   enable a user again\n"
    "  list          the users and their roles\n"
    "  token NAME    create an API token (shown once)\n\n"
    "Run 'jimu user SUBCOMMAND --help' for the options of each.\n";

std::string read_line_no_echo(const char* prompt, bool* ok) {
  *ok = false;
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return "";
  std::fputs(prompt, tty);
  std::fflush(tty);
  termios old_mode{};
  bool restore = tcgetattr(fileno(tty), &old_mode) == 0;
  if (restore) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
  }
  std::string line;
  int c;
  while ((c = std::fgetc(tty)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
  if (restore) tcsetattr(fileno(tty), TCSAFLUSH, &old_mode);
  std::fputs("\n", tty);
  std::fclose(tty);
  *ok = c == '\n';
  return line;
}

// The new password, from stdin or the terminal (twice); nullopt after printing why.
std::optional<std::string> read_new_password(const Args& args, int* code) {
  std::string password;
  if (args.has("password-stdin")) {
    if (!std::getline(std::cin, password)) {
      *code = fail("--password-stdin: no password on standard input", kExitUsage);
      return std::nullopt;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else {
    bool ok1 = false, ok2 = false;
    password = read_line_no_echo("Password: ", &ok1);
    std::string again = ok1 ? read_line_no_echo("Password (again): ", &ok2) : "";
    if (!ok1 || !ok2) {
      *code = fail("cannot read a password from the terminal (use --password-stdin)", kExitUsage);
      return std::nullopt;
    }
    if (password != again) {
      *code = fail("the two passwords differ; nothing was changed", kExitUsage);
      return std::nullopt;
    }
  }
  if (password.size() < kMinPasswordLength) {
    *code = fail("the password must have at least " + std::to_string(kMinPasswordLength) +
                     " characters",
                 kExitUsage);
    return std::nullopt;
  }
  return password;
}

std::optional<std::string> hashed(const std::string& password, int* code) {
  auto h = web::hash_password(password);
  if (!h) {
    *code = fail(h.status());
    return std::nullopt;
  }
  return *h;
}

std::optional<std::vector<std::string>> roles_option(const Args& args, const std::string& cmd,
                                                     int* code) {
  auto text = args.get("role");
  if (!text || text->empty()) {
    *code = fail(cmd + ": --role is required (see 'jimu " + cmd + " --help')", kExitUsage);
    return std::nullopt;
  }
  auto roles = split_roles(*text);
  if (Status s = validate_roles(roles); !s) {
    *code = fail(s);
    return std::nullopt;
  }
  return roles;
}

int add(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kAddSpec, argv, &code);
  if (!args) return code;
  User u;
  u.name = args->positional[0];
  if (Status s = validate_user_name(u.name); !s) return fail(s);
  auto roles = roles_option(*args, "user add", &code);
  if (!roles) return code;
  u.roles = *roles;
  u.display_name = args->get("display").value_or(u.name);
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto existing = (*app)->store->find_user(u.name);
  if (!existing) return fail(existing.status());
  if (*existing) return fail("user " + u.name + " exists already", kExitUsage);
  auto password = read_new_password(*args, &code);
  if (!password) return code;
  auto hash = hashed(*password, &code);
  if (!hash) return code;
  u.password_hash = *hash;
  Status s = (*app)->store->add_user(u, (*app)->actor, (*app)->clock->now_ms());
  if (!s) return fail(s);
  std::cout << "user " << u.name << " added with roles " << join_roles(u.roles) << "\n";
  return kExitOk;
}

int update(const CmdSpec& spec, const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(spec, argv, &code);
  if (!args) return code;
  const std::string& name = args->positional[0];
  UserUpdate up;
  std::string done;
  if (spec.name == "user role") {
    auto roles = roles_option(*args, "user role", &code);
    if (!roles) return code;
    up.roles = *roles;
    done = "now has roles " + join_roles(*roles);
  } else if (spec.name == "user disable" || spec.name == "user enable") {
    up.disabled = spec.name == "user disable";
    done = *up.disabled ? "is disabled" : "is enabled";
  }
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  if (spec.name == "user passwd") {
    auto existing = (*app)->store->find_user(name);
    if (!existing) return fail(existing.status());
    if (!*existing) return fail("user " + name + " does not exist", kExitUsage);
    auto password = read_new_password(*args, &code);
    if (!password) return code;
    auto hash = hashed(*password, &code);
    if (!hash) return code;
    up.password_hash = *hash;
    done = "has a new password";
  }
  Status s = (*app)->store->update_user(name, up, (*app)->actor, (*app)->clock->now_ms());
  if (!s) return refuse(s);
  std::cout << "user " << name << " " << done << "\n";
  return kExitOk;
}

int list(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kListSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto users = (*app)->store->list_users();
  if (!users) return fail(users.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const auto& u : *users) {
      w.begin_object().field("name", u.name).field("display_name", u.display_name);
      w.key("roles").begin_array();
      for (const auto& r : u.roles) w.value(r);
      w.end_array().field("disabled", u.disabled).field("lang", u.lang).end_object();
    }
    w.end_array();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  if (users->empty()) {
    std::cout << "no users (jimu user add --help)\n";
    return kExitOk;
  }
  for (const auto& u : *users) {
    std::cout << u.name << "\t" << u.display_name << "\t" << join_roles(u.roles)
              << (u.disabled ? "\tdisabled" : "") << "\n";
  }
  return kExitOk;
}

int token(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kTokenSpec, argv, &code);
  if (!args) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto secret = web::random_hex(32);
  if (!secret) return fail(secret.status());
  std::string t = "jimu_" + *secret;
  auto id = (*app)->store->add_api_token(args->positional[0], web::sha256_hex(t), (*app)->actor,
                                         (*app)->clock->now_ms());
  if (!id) return refuse(id.status());
  std::cerr << "API token " << *id << " for " << args->positional[0]
            << " (shown once; jimu keeps only its hash):\n";
  std::cout << t << "\n";
  return kExitOk;
}

}  // namespace

int cmd_user(const std::vector<std::string>& argv) {
  auto with = [](const CmdSpec& spec) {
    return [&spec](const std::vector<std::string>& rest) { return update(spec, rest); };
  };
  return dispatch("user", kUsage, argv,
                  {{"add", add},
                   {"passwd", with(kPasswdSpec)},
                   {"role", with(kRoleSpec)},
                   {"disable", with(kDisableSpec)},
                   {"enable", with(kEnableSpec)},
                   {"list", list},
                   {"token", token}});
}

}  // namespace jimu::cli
