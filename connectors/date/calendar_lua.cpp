#include "connectors/date/calendar_lua.h"

#include <string>

#include "connectors/date/date_arg.h"
#include "engine/calendar/business_calendar.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

// The calendar the optional trailing argument at idx names:
//   "jp-gov" (default): the office's calendar (the module's context, or the national holidays,
//                       weekends and the year-end closure);
//   "jp":               national holidays and weekends only.
const BusinessCalendar& calendar_arg(lua_State* L, int idx) {
  static const char* const kNames[] = {"jp-gov", "jp", nullptr};
  int which = luaL_checkoption(L, idx, "jp-gov", kNames);
  if (which == 1) {
    static const BusinessCalendar national([] {
      BusinessCalendarOptions o;
      o.government_closure = false;
      return o;
    }());
    return national;
  }
  const auto* office = static_cast<const BusinessCalendar*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (office != nullptr) return *office;
  static const BusinessCalendar government;
  return government;
}

// Date-out-of-range and similar: the script asked for something the calendar cannot answer.
template <typename T>
T value_or_raise(lua_State* L, Result<T> r) {
  if (!r) lua::raise(L, r.status().message());
  return std::move(r).value();
}

int cal_is_business_day(lua_State* L) {
  CivilDate d = lua::check_date(L, 1);
  const BusinessCalendar& c = calendar_arg(L, 2);
  lua_pushboolean(L, value_or_raise(L, c.is_business_day(d)));
  return 1;
}

int cal_add_business_days(lua_State* L) {
  CivilDate d = lua::check_date(L, 1);
  lua_Integer n = luaL_checkinteger(L, 2);
  const BusinessCalendar& c = calendar_arg(L, 3);
  lua::push_date(L, value_or_raise(L, c.add_business_days(d, n)));
  return 1;
}

int cal_next_business_day(lua_State* L) {
  CivilDate d = lua::check_date(L, 1);
  const BusinessCalendar& c = calendar_arg(L, 2);
  lua::push_date(L, value_or_raise(L, c.next_business_day(d)));
  return 1;
}

int cal_previous_business_day(lua_State* L) {
  CivilDate d = lua::check_date(L, 1);
  const BusinessCalendar& c = calendar_arg(L, 2);
  lua::push_date(L, value_or_raise(L, c.previous_business_day(d)));
  return 1;
}

int cal_business_days_between(lua_State* L) {
  CivilDate a = lua::check_date(L, 1);
  CivilDate b = lua::check_date(L, 2);
  const BusinessCalendar& c = calendar_arg(L, 3);
  lua_pushinteger(L, value_or_raise(L, c.business_days_between(a, b)));
  return 1;
}

int check_month(lua_State* L, int idx) {
  lua_Integer m = luaL_checkinteger(L, idx);
  if (m < 1 || m > 12) luaL_argerror(L, idx, "month must be 1 to 12");
  return static_cast<int>(m);
}

int check_year(lua_State* L, int idx) {
  lua_Integer y = luaL_checkinteger(L, idx);
  if (y < BusinessCalendar::kFirstYear || y > BusinessCalendar::kLastYear) {
    luaL_argerror(L, idx, "the calendar covers the years 1970 to 2099");
  }
  return static_cast<int>(y);
}

// jimu.calendar.nth_business_day(year, month, n [, cal]) -> d | nil, msg, "not_found"
int cal_nth_business_day(lua_State* L) {
  int year = check_year(L, 1);
  int month = check_month(L, 2);
  lua_Integer n = luaL_checkinteger(L, 3);
  if (n == 0 || n > 31 || n < -31) {
    luaL_argerror(L, 3, "n must be 1 to 31, or -1 to -31 from the end");
  }
  const BusinessCalendar& c = calendar_arg(L, 4);
  auto d = c.nth_business_day_of_month(year, month, static_cast<int>(n));
  if (!d) return lua::push_failure(L, d.status());
  lua::push_date(L, *d);
  return 1;
}

// jimu.calendar.last_business_day(year, month [, cal]) -> d
int cal_last_business_day(lua_State* L) {
  int year = check_year(L, 1);
  int month = check_month(L, 2);
  const BusinessCalendar& c = calendar_arg(L, 3);
  // Every month has business days unless the weekend was configured to be the whole week.
  auto d = c.nth_business_day_of_month(year, month, -1);
  if (!d) return lua::push_failure(L, d.status());
  lua::push_date(L, *d);
  return 1;
}

// jimu.calendar.holidays(year [, cal]) -> { { date = "YYYY-MM-DD", name, kind } ... }
int cal_holidays(lua_State* L) {
  int year = check_year(L, 1);
  const BusinessCalendar& c = calendar_arg(L, 2);
  auto days = value_or_raise(L, c.closed_days(year));
  lua_createtable(L, static_cast<int>(days.size()), 0);
  int i = 0;
  for (const ClosedDay& day : days) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, day.date.iso().c_str());
    lua_setfield(L, -2, "date");
    lua_pushstring(L, day.name.c_str());
    lua_setfield(L, -2, "name");
    lua_pushstring(L, day.kind == DayKind::kHoliday   ? "holiday"
                      : day.kind == DayKind::kClosure ? "closure"
                                                      : "local");
    lua_setfield(L, -2, "kind");
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

}  // namespace

int open_calendar_module(lua_State* L) {
  void* calendar = lua_touserdata(L, 1);  // the context (nil: the default government calendar)
  static const luaL_Reg fns[] = {
      JIMU_LUA_FN("is_business_day", cal_is_business_day),
      JIMU_LUA_FN("add_business_days", cal_add_business_days),
      JIMU_LUA_FN("next_business_day", cal_next_business_day),
      JIMU_LUA_FN("previous_business_day", cal_previous_business_day),
      JIMU_LUA_FN("business_days_between", cal_business_days_between),
      JIMU_LUA_FN("nth_business_day", cal_nth_business_day),
      JIMU_LUA_FN("last_business_day", cal_last_business_day),
      JIMU_LUA_FN("holidays", cal_holidays),
      {nullptr, nullptr}};
  luaL_newlibtable(L, fns);
  lua_pushlightuserdata(L, calendar);
  luaL_setfuncs(L, fns, 1);  // every function gets the calendar as upvalue 1
  return 1;
}

}  // namespace jimu
