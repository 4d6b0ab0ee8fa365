// jimu.csv: streaming CSV reads (rows), whole reads (read), whole writes (write) and a writer
// handle (writer), over the plain C++ CsvReader/CsvWriter. Register with
// LuaModule{"csv", &open_csv_module}. The Lua API is documented in scripts/reference/csv.md.
#pragma once

struct lua_State;

namespace jimu {
int open_csv_module(lua_State* L);
}
