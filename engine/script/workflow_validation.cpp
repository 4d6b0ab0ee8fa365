#include "engine/script/workflow_validation.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

namespace jimu {
namespace {

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestion(const std::string& key, std::initializer_list<const char*> known) {
  std::string best;
  size_t best_d = 3;
  for (const char* k : known) {
    size_t d = edit_distance(key, k);
    if (d < best_d) {
      best_d = d;
      best = k;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

class Checker {
 public:
  Checker(lua_State* L, const std::string& file, const std::string& source, int call_line,
          std::vector<Diagnostic>* problems)
      : L_(L), file_(file), source_(source), call_line_(call_line), problems_(problems) {}

  void problem(const std::string& key, const std::string& message) {
    int line = key.empty() ? call_line_ : line_of_key(source_, key, call_line_);
    problems_->push_back({file_, line, message});
  }

  // Reports keys of the table at idx not in known; context names the table ("workflow").
  void unknown_keys(int idx, std::initializer_list<const char*> known, const std::string& context) {
    idx = lua_absindex(L_, idx);
    lua_pushnil(L_);
    while (lua_next(L_, idx) != 0) {
      lua_pop(L_, 1);
      if (lua_type(L_, -1) != LUA_TSTRING) {
        problem("", "keys of " + context + " must be names, not " +
                        std::string(luaL_typename(L_, -1)) + "s");
        continue;
      }
      std::string key = lua_tostring(L_, -1);
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
        problem(key, "unknown key '" + key + "' in " + context + suggestion(key, known));
      }
    }
  }

  // String field; nullopt when absent or wrong (a wrong type is reported).
  std::optional<std::string> string_field(int idx, const char* key, const std::string& context,
                                          bool required) {
    int t = lua_getfield(L_, idx, key);
    std::optional<std::string> out;
    if (t == LUA_TSTRING) {
      out = lua_tostring(L_, -1);
    } else if (t == LUA_TNIL) {
      if (required) problem("", "missing required key '" + std::string(key) + "' in " + context);
    } else {
      problem(key, "'" + std::string(key) + "' in " + context + " must be a string, not " +
                       luaL_typename(L_, -1));
    }
    lua_pop(L_, 1);
    return out;
  }

  lua_State* L_;
  const std::string& file_;
  const std::string& source_;
  int call_line_;
  std::vector<Diagnostic>* problems_;
};

bool valid_id(const std::string& id) {
  static const std::regex re("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  return std::regex_match(id, re);
}

void check_choice(Checker& c, const std::string& key, const std::optional<std::string>& value,
                  std::initializer_list<const char*> choices, std::string* out) {
  if (!value) return;
  for (const char* choice : choices) {
    if (*value == choice) {
      *out = *value;
      return;
    }
  }
  std::string list;
  for (const char* choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice);
  c.problem(key, "'" + key + "' in schedule must be one of " + list + ", not '" + *value + "'");
}

}  // namespace

int line_of_key(const std::string& source, const std::string& key, int from_line) {
  std::istringstream in(source);
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (line < from_line) continue;
    for (size_t pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + 1)) {
      if (pos > 0 && is_ident_char(text[pos - 1])) continue;
      size_t after = pos + key.size();
      if (after < text.size() && is_ident_char(text[after])) continue;
      while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
      if (after < text.size() && text[after] == '=' &&
          (after + 1 >= text.size() || text[after + 1] != '=')) {
        return line;
      }
    }
  }
  return from_line;
}

Diagnostic diagnostic_from_lua_message(const std::string& file, const std::string& message) {
  // Lua's messages start with "chunkname:line: " where chunkname is file.
  std::string prefix = file + ":";
  if (message.compare(0, prefix.size(), prefix) == 0) {
    size_t colon = message.find(':', prefix.size());
    if (colon != std::string::npos) {
      std::string digits = message.substr(prefix.size(), colon - prefix.size());
      if (!digits.empty() && std::all_of(digits.begin(), digits.end(), ::isdigit)) {
        std::string rest = message.substr(colon + 1);
        if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
        return {file, std::stoi(digits), rest};
      }
    }
  }
  return {file, 0, message};
}

void validate_workflow_table(lua_State* L, int idx, const std::string& file,
                             const std::string& source, int call_line, WorkflowDef* def,
                             std::vector<Diagnostic>* problems) {
  idx = lua_absindex(L, idx);
  Checker c(L, file, source, call_line, problems);
  c.unknown_keys(idx,
                 {"id", "name", "run", "operation", "description", "owner", "params", "schedule",
                  "trigger", "timeout", "retry"},
                 "workflow");

  if (auto id = c.string_field(idx, "id", "workflow", true)) {
    if (!valid_id(*id)) {
      c.problem("id", "'id' must be 1 to 64 letters, digits, '_', '-' or '.', starting with a "
                      "letter or digit, not '" + *id + "'");
    }
    def->id = *id;
  }
  if (auto name = c.string_field(idx, "name", "workflow", true)) {
    if (name->empty()) c.problem("name", "'name' in workflow must not be empty");
    def->name = *name;
  }
  int t = lua_getfield(L, idx, "run");
  if (t == LUA_TNIL) {
    c.problem("", "missing required key 'run' in workflow (run = function(ctx) ... end)");
  } else if (t != LUA_TFUNCTION) {
    c.problem("run", std::string("'run' in workflow must be a function, not ") + luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  if (auto op = c.string_field(idx, "operation", "workflow", false)) {
    if (op->empty()) c.problem("operation", "'operation' in workflow must not be empty");
    def->operation = *op;
    def->operation_line = line_of_key(source, "operation", call_line);
  }
  if (auto d = c.string_field(idx, "description", "workflow", false)) def->description = *d;
  if (auto o = c.string_field(idx, "owner", "workflow", false)) def->owner = *o;

  // params = { name = default, ... }
  t = lua_getfield(L, idx, "params");
  if (t == LUA_TTABLE) {
    int p = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, p) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING) {
        c.problem("params", "parameter names in 'params' must be strings");
      } else {
        std::string k = lua_tostring(L, -2);
        int vt = lua_type(L, -1);
        if (vt == LUA_TSTRING) {
          def->params[k] = std::string(lua_tostring(L, -1));
        } else if (vt == LUA_TNUMBER) {
          def->params[k] = static_cast<double>(lua_tonumber(L, -1));
        } else if (vt == LUA_TBOOLEAN) {
          def->params[k] = static_cast<bool>(lua_toboolean(L, -1));
        } else {
          c.problem(k, "parameter '" + k + "' must default to a string, number or boolean, not " +
                           luaL_typename(L, -1));
        }
      }
      lua_pop(L, 1);
    }
  } else if (t != LUA_TNIL) {
    c.problem("params", std::string("'params' in workflow must be a table, not ") + luaL_typename(L, -1));
  }
  lua_pop(L, 1);

  // schedule = { cron = "0 2 * * *", calendar = "jp-gov", on_holiday = "skip", ... }
  t = lua_getfield(L, idx, "schedule");
  if (t == LUA_TTABLE) {
    int s = lua_gettop(L);
    c.unknown_keys(s, {"cron", "calendar", "on_holiday", "missed", "business_day", "overlap"},
                   "schedule");
    ScheduleDef sd;
    sd.calendar = "jp-gov";
    sd.on_holiday = "run";
    sd.missed = "latest";
    if (auto cron = c.string_field(s, "cron", "schedule", true)) sd.cron = *cron;
    if (auto cal = c.string_field(s, "calendar", "schedule", false)) sd.calendar = *cal;
    check_choice(c, "on_holiday", c.string_field(s, "on_holiday", "schedule", false),
                 {"run", "skip", "next", "previous"}, &sd.on_holiday);
    check_choice(c, "missed", c.string_field(s, "missed", "schedule", false),
                 {"latest", "all", "none"}, &sd.missed);
    if (auto bd = c.string_field(s, "business_day", "schedule", false)) sd.business_day = *bd;
    int ot = lua_getfield(L, s, "overlap");
    if (ot == LUA_TBOOLEAN) {
      sd.overlap = lua_toboolean(L, -1) ? 0 : 1;  // 0: no limit
    } else if (ot == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1) {
      sd.overlap = static_cast<int>(lua_tointeger(L, -1));
    } else if (ot != LUA_TNIL) {
      c.problem("overlap", "'overlap' in schedule must be a boolean or a count >= 1");
    }
    lua_pop(L, 1);
    def->schedule = sd;
  } else if (t != LUA_TNIL) {
    c.problem("schedule", std::string("'schedule' in workflow must be a table, not ") + luaL_typename(L, -1));
  }
  lua_pop(L, 1);

  // trigger = { mail = { account = "inbox", folder = "INBOX", from = "...", subject = "..." } }
  t = lua_getfield(L, idx, "trigger");
  if (t == LUA_TTABLE) {
    int tr = lua_gettop(L);
    size_t before = problems->size();
    c.unknown_keys(tr, {"mail", "file"}, "trigger");
    const bool named_unknown_kind = problems->size() > before;
    TriggerDef td;
    int mt = lua_getfield(L, tr, "mail");
    if (mt == LUA_TTABLE) {
      int m = lua_gettop(L);
      c.unknown_keys(m, {"account", "folder", "from", "subject", "move_to", "attempts",
                         "failed_folder"},
                     "trigger.mail");
      MailTriggerDef md;
      if (auto v = c.string_field(m, "account", "trigger.mail", true)) md.account = *v;
      if (auto v = c.string_field(m, "folder", "trigger.mail", false)) md.folder = *v;
      if (auto v = c.string_field(m, "from", "trigger.mail", false)) md.from = *v;
      if (auto v = c.string_field(m, "subject", "trigger.mail", false)) md.subject = *v;
      if (auto v = c.string_field(m, "move_to", "trigger.mail", false)) md.move_to = *v;
      if (auto v = c.string_field(m, "failed_folder", "trigger.mail", false)) md.failed_folder = *v;
      int at = lua_getfield(L, m, "attempts");
      if (at == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 &&
          lua_tointeger(L, -1) <= 100) {
        md.attempts = static_cast<int>(lua_tointeger(L, -1));
      } else if (at != LUA_TNIL) {
        c.problem("attempts", "'attempts' in trigger.mail must be a whole number from 1 to 100");
      }
      lua_pop(L, 1);
      td.mail = md;
    } else if (mt != LUA_TNIL) {
      c.problem("mail", std::string("'mail' in trigger must be a table, not ") + luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    int ft = lua_getfield(L, tr, "file");
    if (ft == LUA_TTABLE) {
      int f = lua_gettop(L);
      c.unknown_keys(f, {"folder", "pattern", "stable"}, "trigger.file");
      FileTriggerDef fd;
      if (auto v = c.string_field(f, "folder", "trigger.file", true)) fd.folder = *v;
      if (auto v = c.string_field(f, "pattern", "trigger.file", false)) {
        if (v->empty() || v->find('/') != std::string::npos) {
          c.problem("pattern", "'pattern' in trigger.file must be a file name pattern like "
                               "\"*.csv\" (no folders)");
        } else {
          fd.pattern = *v;
        }
      }
      int st = lua_getfield(L, f, "stable");
      if (st == LUA_TNUMBER && lua_tonumber(L, -1) >= 0 && lua_tonumber(L, -1) <= 3600) {
        fd.stable_s = lua_tonumber(L, -1);
      } else if (st != LUA_TNIL) {
        c.problem("stable", "'stable' in trigger.file must be seconds from 0 to 3600");
      }
      lua_pop(L, 1);
      td.file = fd;
    } else if (ft != LUA_TNIL) {
      c.problem("file", std::string("'file' in trigger must be a table, not ") + luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    if (mt == LUA_TNIL && ft == LUA_TNIL && !named_unknown_kind) {  // one message per mistake
      c.problem("trigger", "'trigger' must name a kind: trigger = { mail = { account = ... } } or "
                           "trigger = { file = { folder = ... } }");
    }
    def->trigger = td;
  } else if (t != LUA_TNIL) {
    c.problem("trigger", std::string("'trigger' in workflow must be a table, not ") + luaL_typename(L, -1));
  }
  lua_pop(L, 1);

  t = lua_getfield(L, idx, "timeout");
  if (t == LUA_TNUMBER) {
    double v = lua_tonumber(L, -1);
    if (v > 0) def->timeout_s = v;
    else c.problem("timeout", "'timeout' must be a positive number of seconds");
  } else if (t == LUA_TSTRING) {
    auto v = parse_duration_seconds(lua_tostring(L, -1));
    if (v) def->timeout_s = *v;
    else c.problem("timeout", "'timeout' must look like 90, \"90s\", \"30m\" or \"2h\", not '" +
                                  std::string(lua_tostring(L, -1)) + "'");
  } else if (t != LUA_TNIL) {
    c.problem("timeout", std::string("'timeout' must be a number or a string, not ") + luaL_typename(L, -1));
  }
  lua_pop(L, 1);

  t = lua_getfield(L, idx, "retry");
  if (t == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0) {
    def->retry = RetryDef{static_cast<int>(lua_tointeger(L, -1)), 60};
  } else if (t == LUA_TTABLE) {
    int r = lua_gettop(L);
    c.unknown_keys(r, {"attempts", "backoff"}, "retry");
    RetryDef rd;
    int at = lua_getfield(L, r, "attempts");
    if (at == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0) {
      rd.attempts = static_cast<int>(lua_tointeger(L, -1));
    } else if (at != LUA_TNIL) {
      c.problem("attempts", "'attempts' in retry must be an integer >= 0");
    }
    lua_pop(L, 1);
    int bt = lua_getfield(L, r, "backoff");
    if (bt == LUA_TNUMBER && lua_tonumber(L, -1) > 0) {
      rd.backoff_s = lua_tonumber(L, -1);
    } else if (bt == LUA_TSTRING && parse_duration_seconds(lua_tostring(L, -1))) {
      rd.backoff_s = *parse_duration_seconds(lua_tostring(L, -1));
    } else if (bt != LUA_TNIL) {
      c.problem("backoff", "'backoff' in retry must be seconds or a duration like \"5m\"");
    }
    lua_pop(L, 1);
    def->retry = rd;
  } else if (t != LUA_TNIL) {
    c.problem("retry", "'retry' must be a count of attempts or { attempts = N, backoff = \"5m\" }");
  }
  lua_pop(L, 1);
}

}  // namespace jimu
