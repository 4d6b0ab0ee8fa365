#include "connectors/xml/xml_lua.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "connectors/xml/xml_document.h"
#include "connectors/xml/xml_stream.h"
#include "connectors/xml/xml_writer.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

constexpr const char* kDocType = "jimu.xml.doc";

// Builds node tables { tag, attrs, text, children } on the Lua stack from TreeSink calls.
// Top-level values are appended to the table at results_index (select) or handed to fn (each).
class LuaTreeSink : public xml::RecordSink {
 public:
  // Pushes the four key strings; the sink uses the stack above them.
  explicit LuaTreeSink(lua_State* L) : L_(L) {
    luaL_checkstack(L, 8, "XML too deep");
    for (const char* key : {"tag", "attrs", "text", "children"}) lua_pushstring(L, key);
    keys_ = lua_gettop(L) - 3;
  }

  void collect_into(int results_index) { results_ = results_index; }
  // Flat records (each with flat = true): fields go straight into one table per record.
  void set_flat() { flat_ = true; }
  void call_for_each(int fn_index) { fn_ = fn_index; }
  bool failed() const { return failed_; }
  size_t records() const { return records_; }

  void open_element(std::string_view tag, std::string_view text, size_t attr_count,
                    size_t child_count) override {
    luaL_checkstack(L_, 8, "XML nested too deeply");
    if (flat_) {
      lua_createtable(L_, 0, static_cast<int>(attr_count));
      return;
    }
    lua_createtable(L_, 0, 4);
    lua_pushvalue(L_, keys_ + kTag);
    lua_pushlstring(L_, tag.data(), tag.size());
    lua_rawset(L_, -3);
    lua_pushvalue(L_, keys_ + kText);
    lua_pushlstring(L_, text.data(), text.size());
    lua_rawset(L_, -3);
    lua_pushvalue(L_, keys_ + kAttrs);
    lua_createtable(L_, 0, static_cast<int>(attr_count));
    levels_.push_back(Level{0, attr_count});
    if (attr_count == 0)
      attrs_done(child_count);
    else
      pending_children_ = child_count;
  }

  void attribute(std::string_view name, std::string_view value) override {
    lua_pushlstring(L_, name.data(), name.size());
    lua_pushlstring(L_, value.data(), value.size());
    lua_rawset(L_, -3);
    if (flat_) return;
    if (--levels_.back().attrs_left == 0) attrs_done(pending_children_);
  }

  void close_element() override {
    if (flat_) return;
    lua_rawset(L_, -3);  // node.children = children
    levels_.pop_back();
    if (!levels_.empty()) {
      lua_rawseti(L_, -2, ++levels_.back().children);
    } else {
      top_level();
    }
  }

  void string_value(std::string_view value) override {
    lua_pushlstring(L_, value.data(), value.size());
    top_level();
  }
  void number_value(double value) override {
    double integral;
    if (std::modf(value, &integral) == 0.0 && std::fabs(value) < 9.0e15) {
      lua_pushinteger(L_, static_cast<lua_Integer>(value));
    } else {
      lua_pushnumber(L_, value);
    }
    top_level();
  }
  void boolean_value(bool value) override {
    lua_pushboolean(L_, value);
    top_level();
  }

  // each(): calls fn(node) in protected mode. A Lua error stops the stream and stays on the
  // stack for the caller to raise again once the C++ side has unwound.
  bool record_done() override {
    ++records_;
    if ((records_ & 1023) == 0) lua::check_stop(L_);
    lua_pushvalue(L_, fn_);
    lua_insert(L_, -2);
    if (lua_pcall(L_, 1, 1, 0) != LUA_OK) {
      failed_ = true;
      return false;
    }
    bool stop = lua_isboolean(L_, -1) && !lua_toboolean(L_, -1);
    lua_pop(L_, 1);
    return !stop;
  }

 private:
  enum { kTag = 0, kAttrs = 1, kText = 2, kChildren = 3 };
  struct Level {
    lua_Integer children;
    size_t attrs_left;
  };

  // Stack: node, "attrs", attrs -> node, "children", children
  void attrs_done(size_t child_count) {
    lua_rawset(L_, -3);
    lua_pushvalue(L_, keys_ + kChildren);
    lua_createtable(L_, static_cast<int>(child_count), 0);
  }

  void top_level() {
    if (results_ != 0) lua_rawseti(L_, results_, ++result_count_);
    // In each() mode the node stays on the stack for record_done().
  }

  lua_State* L_;
  int keys_ = 0;
  int results_ = 0;
  int fn_ = 0;
  lua_Integer result_count_ = 0;
  size_t pending_children_ = 0;
  size_t records_ = 0;
  bool failed_ = false;
  bool flat_ = false;
  std::vector<Level> levels_;
};

xml::ReadOptions read_options(lua_State* L, int idx) {
  xml::ReadOptions o;
  o.encoding = lua::opt_string(L, idx, "encoding").value_or("auto");
  static const char* const kNames[] = {"auto", "utf-8", "shift_jis", "cp932", "euc-jp"};
  if (std::find(std::begin(kNames), std::end(kNames), o.encoding) == std::end(kNames)) {
    luaL_argerror(
        L, idx,
        ("unknown encoding '" + o.encoding + "' (expected auto, utf-8, shift_jis, cp932 or euc-jp)")
            .c_str());
  }
  return o;
}

// jimu.xml.load(path [, { encoding = "auto" }]) -> doc | nil, msg, code
int xml_load(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  lua::check_options(L, 2, {"encoding"});
  xml::ReadOptions options = read_options(L, 2);
  auto resolved = lua::resolve_read(L, path);
  if (!resolved) return lua::push_failure(L, resolved.status());
  auto doc = xml::XmlDocument::load(*resolved, path, options);
  if (!doc) return lua::push_failure(L, doc.status());
  lua::push_handle(L, kDocType, doc->release());
  return 1;
}

// jimu.xml.parse(text [, { encoding = "auto", name = "(text)" }]) -> doc | nil, msg, code
int xml_parse(lua_State* L) {
  size_t len = 0;
  const char* text = luaL_checklstring(L, 1, &len);
  lua::check_options(L, 2, {"encoding", "name"});
  xml::ReadOptions options = read_options(L, 2);
  std::string name = lua::opt_string(L, 2, "name").value_or("(text)");
  auto doc = xml::XmlDocument::parse(std::string_view(text, len), name, options);
  if (!doc) return lua::push_failure(L, doc.status());
  lua::push_handle(L, kDocType, doc->release());
  return 1;
}

int select_into_table(lua_State* L, size_t limit) {
  auto* doc = lua::check_handle<xml::XmlDocument>(L, 1, kDocType);
  std::string xpath = luaL_checkstring(L, 2);
  lua_settop(L, 2);
  lua_newtable(L);  // 3: results
  LuaTreeSink sink(L);
  sink.collect_into(3);
  auto n = doc->select(xpath, sink, limit);
  if (!n) luaL_argerror(L, 2, n.status().message().c_str());
  lua_settop(L, 3);
  return 1;
}

// doc:select(xpath) -> { value ... }
int doc_select(lua_State* L) { return select_into_table(L, 0); }

// doc:select_one(xpath) -> value | nil
int doc_select_one(lua_State* L) {
  select_into_table(L, 1);
  lua_rawgeti(L, -1, 1);
  return 1;
}

// doc:close()
int doc_close(lua_State* L) {
  lua::close_handle<xml::XmlDocument>(L, 1, kDocType);
  return 0;
}

// jimu.xml.each(path, record_path, fn [, { encoding = "auto", flat = false }])
//   -> count | nil, msg, code
int xml_each(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  std::string record_path = luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  lua::check_options(L, 4, {"encoding", "flat"});
  xml::StreamOptions options;
  options.read = read_options(L, 4);
  options.flat = lua::opt_bool(L, 4, "flat").value_or(false);
  auto names = xml::parse_record_path(record_path);
  if (!names) luaL_argerror(L, 2, names.status().message().c_str());
  auto resolved = lua::resolve_read(L, path);
  if (!resolved) return lua::push_failure(L, resolved.status());
  lua_settop(L, 3);
  LuaTreeSink sink(L);
  sink.call_for_each(3);
  if (options.flat) sink.set_flat();
  auto count = xml::each_record(*resolved, path, *names, sink, options);
  if (sink.failed()) return lua_error(L);  // fn's error, on top of the stack
  if (!count) return lua::push_failure(L, count.status());
  lua_pushinteger(L, static_cast<lua_Integer>(*count));
  return 1;
}

// ---- write ----------------------------------------------------------------------------------

std::string value_string(lua_State* L, int idx, const std::string& where) {
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, idx, &len);
      return std::string(s, len);
    }
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) return std::to_string(lua_tointeger(L, idx));
      {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.14g", lua_tonumber(L, idx));
        return buf;
      }
    case LUA_TBOOLEAN:
      return lua_toboolean(L, idx) ? "true" : "false";
    default:
      luaL_argerror(
          L, 2,
          (where + " must be a string, number or boolean, not " + luaL_typename(L, idx)).c_str());
      return {};
  }
}

// Converts the node table at idx (absolute) to an XmlNode; misuse raises naming where.
void to_node(lua_State* L, int idx, const std::string& where, int depth, xml::XmlNode& out) {
  if (depth > 1000)
    luaL_argerror(L, 2, (where + ": nested more than 1000 levels (a cycle?)").c_str());
  if (!lua_istable(L, idx)) {
    luaL_argerror(L, 2, (where + " must be a node table, not " + luaL_typename(L, idx)).c_str());
  }
  luaL_checkstack(L, 6, "XML nested too deeply");
  lua_getfield(L, idx, "tag");
  if (!lua_isstring(L, -1) || lua_isnumber(L, -1)) {
    luaL_argerror(L, 2, (where + ".tag must be a string").c_str());
  }
  out.tag = lua_tostring(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, idx, "text");
  if (!lua_isnil(L, -1)) out.text = value_string(L, -1, where + ".text");
  lua_pop(L, 1);
  lua_getfield(L, idx, "attrs");
  int attrs = lua_gettop(L);
  if (!lua_isnil(L, attrs)) {
    if (!lua_istable(L, attrs)) luaL_argerror(L, 2, (where + ".attrs must be a table").c_str());
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, attrs));
    if (n > 0) {
      // An array of { name, value } pairs, written in this order.
      for (lua_Integer i = 1; i <= n; ++i) {
        std::string at = where + ".attrs[" + std::to_string(i) + "]";
        lua_rawgeti(L, attrs, i);
        if (!lua_istable(L, -1))
          luaL_argerror(L, 2, (at + " must be a { name, value } pair").c_str());
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        if (lua_type(L, -2) != LUA_TSTRING) {
          luaL_argerror(L, 2, (at + "[1] must be the attribute's name").c_str());
        }
        out.attrs.emplace_back(lua_tostring(L, -2), value_string(L, -1, at + "[2]"));
        lua_pop(L, 3);
      }
    } else {
      // A map: written sorted by name, so the output does not depend on table order.
      lua_pushnil(L);
      while (lua_next(L, attrs) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING) {
          luaL_argerror(L, 2, (where + ".attrs: keys must be attribute names").c_str());
        }
        std::string name = lua_tostring(L, -2);
        out.attrs.emplace_back(name, value_string(L, -1, where + ".attrs." + name));
        lua_pop(L, 1);
      }
      std::sort(out.attrs.begin(), out.attrs.end());
    }
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "children");
  int children = lua_gettop(L);
  if (!lua_isnil(L, children)) {
    if (!lua_istable(L, children))
      luaL_argerror(L, 2, (where + ".children must be a table").c_str());
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, children));
    out.children.resize(static_cast<size_t>(n));
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, children, i);
      to_node(L, lua_gettop(L), where + ".children[" + std::to_string(i) + "]", depth + 1,
              out.children[static_cast<size_t>(i - 1)]);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

// jimu.xml.write(path, node [, { encoding = "utf-8", indent = 2, declaration = true }])
//   -> true | nil, msg, code
int xml_write(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua::check_options(L, 3, {"encoding", "indent", "declaration"});
  xml::WriteOptions options;
  std::string encoding = lua::opt_string(L, 3, "encoding").value_or("utf-8");
  if (encoding == "utf-8") {
    options.encoding = xml::OutputEncoding::kUtf8;
  } else if (encoding == "shift_jis") {
    options.encoding = xml::OutputEncoding::kShiftJis;
  } else if (encoding == "windows-31j" || encoding == "cp932") {
    options.encoding = xml::OutputEncoding::kWindows31J;
  } else {
    luaL_argerror(
        L, 3,
        ("unknown encoding '" + encoding + "' (expected utf-8, shift_jis, windows-31j or cp932)")
            .c_str());
  }
  lua_Integer indent = lua::opt_integer(L, 3, "indent").value_or(2);
  if (indent < 0 || indent > 16) luaL_argerror(L, 3, "indent must be 0 to 16 spaces");
  options.indent = static_cast<int>(indent);
  options.declaration = lua::opt_bool(L, 3, "declaration").value_or(true);
  xml::XmlNode root;
  to_node(L, 2, "node", 0, root);
  auto resolved = lua::resolve_write(L, path);
  if (!resolved) return lua::push_failure(L, resolved.status());
  return lua::push_status(L, xml::write_xml_file(*resolved, path, root, options));
}

}  // namespace

int open_xml_module(lua_State* L) {
  static const luaL_Reg doc_methods[] = {JIMU_LUA_FN("select", doc_select),
                                         JIMU_LUA_FN("select_one", doc_select_one),
                                         JIMU_LUA_FN("close", doc_close),
                                         {nullptr, nullptr}};
  lua::register_handle<xml::XmlDocument>(L, kDocType, doc_methods);
  static const luaL_Reg fns[] = {JIMU_LUA_FN("load", xml_load),
                                 JIMU_LUA_FN("parse", xml_parse),
                                 JIMU_LUA_FN("each", xml_each),
                                 JIMU_LUA_FN("write", xml_write),
                                 {nullptr, nullptr}};
  luaL_newlib(L, fns);
  return 1;
}

}  // namespace jimu
