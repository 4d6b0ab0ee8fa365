// jimu.xlsx: writing workbooks (libxlsxwriter, through XlsxWriter) and reading them as a stream of
// rows (XlsxReader). Register with LuaModule{"xlsx", &open_xlsx_module}. The reference is
// scripts/reference/xlsx.md.
#pragma once

struct lua_State;

namespace jimu {
int open_xlsx_module(lua_State* L);
}
