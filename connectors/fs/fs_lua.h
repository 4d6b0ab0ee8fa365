// jimu.fs: whole-file text reads and writes, listings and existence checks, all through the
// sandbox's FileAccess. Register with LuaModule{"fs", &open_fs_module}.
#pragma once

struct lua_State;

namespace jimu {
int open_fs_module(lua_State* L);
}
