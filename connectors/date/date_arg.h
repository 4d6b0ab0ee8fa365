// How jimu.date and jimu.calendar take and give dates at the Lua boundary.
//
// Wherever a date is taken, "YYYY-MM-DD" or a table { year = 2026, month = 4, day = 1 } works
// (other fields, such as hour/min/sec from jimu.date.from_excel, are ignored). Anything else
// raises: "bad argument #1 to 'add_days' (date expected: 'YYYY-MM-DD' or { year, month, day },
// got boolean)". Dates are given back as plain tables { year, month, day } with no metatable
// (STYLE.md: plain data out); jimu.date.format turns them into text.
//
// Not thread-safe: a lua_State belongs to one thread at a time.
#pragma once

#include "engine/calendar/civil_date.h"

struct lua_State;

namespace jimu::lua {

CivilDate check_date(lua_State* L, int idx);
void push_date(lua_State* L, const CivilDate& date);

}  // namespace jimu::lua
