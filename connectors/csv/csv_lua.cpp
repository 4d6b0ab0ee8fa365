#include "connectors/csv/csv_lua.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "connectors/csv/csv_reader.h"
#include "connectors/csv/csv_writer.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

constexpr const char* kReaderType = "jimu.csv.reader";
constexpr const char* kWriterType = "jimu.csv.writer";
constexpr int kStopEvery = 4096;  // rows between lua::check_stop calls

// ---- options ----------------------------------------------------------------------------------

char delimiter_option(lua_State* L, int idx) {
  auto d = lua::opt_string(L, idx, "delimiter");
  if (!d) return ',';
  if (d->size() != 1 || (*d)[0] == '"' || (*d)[0] == '\r' || (*d)[0] == '\n' ||
      (static_cast<unsigned char>((*d)[0]) & 0x80)) {
    luaL_argerror(L, idx,
                  "option 'delimiter' must be one ASCII character other than a quote or "
                  "a line break, such as \",\" or \"\\t\"");
  }
  return (*d)[0];
}

csv::Encoding encoding_option(lua_State* L, int idx, bool allow_auto, csv::Encoding fallback) {
  auto e = lua::opt_string(L, idx, "encoding");
  if (!e) return fallback;
  if (allow_auto && *e == "auto") return csv::Encoding::kAuto;
  if (*e == "utf-8" || *e == "utf8") return csv::Encoding::kUtf8;
  if (*e == "cp932" || *e == "shift_jis") return csv::Encoding::kCp932;
  std::string msg = "option 'encoding' must be " + std::string(allow_auto ? "\"auto\", " : "") +
                    "\"utf-8\" or \"cp932\", not '" + *e + "'";
  luaL_argerror(L, idx, msg.c_str());
  return fallback;
}

// Pushes the list of header names at opts[key] checked as a non-empty array of strings; returns
// how many. Leaves nothing when the option is absent or a boolean (returns 0).
int push_name_list(lua_State* L, int opts, const char* fn) {
  if (lua_isnoneornil(L, opts)) return 0;
  if (lua_getfield(L, opts, "header") != LUA_TTABLE) {
    lua_pop(L, 1);
    return 0;
  }
  int n = static_cast<int>(lua_rawlen(L, -1));
  if (n == 0) luaL_argerror(L, opts, "option 'header' must be true, false or a list of names");
  for (int i = 1; i <= n; ++i) {
    if (lua_rawgeti(L, -1, i) != LUA_TSTRING) {
      std::string msg = "option 'header' name " + std::to_string(i) + " must be a string";
      luaL_argerror(L, opts, msg.c_str());
    }
    lua_pop(L, 1);
  }
  return n;
}

// ---- reading ----------------------------------------------------------------------------------

struct LuaReader {
  std::unique_ptr<csv::CsvReader> reader;
  csv::Row row;
  bool have_row = false;  // row holds a row not yet handed out
  int nkeys = 0;          // keyed rows: the length of the key table; 0 for arrays
  long long rows = 0;
};

// Opens the reader described by (path at 1, options at 2) into r, and leaves its key table (or
// nil) on the stack. Returns a failure Status for operational errors; raises for misuse.
Status open_reader(lua_State* L, LuaReader& r) {
  std::string path = luaL_checkstring(L, 1);
  lua::check_options(L, 2, {"encoding", "header", "delimiter", "strict", "skip_empty_lines"});
  csv::ReadOptions o;
  o.encoding = encoding_option(L, 2, true, csv::Encoding::kAuto);
  o.delimiter = delimiter_option(L, 2);
  o.strict = lua::opt_bool(L, 2, "strict").value_or(false);
  o.skip_empty_lines = lua::opt_bool(L, 2, "skip_empty_lines").value_or(true);
  bool header_row = false;
  int names = push_name_list(L, 2, "rows");  // header = {names}: the key table itself
  if (names == 0) {
    if (!lua_isnoneornil(L, 2)) {
      int t = lua_getfield(L, 2, "header");
      if (t == LUA_TBOOLEAN) {
        header_row = lua_toboolean(L, -1);
      } else if (t != LUA_TNIL) {
        luaL_argerror(L, 2, "option 'header' must be true, false or a list of names");
      }
      lua_pop(L, 1);
    }
    lua_pushnil(L);
  } else {
    o.expected_fields = static_cast<size_t>(names);
  }
  r.nkeys = names;
  auto resolved = lua::resolve_read(L, path);
  if (!resolved) return resolved.status();
  auto opened = csv::CsvReader::open(*resolved, path, o);
  if (!opened) return opened.status();
  r.reader = std::move(opened).value();
  if (header_row) {
    auto got = r.reader->next(r.row);
    if (!got) return got.status();
    lua_pop(L, 1);  // the nil
    if (!*got) {
      lua_newtable(L);  // an empty file: no header, no rows
      return Status::ok();
    }
    int n = static_cast<int>(r.row.size());
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; ++i) {
      if (r.row.field_size(i) == 0) {
        lua_pushinteger(L, i + 1);  // a column without a name keeps its number
      } else {
        lua_pushlstring(L, r.row.field_data(i), r.row.field_size(i));
        // Duplicate names would silently lose a column: refuse them.
        for (int j = 0; j < i; ++j) {
          if (r.row[j] == r.row[i]) {
            return Status::parse(path + ":" + std::to_string(r.row.line()) + ":1: column name '" +
                                 std::string(r.row[i]) + "' appears twice (columns " +
                                 std::to_string(j + 1) + " and " + std::to_string(i + 1) + ")");
          }
        }
      }
      lua_rawseti(L, -2, i + 1);
    }
    r.nkeys = n;
  }
  return Status::ok();
}

// Pushes r.row as a table: keyed by the key table at keys (when r.nkeys > 0), else an array.
void push_row(lua_State* L, const LuaReader& r, int keys) {
  const csv::Row& row = r.row;
  int n = static_cast<int>(row.size());
  if (r.nkeys == 0) {
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; ++i) {
      lua_pushlstring(L, row.field_data(i), row.field_size(i));
      lua_rawseti(L, -2, i + 1);
    }
    return;
  }
  lua_createtable(L, 0, n);
  for (int i = 0; i < n; ++i) {
    if (i < r.nkeys) {
      lua_rawgeti(L, keys, i + 1);
    } else {
      lua_pushinteger(L, i + 1);  // a field beyond the header keeps its column number
    }
    lua_pushlstring(L, row.field_data(i), row.field_size(i));
    lua_rawset(L, -3);
  }
}

// The iterator: (reader) -> row | nil. Raises "FILE:LINE:COL: message" on bad input.
int rows_next(lua_State* L) {
  auto* r = lua::check_handle<LuaReader>(L, 1, kReaderType);
  if (!r->have_row) {
    if (++r->rows % kStopEvery == 0) lua::check_stop(L);
    auto got = r->reader->next(r->row);
    if (!got) lua::raise(L, got.status().message());
    if (!*got) {
      lua_pushnil(L);
      return 1;
    }
  }
  r->have_row = false;
  lua_getiuservalue(L, 1, 1);
  push_row(L, *r, lua_gettop(L));
  return 1;
}

// jimu.csv.rows(path [, opts]) -> iterator, reader, nil, reader | nil, msg, code
int csv_rows(lua_State* L) {
  auto holder = std::make_unique<LuaReader>();
  Status st = open_reader(L, *holder);
  if (!st) return lua::push_failure(L, st);
  int keys = lua_gettop(L);
  LuaReader* r = holder.get();
  // Read the first data row now, so that a file unreadable from its start fails here, where
  // the caller can still branch on the code.
  auto got = r->reader->next(r->row);
  if (!got) return lua::push_failure(L, got.status());
  r->have_row = *got;
  lua_pushcfunction(L, &lua::guarded<rows_next>);
  lua::push_handle(L, kReaderType, holder.release());
  lua_pushvalue(L, keys);
  lua_setiuservalue(L, -2, 1);
  lua_pushnil(L);
  lua_pushvalue(L, -2);  // the closing value: leaving the loop closes the file
  return 4;
}

// jimu.csv.read(path [, opts]) -> rows | nil, msg, code
int csv_read(lua_State* L) {
  LuaReader r;
  Status st = open_reader(L, r);
  if (!st) return lua::push_failure(L, st);
  int keys = lua_gettop(L);
  lua_newtable(L);
  int out = lua_gettop(L);
  lua_Integer n = 0;
  for (;;) {
    if ((n + 1) % kStopEvery == 0) lua::check_stop(L);
    auto got = r.reader->next(r.row);
    if (!got) return lua::push_failure(L, got.status());
    if (!*got) break;
    push_row(L, r, keys);
    lua_rawseti(L, out, ++n);
  }
  return 1;
}

// ---- writing ----------------------------------------------------------------------------------

struct LuaWriter {
  std::unique_ptr<csv::CsvWriter> writer;
  int nheader = 0;
  std::string scratch;
};

// Appends the value at idx as one field. Raises for values CSV cannot hold.
void add_value(lua_State* L, LuaWriter& w, int idx, int arg, size_t col) {
  auto bad = [&](const std::string& what) {
    std::string msg = "row " + std::to_string(w.writer->rows() + 1) + ", column " +
                      std::to_string(col) + ": " + what;
    luaL_argerror(L, arg, msg.c_str());
  };
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, idx, &len);
      w.writer->add_field(s, len);
      return;
    }
    case LUA_TNUMBER: {
      w.scratch.clear();
      if (lua_isinteger(L, idx)) {
        char buf[32];
        int len = std::snprintf(buf, sizeof buf, LUA_INTEGER_FMT, lua_tointeger(L, idx));
        w.scratch.assign(buf, static_cast<size_t>(len));
      } else {
        double d = lua_tonumber(L, idx);
        if (!std::isfinite(d)) bad("a number that is not finite cannot be written");
        csv::append_number(w.scratch, d);
      }
      w.writer->add_field(w.scratch);
      return;
    }
    case LUA_TBOOLEAN:
      w.writer->add_field(lua_toboolean(L, idx) ? "true" : "false", lua_toboolean(L, idx) ? 4 : 5);
      return;
    case LUA_TNIL:
      w.writer->add_field("", 0);
      return;
    default:
      bad(std::string("a ") + luaL_typename(L, idx) +
          " cannot be written (string, number or "
          "boolean expected)");
  }
}

// Writes the row at idx (argument number arg, for messages); names is the header name table's
// index or 0. Returns the writer's status.
Status write_row(lua_State* L, LuaWriter& w, int idx, int arg, int names) {
  if (lua_type(L, idx) != LUA_TTABLE) {
    std::string msg = "row " + std::to_string(w.writer->rows() + 1) + " must be a table, not a " +
                      luaL_typename(L, idx);
    luaL_argerror(L, arg, msg.c_str());
  }
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, idx));
  if (names != 0 && n == 0) {
    // A keyed row: the header's names in order. A key the header lacks would be lost: refuse.
    int found = 0;
    for (int i = 1; i <= w.nheader; ++i) {
      lua_rawgeti(L, names, i);
      if (lua_rawget(L, idx) != LUA_TNIL) ++found;
      add_value(L, w, lua_gettop(L), arg, static_cast<size_t>(i));
      lua_pop(L, 1);
    }
    int keys = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
      lua_pop(L, 1);
      ++keys;
    }
    if (keys != found) {
      lua_pushnil(L);
      while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        bool known = false;
        for (int i = 1; i <= w.nheader && !known; ++i) {
          lua_rawgeti(L, names, i);
          known = lua_rawequal(L, -1, -2);
          lua_pop(L, 1);
        }
        if (!known) {
          std::string msg = "row " + std::to_string(w.writer->rows() + 1) + " has a field '" +
                            std::string(luaL_tolstring(L, -1, nullptr)) +
                            "' that is not in the header";
          luaL_argerror(L, arg, msg.c_str());
        }
      }
    }
  } else {
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, idx, i);
      add_value(L, w, lua_gettop(L), arg, static_cast<size_t>(i));
      lua_pop(L, 1);
    }
  }
  return w.writer->end_row();
}

// Creates the writer for (path at 1, options at opts); pushes the header name table (or nil).
Status open_writer(lua_State* L, int opts, LuaWriter& w) {
  std::string path = luaL_checkstring(L, 1);
  lua::check_options(L, opts,
                     {"encoding", "header", "line_ending", "bom", "delimiter", "replacement"});
  csv::WriteOptions o;
  o.encoding = encoding_option(L, opts, false, csv::Encoding::kUtf8);
  o.delimiter = delimiter_option(L, opts);
  auto bom = lua::opt_bool(L, opts, "bom");
  if (bom && *bom && o.encoding == csv::Encoding::kCp932) {
    luaL_argerror(L, opts, "option 'bom' applies to utf-8 only");
  }
  o.bom = bom.value_or(true);
  auto ending = lua::opt_string(L, opts, "line_ending");
  if (ending && *ending != "crlf" && *ending != "lf") {
    std::string msg = "option 'line_ending' must be \"crlf\" or \"lf\", not '" + *ending + "'";
    luaL_argerror(L, opts, msg.c_str());
  }
  o.crlf = !ending || *ending == "crlf";
  o.replacement = lua::opt_string(L, opts, "replacement");
  if (!lua_isnoneornil(L, opts)) {
    int t = lua_getfield(L, opts, "header");
    lua_pop(L, 1);
    if (t != LUA_TNIL && t != LUA_TTABLE) {
      luaL_argerror(L, opts, "option 'header' must be a list of names");
    }
  }
  w.nheader = push_name_list(L, opts, "write");
  if (w.nheader == 0) lua_pushnil(L);
  auto resolved = lua::resolve_write(L, path);
  if (!resolved) return resolved.status();
  auto created = csv::CsvWriter::create(*resolved, path, o);
  if (!created) {
    if (created.status().code() == Code::kInvalid) lua::raise(L, created.status().message());
    return created.status();
  }
  w.writer = std::move(created).value();
  if (w.nheader > 0) {
    int names = lua_gettop(L);
    for (int i = 1; i <= w.nheader; ++i) {
      lua_rawgeti(L, names, i);
      size_t len = 0;
      const char* s = lua_tolstring(L, -1, &len);
      w.writer->add_field(s, len);
      lua_pop(L, 1);
    }
    Status st = w.writer->end_row();
    if (!st) return st;
  }
  return Status::ok();
}

// jimu.csv.write(path, rows [, opts]) -> true | nil, msg, code
int csv_write(lua_State* L) {
  luaL_checktype(L, 2, LUA_TTABLE);
  LuaWriter w;
  Status st = open_writer(L, 3, w);
  if (!st) return lua::push_failure(L, st);
  int names = w.nheader > 0 ? lua_gettop(L) : 0;
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 2));
  for (lua_Integer i = 1; i <= n; ++i) {
    if (i % kStopEvery == 0) lua::check_stop(L);
    lua_rawgeti(L, 2, i);
    st = write_row(L, w, lua_gettop(L), 2, names);
    lua_pop(L, 1);
    if (!st) return lua::push_failure(L, st);  // w's destructor removes the temporary file
  }
  return lua::push_status(L, w.writer->commit());
}

// jimu.csv.writer(path [, opts]) -> writer | nil, msg, code
int csv_writer(lua_State* L) {
  auto holder = std::make_unique<LuaWriter>();
  Status st = open_writer(L, 2, *holder);
  if (!st) return lua::push_failure(L, st);
  int names = lua_gettop(L);
  lua::push_handle(L, kWriterType, holder.release());
  lua_pushvalue(L, names);
  lua_setiuservalue(L, -2, 1);
  return 1;
}

// w:write(row) -> true | nil, msg, code
int writer_write(lua_State* L) {
  auto* w = lua::check_handle<LuaWriter>(L, 1, kWriterType);
  int names = 0;
  if (w->nheader > 0) {
    lua_getiuservalue(L, 1, 1);
    names = lua_gettop(L);
  }
  if (w->writer->rows() % kStopEvery == kStopEvery - 1) lua::check_stop(L);
  return lua::push_status(L, write_row(L, *w, 2, 2, names));
}

// w:close() -> true | nil, msg, code: puts the file in place (or reports why it is not).
int writer_close(lua_State* L) {
  auto* w = lua::check_handle<LuaWriter>(L, 1, kWriterType);
  Status st = w->writer->commit();
  lua::close_handle<LuaWriter>(L, 1, kWriterType);
  return lua::push_status(L, st);
}

// __close(w, err): a scope left normally commits (raising if that fails); a scope left by an
// error discards. A writer already closed is left alone.
int writer_scope_close(lua_State* L) {
  auto* box = static_cast<lua::detail::Box<LuaWriter>*>(luaL_checkudata(L, 1, kWriterType));
  if (box->obj == nullptr) return 0;
  Status st;
  if (lua_isnoneornil(L, 2)) st = box->obj->writer->commit();
  lua::close_handle<LuaWriter>(L, 1, kWriterType);  // discards unless committed
  if (!st) lua::raise(L, st.message());
  return 0;
}

}  // namespace

int open_csv_module(lua_State* L) {
  static const luaL_Reg reader_methods[] = {{nullptr, nullptr}};
  lua::register_handle<LuaReader>(L, kReaderType, reader_methods);
  static const luaL_Reg writer_methods[] = {
      JIMU_LUA_FN("write", writer_write), JIMU_LUA_FN("close", writer_close), {nullptr, nullptr}};
  lua::register_handle<LuaWriter>(L, kWriterType, writer_methods);
  luaL_getmetatable(L, kWriterType);
  lua_pushcfunction(L, &lua::guarded<writer_scope_close>);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);

  static const luaL_Reg fns[] = {JIMU_LUA_FN("rows", csv_rows),
                                 JIMU_LUA_FN("read", csv_read),
                                 JIMU_LUA_FN("write", csv_write),
                                 JIMU_LUA_FN("writer", csv_writer),
                                 {nullptr, nullptr}};
  luaL_newlib(L, fns);
  return 1;
}

}  // namespace jimu
