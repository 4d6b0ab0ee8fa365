#include "connectors/text/text_lua.h"

#include <string>
#include <string_view>

#include "connectors/text/display_width.h"
#include "connectors/text/my_number.h"
#include "connectors/text/nfkc.h"
#include "connectors/text/trim.h"
#include "connectors/text/variant_fold.h"
#include "connectors/text/width_fold.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

std::string_view check_text(lua_State* L, int arg) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, arg, &len);
  return {s, len};
}

// Lets a long fold be stopped by the run's time or memory limit (raises through the core's loop,
// which holds no resources but std::strings).
text::Tick stop_tick(lua_State* L) {
  return [L] { lua::check_stop(L); };
}

int push_text(lua_State* L, const Result<std::string>& r) {
  if (!r) return lua::push_failure(L, r.status());
  lua_pushlstring(L, r->data(), r->size());
  return 1;
}

// The width classes of an option table: without a class set to true every class not set to false
// is converted; with any class set to true only those are. `ascii` stands for letters, digits and
// symbols together; a class's own key wins over it.
text::WidthClasses check_classes(lua_State* L, int idx) {
  lua::check_options(L, idx, {"ascii", "letters", "digits", "symbols", "space", "kana"});
  std::optional<bool> ascii = lua::opt_bool(L, idx, "ascii");
  std::optional<bool> given[] = {lua::opt_bool(L, idx, "letters"), lua::opt_bool(L, idx, "digits"),
                                 lua::opt_bool(L, idx, "symbols"), lua::opt_bool(L, idx, "space"),
                                 lua::opt_bool(L, idx, "kana")};
  for (int i = 0; i < 3; ++i) {
    if (!given[i]) given[i] = ascii;
  }
  bool select_only = false;
  for (const auto& g : given) select_only = select_only || g.value_or(false);
  bool on[5];
  for (int i = 0; i < 5; ++i) {
    on[i] = select_only ? given[i].value_or(false) : given[i].value_or(true);
  }
  text::WidthClasses classes;
  classes.letters = on[0];
  classes.digits = on[1];
  classes.symbols = on[2];
  classes.space = on[3];
  classes.kana = on[4];
  return classes;
}

// jimu.text.normalize(s) -> string | nil, msg, "encoding"
int text_normalize(lua_State* L) {
  std::string_view s = check_text(L, 1);
  return push_text(L, text::normalize_nfkc(s, stop_tick(L)));
}

// jimu.text.to_halfwidth(s [, classes]) -> string | nil, msg, "encoding"
int text_to_halfwidth(lua_State* L) {
  std::string_view s = check_text(L, 1);
  text::WidthClasses classes = check_classes(L, 2);
  return push_text(L, text::to_halfwidth(s, classes, stop_tick(L)));
}

// jimu.text.to_fullwidth(s [, classes]) -> string | nil, msg, "encoding"
int text_to_fullwidth(lua_State* L) {
  std::string_view s = check_text(L, 1);
  text::WidthClasses classes = check_classes(L, 2);
  return push_text(L, text::to_fullwidth(s, classes, stop_tick(L)));
}

// jimu.text.fold_variants(s [, { to = "windows" }]) -> string | nil, msg, "encoding"
int text_fold_variants(lua_State* L) {
  std::string_view s = check_text(L, 1);
  lua::check_options(L, 2, {"to"});
  std::string to = lua::opt_string(L, 2, "to").value_or("windows");
  text::VariantSide side;
  if (to == "windows") {
    side = text::VariantSide::kWindows;
  } else if (to == "jis") {
    side = text::VariantSide::kJis;
  } else {
    std::string msg = "option 'to' must be \"windows\" or \"jis\", not \"" + to + "\"";
    return luaL_argerror(L, 2, msg.c_str());
  }
  return push_text(L, text::fold_variants(s, side, stop_tick(L)));
}

// jimu.text.width(s [, { ambiguous = 1 }]) -> integer | nil, msg, "encoding"
int text_width(lua_State* L) {
  std::string_view s = check_text(L, 1);
  lua::check_options(L, 2, {"ambiguous"});
  lua_Integer ambiguous = lua::opt_integer(L, 2, "ambiguous").value_or(1);
  if (ambiguous != 1 && ambiguous != 2) {
    std::string msg = "option 'ambiguous' must be 1 or 2, not " + std::to_string(ambiguous);
    return luaL_argerror(L, 2, msg.c_str());
  }
  auto width = text::display_width(s, static_cast<int>(ambiguous), stop_tick(L));
  if (!width) return lua::push_failure(L, width.status());
  lua_pushinteger(L, *width);
  return 1;
}

// jimu.text.trim(s) -> string | nil, msg, "encoding"
int text_trim(lua_State* L) {
  std::string_view s = check_text(L, 1);
  auto trimmed = text::trim(s);
  if (!trimmed) return lua::push_failure(L, trimmed.status());
  lua_pushlstring(L, trimmed->data(), trimmed->size());
  return 1;
}

// jimu.text.mask_my_number(s) -> string, count
int text_mask_my_number(lua_State* L) {
  std::string_view s = check_text(L, 1);
  int count = 0;
  std::string masked = text::mask_my_number(s, &count);
  lua_pushlstring(L, masked.data(), masked.size());
  lua_pushinteger(L, count);
  return 2;
}

}  // namespace

int open_text_module(lua_State* L) {
  static const luaL_Reg fns[] = {JIMU_LUA_FN("normalize", text_normalize),
                                 JIMU_LUA_FN("to_halfwidth", text_to_halfwidth),
                                 JIMU_LUA_FN("to_fullwidth", text_to_fullwidth),
                                 JIMU_LUA_FN("fold_variants", text_fold_variants),
                                 JIMU_LUA_FN("width", text_width),
                                 JIMU_LUA_FN("trim", text_trim),
                                 JIMU_LUA_FN("mask_my_number", text_mask_my_number),
                                 {nullptr, nullptr}};
  luaL_newlib(L, fns);
  return 1;
}

}  // namespace jimu
