#include "connectors/fs/fs_lua.h"

#include <sys/stat.h>

#include "connectors/fs/file_ops.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

// jimu.fs.read(path) -> text | nil, msg, code
int fs_read(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  auto resolved = lua::resolve_read(L, path);
  if (!resolved) return lua::push_failure(L, resolved.status());
  auto text = fs_ops::read_file(*resolved, path);
  if (!text) return lua::push_failure(L, text.status());
  lua_pushlstring(L, text->data(), text->size());
  return 1;
}

// jimu.fs.write(path, text [, { append = false }]) -> true | nil, msg, code
int fs_write(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  size_t len = 0;
  const char* data = luaL_checklstring(L, 2, &len);
  lua::check_options(L, 3, {"append"});
  bool append = lua::opt_bool(L, 3, "append").value_or(false);
  auto resolved = lua::resolve_write(L, path);
  if (!resolved) return lua::push_failure(L, resolved.status());
  std::string text(data, len);
  return lua::push_status(L, append ? fs_ops::append_file(*resolved, text, path)
                                    : fs_ops::write_file_atomic(*resolved, text, path));
}

// jimu.fs.exists(path) -> boolean
int fs_exists(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  auto resolved = lua::resolve_read(L, path);
  struct stat st;
  lua_pushboolean(L, resolved && ::stat(resolved->c_str(), &st) == 0);
  return 1;
}

// jimu.fs.list(dir) -> { { name, is_dir, size } ... } | nil, msg, code
int fs_list(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  auto resolved = lua::resolve_read(L, path);
  if (!resolved) return lua::push_failure(L, resolved.status());
  auto entries = fs_ops::list_dir(*resolved, path);
  if (!entries) return lua::push_failure(L, entries.status());
  lua_createtable(L, static_cast<int>(entries->size()), 0);
  int i = 0;
  for (const auto& e : *entries) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, e.name.c_str());
    lua_setfield(L, -2, "name");
    lua_pushboolean(L, e.is_dir);
    lua_setfield(L, -2, "is_dir");
    lua_pushinteger(L, e.size);
    lua_setfield(L, -2, "size");
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

}  // namespace

int open_fs_module(lua_State* L) {
  static const luaL_Reg fns[] = {JIMU_LUA_FN("read", fs_read), JIMU_LUA_FN("write", fs_write),
                                 JIMU_LUA_FN("exists", fs_exists), JIMU_LUA_FN("list", fs_list),
                                 {nullptr, nullptr}};
  luaL_newlib(L, fns);
  return 1;
}

}  // namespace jimu
