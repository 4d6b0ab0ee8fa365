#include "connectors/date/date_arg.h"

#include <string>

#include "engine/script/binding.h"

namespace jimu::lua {
namespace {

constexpr const char* kExpected = "date expected: 'YYYY-MM-DD' or { year, month, day }";

int field(lua_State* L, int idx, const char* key) {
  lua_getfield(L, idx, key);
  int is_int = 0;
  // Numbers only: "4" converts in Lua, but a date table with text in it is a mistake upstream.
  lua_Integer v = lua_type(L, -1) == LUA_TNUMBER ? lua_tointegerx(L, -1, &is_int) : 0;
  lua_pop(L, 1);
  if (!is_int || v < -100000 || v > 100000) {
    std::string msg = std::string(kExpected) + ", field '" + key + "' is not an integer";
    luaL_argerror(L, idx, msg.c_str());
  }
  return static_cast<int>(v);
}

}  // namespace

CivilDate check_date(lua_State* L, int idx) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
      size_t n = 0;
      const char* s = lua_tolstring(L, idx, &n);
      auto d = CivilDate::parse_iso(std::string_view(s, n));
      if (!d) {
        std::string msg = "'" + std::string(s, n) +
                          "' is not a date in the form YYYY-MM-DD (jimu.date.parse reads other "
                          "forms)";
        luaL_argerror(L, idx, msg.c_str());
      }
      return *d;
    }
    case LUA_TTABLE: {
      CivilDate d{field(L, idx, "year"), field(L, idx, "month"), field(L, idx, "day")};
      if (!CivilDate::is_valid(d.year, d.month, d.day)) {
        std::string msg = "{ year = " + std::to_string(d.year) + ", month = " +
                          std::to_string(d.month) + ", day = " + std::to_string(d.day) +
                          " } is not a date";
        luaL_argerror(L, idx, msg.c_str());
      }
      return d;
    }
    default: {
      std::string msg = std::string(kExpected) + ", got " + luaL_typename(L, idx);
      luaL_argerror(L, idx, msg.c_str());
      return CivilDate{};
    }
  }
}

void push_date(lua_State* L, const CivilDate& date) {
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, date.year);
  lua_setfield(L, -2, "year");
  lua_pushinteger(L, date.month);
  lua_setfield(L, -2, "month");
  lua_pushinteger(L, date.day);
  lua_setfield(L, -2, "day");
}

}  // namespace jimu::lua
