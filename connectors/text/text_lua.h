// jimu.text: NFKC, width folding, the CP932/JIS variant pairs, display width, trimming and masking
// of individual numbers (マイナンバー). Register with LuaModule{"text", &open_text_module}.
// Reference: scripts/reference/text.md.
#pragma once

struct lua_State;

namespace jimu {
int open_text_module(lua_State* L);
}
