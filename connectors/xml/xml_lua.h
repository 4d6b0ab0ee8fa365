// jimu.xml: load/parse XML with XPath selection into plain tables, stream the records of large
// exports, and write XML for re-import. Register with LuaModule{"xml", &open_xml_module}.
// The Lua API is documented in scripts/reference/xml.md.
#pragma once

struct lua_State;

namespace jimu {
int open_xml_module(lua_State* L);
}
