// The binding layer: how every jimu module exposes C++ to Lua, written once.
//
// - guarded<F>: the trampoline. Every bound function goes through it, so no C++ exception crosses
//   a Lua frame: a std::exception becomes a Lua error with its message. (Lua errors themselves are
//   C++ exceptions of Lua's own type in Debian's lua5.4-c++ build and pass through untouched, so
//   C++ destructors run.)
// - Misuse raises ("bad argument #1 to 'read' (string expected, got nil)", "unknown option
//   'encodng' to 'read'"); operational failure returns nil, message, code via push_failure.
// - Handles are userdata with a named metatable whose __gc and __close share one release.
// - services(L) gives the run's HostServices (files, log, dry run).
//
// Only files at the Lua boundary include this header. Not thread-safe: a lua_State belongs to one
// thread at a time.
#pragma once

#include <lua.hpp>

#include <initializer_list>
#include <new>
#include <optional>
#include <string>
#include <utility>

#include "engine/core/status.h"
#include "engine/script/host_services.h"

namespace jimu::lua {

template <lua_CFunction F>
int guarded(lua_State* L) {
  std::string message;
  try {
    return F(L);
  } catch (const std::bad_alloc&) {
    message = "not enough memory";
  } catch (const std::exception& e) {
    message = e.what();
  }
  // Raised outside the catch block, so the exception object is gone before Lua unwinds.
  return luaL_error(L, "%s", message.c_str());
}

// luaL_Reg entry for a guarded function.
#define JIMU_LUA_FN(name, fn) \
  { name, &::jimu::lua::guarded<fn> }

// Pushes nil, message, code and returns 3: the operational-failure convention.
int push_failure(lua_State* L, const Status& status);
// Pushes true (ok) or the failure triple; returns the number of values pushed.
int push_status(lua_State* L, const Status& status);

// Raises "bad argument #ARG to 'FN' (unknown option 'KEY')" for any key of the option table at idx
// not in allowed. Nothing happens when idx is none or nil; a non-table raises.
void check_options(lua_State* L, int idx, std::initializer_list<const char*> allowed);

// Typed option getters; a wrong type raises naming the option. idx may be none or nil.
std::optional<std::string> opt_string(lua_State* L, int idx, const char* key);
std::optional<bool> opt_bool(lua_State* L, int idx, const char* key);
std::optional<lua_Integer> opt_integer(lua_State* L, int idx, const char* key);
std::optional<lua_Number> opt_number(lua_State* L, int idx, const char* key);

// Raises a Lua error with a message built like printf (never returns).
[[noreturn]] void raise(lua_State* L, const std::string& message);

// The services of the running host. Raises when called outside a run.
HostServices& services(lua_State* L);

// Resolves a path the workflow gave for reading/writing through the sandbox's FileAccess.
Result<std::string> resolve_read(lua_State* L, const std::string& path);
Result<std::string> resolve_write(lua_State* L, const std::string& path);

// Long loops in C++ call this every few thousand iterations: it raises if the run must stop
// (time or memory limit), since the Lua hook only fires between Lua instructions.
void check_stop(lua_State* L);

// ---- handles ----------------------------------------------------------------------------------

// Registers a handle type: a metatable named tname whose __index holds methods, and whose __gc
// and __close release the object. Call once per state (in the module's opener).
template <typename T>
void register_handle(lua_State* L, const char* tname, const luaL_Reg* methods);

// Creates a handle owning obj and leaves it on the stack.
template <typename T>
T* push_handle(lua_State* L, const char* tname, T* obj);

// The object behind the handle at idx; raises for a wrong type or a closed handle.
template <typename T>
T* check_handle(lua_State* L, int idx, const char* tname);

// Releases the handle at idx now (an explicit close); idempotent.
template <typename T>
void close_handle(lua_State* L, int idx, const char* tname);

namespace detail {
template <typename T>
struct Box {
  T* obj;
};

template <typename T>
int release(lua_State* L) {
  auto* box = static_cast<Box<T>*>(lua_touserdata(L, 1));
  if (box != nullptr && box->obj != nullptr) {
    T* obj = box->obj;
    box->obj = nullptr;
    delete obj;
  }
  return 0;
}
void set_methods(lua_State* L, const luaL_Reg* methods);
}  // namespace detail

template <typename T>
void register_handle(lua_State* L, const char* tname, const luaL_Reg* methods) {
  if (luaL_newmetatable(L, tname)) {
    lua_pushcfunction(L, &guarded<detail::release<T>>);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, &guarded<detail::release<T>>);
    lua_setfield(L, -2, "__close");
    detail::set_methods(L, methods);
    lua_pushstring(L, tname);
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
}

template <typename T>
T* push_handle(lua_State* L, const char* tname, T* obj) {
  auto* box = static_cast<detail::Box<T>*>(lua_newuserdatauv(L, sizeof(detail::Box<T>), 1));
  box->obj = obj;
  luaL_setmetatable(L, tname);
  return obj;
}

template <typename T>
T* check_handle(lua_State* L, int idx, const char* tname) {
  auto* box = static_cast<detail::Box<T>*>(luaL_checkudata(L, idx, tname));
  if (box->obj == nullptr) {
    luaL_error(L, "attempt to use a closed %s", tname);
  }
  return box->obj;
}

template <typename T>
void close_handle(lua_State* L, int idx, const char* tname) {
  auto* box = static_cast<detail::Box<T>*>(luaL_checkudata(L, idx, tname));
  if (box->obj != nullptr) {
    T* obj = box->obj;
    box->obj = nullptr;
    delete obj;
  }
}

}  // namespace jimu::lua
