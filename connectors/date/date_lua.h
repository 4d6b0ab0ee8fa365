// jimu.date: parsing and formatting dates as Japanese offices write them (wareki and ISO), fiscal
// years, Excel serial dates, today's date in Japan and day arithmetic. The reference is
// scripts/reference/date.md.
//
// Register with LuaModule{"date", &open_date_module, clock}: the optional context is the Clock
// (engine/core/clock.h) that jimu.date.today() reads, borrowed for as long as any host using the
// module lives; without one, the system clock. Today is the date in Japan (UTC+9, no DST).
#pragma once

struct lua_State;

namespace jimu {
int open_date_module(lua_State* L);
}
