// jimu.calendar: business days and holidays of a Japanese government office. The reference is
// scripts/reference/calendar.md.
//
// Register with LuaModule{"calendar", &open_calendar_module, business_calendar}: the optional
// context is the office's BusinessCalendar (engine/calendar/business_calendar.h, with its local
// closing days from jimu.conf), borrowed for as long as any host using the module lives. Without
// one, the calendar has the national holidays, weekends and the year-end closure only.
#pragma once

struct lua_State;

namespace jimu {
int open_calendar_module(lua_State* L);
}
