#include "connectors/mail/mail_lua.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "connectors/mail/attachment_files.h"
#include "connectors/mail/mail_account.h"
#include "connectors/mail/mail_compose.h"
#include "connectors/mail/mail_parse.h"
#include "connectors/mail/mailbox.h"
#include "connectors/mail/smtp_sender.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

using mail::MailAccount;
using mail::MailAccounts;

const MailAccounts* accounts_of(lua_State* L) {
  return static_cast<const MailAccounts*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// The named account, or the only one configured when no name is given.
Result<const MailAccount*> find_account(lua_State* L, const std::optional<std::string>& name) {
  const MailAccounts* accounts = accounts_of(L);
  size_t count = accounts ? accounts->size() : 0;
  if (name) {
    if (accounts) {
      auto it = accounts->find(*name);
      if (it != accounts->end()) return &it->second;
    }
    return Status::not_found("no mail account '" + *name + "' (add a [mail." + *name +
                             "] section to jimu.conf)");
  }
  if (count == 1) return &accounts->begin()->second;
  if (count == 0)
    return Status::not_found(
        "no mail account is configured (add a [mail.NAME] section to jimu.conf)");
  return Status::invalid("several mail accounts are configured: choose one with account = NAME");
}

// A string or a list of strings; each element must be a string.
std::vector<std::string> string_list(lua_State* L, int idx, const char* key, const char* fn) {
  std::vector<std::string> out;
  int t = lua_getfield(L, idx, key);
  if (t == LUA_TSTRING) {
    out.push_back(lua_tostring(L, -1));
  } else if (t == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; ++i) {
      if (lua_geti(L, -1, i) != LUA_TSTRING) {
        lua::raise(L, std::string("bad argument #1 to '") + fn + "' (" + key + "[" +
                          std::to_string(i) + "] must be a string, got " + luaL_typename(L, -1) +
                          ")");
      }
      out.push_back(lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  } else if (t != LUA_TNIL) {
    lua::raise(L, std::string("bad argument #1 to '") + fn + "' (" + key +
                      " must be a string or a list of strings, got " + luaL_typename(L, -1) + ")");
  }
  lua_pop(L, 1);
  return out;
}

Result<std::vector<mail::Address>> addresses(const std::vector<std::string>& texts,
                                             const char* key) {
  std::vector<mail::Address> out;
  for (const auto& t : texts) {
    auto a = mail::parse_address(t);
    if (!a) return a.status().with_prefix(key);
    out.push_back(*a);
  }
  return out;
}

Result<std::string> read_whole(const std::string& path, const std::string& shown) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found(shown + ": cannot open the attachment");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return Status::io(shown + ": cannot read the attachment");
  return s.str();
}

// jimu.mail.send{ to, cc, bcc, reply_to, from, subject, body, html, attachments, account, charset }
int mail_send(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua::check_options(L, 1,
                     {"to", "cc", "bcc", "reply_to", "from", "subject", "body", "html",
                      "attachments", "account", "charset"});
  mail::OutgoingMail m;
  m.subject = lua::opt_string(L, 1, "subject").value_or("");
  m.body = lua::opt_string(L, 1, "body").value_or("");
  m.html = lua::opt_string(L, 1, "html").value_or("");
  m.charset = lua::opt_string(L, 1, "charset").value_or("utf-8");
  if (m.charset != "utf-8" && m.charset != "iso-2022-jp") {
    luaL_argerror(L, 1,
                  ("charset must be 'utf-8' or 'iso-2022-jp', not '" + m.charset + "'").c_str());
  }
  auto to = string_list(L, 1, "to", "send");
  auto cc = string_list(L, 1, "cc", "send");
  auto bcc = string_list(L, 1, "bcc", "send");
  auto reply_to = string_list(L, 1, "reply_to", "send");
  auto files = string_list(L, 1, "attachments", "send");
  auto from_opt = lua::opt_string(L, 1, "from");
  auto account_name = lua::opt_string(L, 1, "account");
  const bool dry_run = lua::services(L).dry_run;

  auto account = find_account(L, account_name);
  // A dry run sends nothing, so it needs no account when the sender is given.
  if (!account && !(dry_run && from_opt)) return lua::push_failure(L, account.status());
  std::string from = from_opt.value_or(account ? (*account)->from : "");
  if (from.empty()) {
    return lua::push_failure(
        L, Status::invalid("no sender: give from, or set from in [mail." +
                           ((account ? (*account)->name : std::string("NAME"))) + "]"));
  }
  auto from_addr = mail::parse_address(from);
  if (!from_addr) return lua::push_failure(L, from_addr.status().with_prefix("from"));
  m.from = *from_addr;
  for (auto [list, target, key] :
       {std::tuple{&to, &m.to, "to"}, std::tuple{&cc, &m.cc, "cc"}, std::tuple{&bcc, &m.bcc, "bcc"},
        std::tuple{&reply_to, &m.reply_to, "reply_to"}}) {
    auto a = addresses(*list, key);
    if (!a) return lua::push_failure(L, a.status());
    *target = *a;
  }
  for (const auto& f : files) {
    auto path = lua::resolve_read(L, f);
    if (!path) return lua::push_failure(L, path.status());
    auto data = read_whole(*path, f);
    if (!data) return lua::push_failure(L, data.status());
    m.attachments.push_back(
        {std::filesystem::path(f).filename().string(), "", std::move(data).value()});
  }
  auto composed = mail::compose(m);
  if (!composed) return lua::push_failure(L, composed.status());

  HostServices& services = lua::services(L);
  if (dry_run) {
    if (services.out_dir.empty()) {
      return lua::push_failure(L, Status::internal("dry run without an output folder"));
    }
    for (int n = 1; n < 100000; ++n) {
      char name[32];
      std::snprintf(name, sizeof name, "/mail-%03d.eml", n);
      auto path = lua::resolve_write(L, services.out_dir + name);
      if (!path) return lua::push_failure(L, path.status());
      if (std::filesystem::exists(*path)) continue;
      std::ofstream out(*path, std::ios::binary);
      out << composed->data;
      out.close();
      if (!out) return lua::push_failure(L, Status::io(*path + ": cannot write"));
      services.log->write(LogLevel::kInfo, "dry run: mail '" + m.subject + "' to " +
                                               std::to_string(composed->recipients.size()) +
                                               " recipient(s) written to " + *path);
      lua_pushboolean(L, 1);
      lua_pushstring(L, path->c_str());
      return 2;
    }
    return lua::push_failure(L, Status::limit("too many .eml files in the output folder"));
  }
  Status sent = mail::send_mail(**account, *composed);
  if (!sent) return lua::push_failure(L, sent);
  services.log->write(LogLevel::kInfo, "mail '" + m.subject + "' sent to " +
                                           std::to_string(composed->recipients.size()) +
                                           " recipient(s) via " + (*account)->name);
  lua_pushboolean(L, 1);
  return 1;
}

void set_string(lua_State* L, const char* key, const std::string& value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, key);
}

// jimu.mail.fetch{ account, folder, unseen_only, limit, mark_seen, move_to, delete,
//                  save_attachments } -> { message } | nil, msg, code
int mail_fetch(lua_State* L) {
  if (!lua_isnoneornil(L, 1)) luaL_checktype(L, 1, LUA_TTABLE);
  lua::check_options(L, 1,
                     {"account", "folder", "unseen_only", "limit", "mark_seen", "move_to", "delete",
                      "save_attachments"});
  auto account = find_account(L, lua::opt_string(L, 1, "account"));
  std::string folder = lua::opt_string(L, 1, "folder").value_or("");
  bool unseen_only = lua::opt_bool(L, 1, "unseen_only").value_or(true);
  lua_Integer limit = lua::opt_integer(L, 1, "limit").value_or(100);
  if (limit < 1) luaL_argerror(L, 1, "limit must be at least 1");
  bool mark_seen = lua::opt_bool(L, 1, "mark_seen").value_or(false);
  auto move_to = lua::opt_string(L, 1, "move_to");
  bool remove = lua::opt_bool(L, 1, "delete").value_or(false);
  bool save = lua::opt_bool(L, 1, "save_attachments").value_or(true);
  if (move_to && remove) luaL_argerror(L, 1, "move_to and delete exclude each other");
  if (!account) return lua::push_failure(L, account.status());
  HostServices& services = lua::services(L);
  // A dry run reads mail but changes nothing on the server.
  const bool effects = !services.dry_run;

  std::string attach_dir;
  if (save) {
    auto dir = lua::resolve_write(L, services.out_dir + "/attachments");
    if (!dir) return lua::push_failure(L, dir.status());
    attach_dir = *dir;
  }
  auto box = mail::open_mailbox(**account, folder);
  if (!box) return lua::push_failure(L, box.status());
  auto uids = (*box)->list(unseen_only);
  if (!uids) return lua::push_failure(L, uids.status());
  if (static_cast<lua_Integer>(uids->size()) > limit) uids->resize(static_cast<size_t>(limit));

  lua_createtable(L, static_cast<int>(uids->size()), 0);
  int n = 0;
  for (const auto& uid : *uids) {
    lua::check_stop(L);
    auto raw = (*box)->fetch(uid);
    if (!raw) return lua::push_failure(L, raw.status());
    mail::ParsedMail pm = mail::parse_message(*raw);
    lua_createtable(L, 0, 12);
    set_string(L, "uid", uid);
    set_string(L, "message_id", pm.message_id);
    set_string(L, "from", pm.from);
    set_string(L, "to", pm.to);
    set_string(L, "cc", pm.cc);
    set_string(L, "subject", pm.subject);
    set_string(L, "date", pm.date);
    set_string(L, "body", pm.body);
    set_string(L, "html", pm.html);
    lua_createtable(L, static_cast<int>(pm.attachments.size()), 0);
    int k = 0;
    for (const auto& a : pm.attachments) {
      lua_createtable(L, 0, 4);
      set_string(L, "name", a.name);
      set_string(L, "content_type", a.content_type);
      lua_pushinteger(L, static_cast<lua_Integer>(a.data.size()));
      lua_setfield(L, -2, "size");
      if (save) {
        auto path = mail::save_attachment(attach_dir, a.name, a.data);
        if (!path) return lua::push_failure(L, path.status());
        set_string(L, "path", *path);
      }
      lua_rawseti(L, -2, ++k);
    }
    lua_setfield(L, -2, "attachments");
    lua_rawseti(L, -2, ++n);
  }
  // Marking, moving and deleting come only after every message was read, and a failure there
  // does not take the messages from the workflow: an unmarked message is fetched again next time
  // rather than lost.
  if (effects && (move_to || remove || mark_seen)) {
    for (const auto& uid : *uids) {
      Status s = move_to  ? (*box)->move(uid, *move_to)
                 : remove ? (*box)->remove(uid)
                          : (*box)->mark_seen(uid);
      if (!s) {
        services.log->write(LogLevel::kWarn, "UID " + uid + " and later ones were not " +
                                                 (move_to  ? "moved"
                                                  : remove ? "deleted"
                                                           : "marked seen") +
                                                 ": " + s.message());
        break;
      }
    }
  }
  if (Status s = (*box)->close(); !s) {
    services.log->write(LogLevel::kWarn, "closing the mailbox: " + s.message());
  }
  services.log->write(LogLevel::kInfo,
                      std::to_string(n) + " message(s) fetched from " + (*account)->name);
  return 1;
}

}  // namespace

int open_mail_module(lua_State* L) {
  static const luaL_Reg fns[] = {
      JIMU_LUA_FN("send", mail_send), JIMU_LUA_FN("fetch", mail_fetch), {nullptr, nullptr}};
  void* context = lua_touserdata(L, 1);  // the MailAccounts, or null (none configured)
  luaL_newlibtable(L, fns);
  lua_pushlightuserdata(L, context);
  luaL_setfuncs(L, fns, 1);
  return 1;
}

}  // namespace jimu
