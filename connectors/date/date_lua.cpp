#include "connectors/date/date_lua.h"

#include <cmath>
#include <string>

#include "connectors/date/date_arg.h"
#include "engine/calendar/excel_serial.h"
#include "engine/calendar/wareki.h"
#include "engine/core/clock.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

// jimu.date.parse(text) -> d | nil, msg, "parse"
int date_parse(lua_State* L) {
  size_t n = 0;
  const char* s = luaL_checklstring(L, 1, &n);
  auto d = parse_date(std::string_view(s, n));
  if (!d) return lua::push_failure(L, d.status());
  lua::push_date(L, *d);
  return 1;
}

// jimu.date.parse_fiscal_year(text) -> year | nil, msg, "parse"
int date_parse_fiscal_year(lua_State* L) {
  size_t n = 0;
  const char* s = luaL_checklstring(L, 1, &n);
  auto fy = parse_fiscal_year(std::string_view(s, n));
  if (!fy) return lua::push_failure(L, fy.status());
  lua_pushinteger(L, *fy);
  return 1;
}

// jimu.date.format(d [, format = "iso"]) -> text | nil, msg, "invalid"
// A bad format is the script's mistake and raises; a date the format cannot show (wareki before
// 1873) depends on the data and fails softly.
int date_format(lua_State* L) {
  CivilDate d = lua::check_date(L, 1);
  std::string format = luaL_optstring(L, 2, "iso");
  if (auto probe = format_date(CivilDate{2000, 1, 1}, format); !probe) {
    luaL_argerror(L, 2, probe.status().message().c_str());
  }
  auto text = format_date(d, format);
  if (!text) return lua::push_failure(L, text.status());
  lua_pushlstring(L, text->data(), text->size());
  return 1;
}

// jimu.date.fiscal_year(d) -> 2026, "令和8年度"
int date_fiscal_year(lua_State* L) {
  CivilDate d = lua::check_date(L, 1);
  int fy = fiscal_year_of(d);
  lua_pushinteger(L, fy);
  lua_pushstring(L, fiscal_year_wareki_label(fy).c_str());
  return 2;
}

ExcelDateSystem excel_system(lua_State* L, int idx) {
  lua::check_options(L, idx, {"date1904"});
  return lua::opt_bool(L, idx, "date1904").value_or(false) ? ExcelDateSystem::k1904
                                                            : ExcelDateSystem::k1900;
}

// jimu.date.from_excel(serial [, { date1904 = false }]) -> d | nil, msg, "invalid"
// d has hour, min and sec too when the serial has a time of day.
int date_from_excel(lua_State* L) {
  lua_Number serial = luaL_checknumber(L, 1);
  ExcelDateSystem system = excel_system(L, 2);
  auto t = from_excel_serial(serial, system);
  if (!t) return lua::push_failure(L, t.status());
  lua::push_date(L, t->date);
  if (serial != std::floor(serial)) {
    lua_pushinteger(L, t->seconds / 3600);
    lua_setfield(L, -2, "hour");
    lua_pushinteger(L, t->seconds / 60 % 60);
    lua_setfield(L, -2, "min");
    lua_pushinteger(L, t->seconds % 60);
    lua_setfield(L, -2, "sec");
  }
  return 1;
}

// Optional time field of a date table: hour, min or sec; 0 when absent.
int time_field(lua_State* L, int idx, const char* key, int limit) {
  if (!lua_istable(L, idx)) return 0;
  lua_getfield(L, idx, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  int is_int = 0;
  lua_Integer v = lua_type(L, -1) == LUA_TNUMBER ? lua_tointegerx(L, -1, &is_int) : 0;
  lua_pop(L, 1);
  if (!is_int || v < 0 || v >= limit) {
    std::string msg = "field '" + std::string(key) + "' must be an integer from 0 to " +
                      std::to_string(limit - 1);
    luaL_argerror(L, idx, msg.c_str());
  }
  return static_cast<int>(v);
}

// jimu.date.to_excel(d [, { date1904 = false }]) -> serial | nil, msg, "invalid"
int date_to_excel(lua_State* L) {
  CivilDate d = lua::check_date(L, 1);
  int seconds = time_field(L, 1, "hour", 24) * 3600 + time_field(L, 1, "min", 60) * 60 +
                time_field(L, 1, "sec", 60);
  ExcelDateSystem system = excel_system(L, 2);
  auto serial = to_excel_serial(d, seconds, system);
  if (!serial) return lua::push_failure(L, serial.status());
  if (seconds == 0) {
    lua_pushinteger(L, static_cast<lua_Integer>(*serial));
  } else {
    lua_pushnumber(L, *serial);
  }
  return 1;
}

// jimu.date.today() -> d, the date in Japan now.
int date_today(lua_State* L) {
  const Clock* clock = static_cast<const Clock*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (clock == nullptr) clock = &SystemClock::instance();
  lua::push_date(L, CivilDate::from_epoch_ms(clock->now_ms()));
  return 1;
}

CivilDate checked_result(lua_State* L, int64_t days) {
  // Keep results within 0001-01-01 .. 9999-12-31, the range every other function accepts.
  static const int64_t kMin = CivilDate{1, 1, 1}.days_since_epoch();
  static const int64_t kMax = CivilDate{9999, 12, 31}.days_since_epoch();
  if (days < kMin || days > kMax) luaL_error(L, "date out of range (0001-01-01 to 9999-12-31)");
  return CivilDate::from_days(days);
}

// jimu.date.add_days(d, n) -> d
int date_add_days(lua_State* L) {
  CivilDate d = lua::check_date(L, 1);
  lua_Integer n = luaL_checkinteger(L, 2);
  if (n > 10000000 || n < -10000000) luaL_argerror(L, 2, "too many days");
  lua::push_date(L, checked_result(L, d.days_since_epoch() + n));
  return 1;
}

// jimu.date.days_between(a, b) -> b - a in days
int date_days_between(lua_State* L) {
  CivilDate a = lua::check_date(L, 1);
  CivilDate b = lua::check_date(L, 2);
  lua_pushinteger(L, b.days_since_epoch() - a.days_since_epoch());
  return 1;
}

// jimu.date.weekday(d) -> 0 (Sunday) .. 6 (Saturday)
int date_weekday(lua_State* L) {
  lua_pushinteger(L, lua::check_date(L, 1).weekday());
  return 1;
}

}  // namespace

int open_date_module(lua_State* L) {
  void* clock = lua_touserdata(L, 1);  // the context (nil: the system clock)
  static const luaL_Reg fns[] = {JIMU_LUA_FN("parse", date_parse),
                                 JIMU_LUA_FN("parse_fiscal_year", date_parse_fiscal_year),
                                 JIMU_LUA_FN("format", date_format),
                                 JIMU_LUA_FN("fiscal_year", date_fiscal_year),
                                 JIMU_LUA_FN("from_excel", date_from_excel),
                                 JIMU_LUA_FN("to_excel", date_to_excel),
                                 JIMU_LUA_FN("add_days", date_add_days),
                                 JIMU_LUA_FN("days_between", date_days_between),
                                 JIMU_LUA_FN("weekday", date_weekday),
                                 {nullptr, nullptr}};
  luaL_newlib(L, fns);
  lua_pushlightuserdata(L, clock);
  lua_pushcclosure(L, &lua::guarded<date_today>, 1);
  lua_setfield(L, -2, "today");
  return 1;
}

}  // namespace jimu
