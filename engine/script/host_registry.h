// Internal link between the binding layer and the host (not for connectors): finds the host of a
// lua_State through Lua's per-state extra space, which coroutines inherit.
#pragma once

#include <lua.hpp>

#include "engine/script/host_services.h"

namespace jimu::lua {

HostServices* host_services_of(lua_State* L);
void raise_if_stopping(lua_State* L);

}  // namespace jimu::lua
