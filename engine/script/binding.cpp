#include "engine/script/binding.h"

#include <cstdarg>
#include <stdexcept>
#include <string>

#include "engine/script/host_registry.h"

namespace jimu::lua {

int push_failure(lua_State* L, const Status& status) {
  lua_pushnil(L);
  lua_pushlstring(L, status.message().data(), status.message().size());
  lua_pushstring(L, code_name(status.code()));
  return 3;
}

int push_status(lua_State* L, const Status& status) {
  if (status.is_ok()) {
    lua_pushboolean(L, 1);
    return 1;
  }
  return push_failure(L, status);
}

void raise(lua_State* L, const std::string& message) {
  luaL_error(L, "%s", message.c_str());
  throw std::logic_error("unreachable");  // luaL_error does not return
}

void check_options(lua_State* L, int idx, std::initializer_list<const char*> allowed) {
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);  // the value
    if (lua_type(L, -1) != LUA_TSTRING) {
      luaL_argerror(L, idx, "option names must be strings");
    }
    const char* key = lua_tostring(L, -1);
    bool known = false;
    for (const char* a : allowed) {
      if (std::string(a) == key) known = true;
    }
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      std::string msg = "unknown option '" + std::string(key) + "' (known: " + list + ")";
      luaL_argerror(L, idx, msg.c_str());
    }
  }
}

namespace {

// Pushes opts[key] and returns its type; LUA_TNIL when there is no option table.
int push_option(lua_State* L, int idx, const char* key) {
  if (lua_isnoneornil(L, idx)) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  return lua_getfield(L, idx, key);
}

[[noreturn]] void option_type_error(lua_State* L, int idx, const char* key, const char* expected) {
  std::string msg = "option '" + std::string(key) + "' (" + expected + " expected, got " +
                    luaL_typename(L, -1) + ")";
  luaL_argerror(L, idx, msg.c_str());
  throw std::logic_error("unreachable");
}

}  // namespace

std::optional<std::string> opt_string(lua_State* L, int idx, const char* key) {
  int t = push_option(L, idx, key);
  std::optional<std::string> out;
  if (t == LUA_TSTRING) {
    size_t n = 0;
    const char* s = lua_tolstring(L, -1, &n);
    out = std::string(s, n);
  } else if (t != LUA_TNIL) {
    option_type_error(L, idx, key, "string");
  }
  lua_pop(L, 1);
  return out;
}

std::optional<bool> opt_bool(lua_State* L, int idx, const char* key) {
  int t = push_option(L, idx, key);
  std::optional<bool> out;
  if (t == LUA_TBOOLEAN) {
    out = lua_toboolean(L, -1) != 0;
  } else if (t != LUA_TNIL) {
    option_type_error(L, idx, key, "boolean");
  }
  lua_pop(L, 1);
  return out;
}

std::optional<lua_Integer> opt_integer(lua_State* L, int idx, const char* key) {
  int t = push_option(L, idx, key);
  std::optional<lua_Integer> out;
  if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
    out = lua_tointeger(L, -1);
  } else if (t == LUA_TNUMBER) {
    lua_Number n = lua_tonumber(L, -1);
    lua_Integer i;
    if (!lua_numbertointeger(n, &i) || static_cast<lua_Number>(i) != n) {
      option_type_error(L, idx, key, "integer");
    }
    out = i;
  } else if (t != LUA_TNIL) {
    option_type_error(L, idx, key, "integer");
  }
  lua_pop(L, 1);
  return out;
}

std::optional<lua_Number> opt_number(lua_State* L, int idx, const char* key) {
  int t = push_option(L, idx, key);
  std::optional<lua_Number> out;
  if (t == LUA_TNUMBER) {
    out = lua_tonumber(L, -1);
  } else if (t != LUA_TNIL) {
    option_type_error(L, idx, key, "number");
  }
  lua_pop(L, 1);
  return out;
}

HostServices& services(lua_State* L) {
  HostServices* s = host_services_of(L);
  if (s == nullptr || s->files == nullptr || s->log == nullptr) {
    luaL_error(L, "this function is only available while a workflow runs");
  }
  return *s;
}

Result<std::string> resolve_read(lua_State* L, const std::string& path) {
  return services(L).files->resolve_read(path);
}

Result<std::string> resolve_write(lua_State* L, const std::string& path) {
  return services(L).files->resolve_write(path);
}

void check_stop(lua_State* L) { raise_if_stopping(L); }

namespace detail {
void set_methods(lua_State* L, const luaL_Reg* methods) {
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
}
}  // namespace detail

}  // namespace jimu::lua
