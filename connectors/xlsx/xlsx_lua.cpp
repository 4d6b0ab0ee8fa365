#include "connectors/xlsx/xlsx_lua.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "connectors/xlsx/xlsx_reader.h"
#include "connectors/xlsx/xlsx_writer.h"
#include "engine/calendar/civil_date.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

using xlsx::XlsxCell;
using xlsx::XlsxReader;
using xlsx::XlsxWriter;

constexpr const char* kBook = "jimu.xlsx.book";
constexpr const char* kSheet = "jimu.xlsx.sheet";
constexpr const char* kFormat = "jimu.xlsx.format";
constexpr const char* kChart = "jimu.xlsx.chart";
constexpr const char* kReader = "jimu.xlsx.reader";
constexpr const char* kRows = "jimu.xlsx.rows";

// ---- handles -----------------------------------------------------------------------------------

// The book handle. Releasing it (collection, <close>, or scope exit) without book:close()
// discards the workbook: nothing reaches the target. Sheets, formats and charts share the writer
// and fail with "the workbook is closed" afterwards.
struct BookRef {
  std::shared_ptr<XlsxWriter> writer;
  LogSink* log = nullptr;  // the run's; outlives the Lua state
  ~BookRef() {
    if (writer && !writer->closed()) {
      if (log != nullptr && writer->has_writes()) {
        log->write(LogLevel::kWarn,
                   writer->display() + ": discarded: the book was released without book:close()");
      }
      writer->abandon();
    }
  }
};
struct SheetRef {
  std::shared_ptr<XlsxWriter> writer;
  int index = 0;
};
struct FormatRef {
  std::shared_ptr<XlsxWriter> writer;
  int id = -1;
};
struct ChartRef {
  std::shared_ptr<XlsxWriter> writer;
  int id = -1;
};
struct ReaderRef {
  std::shared_ptr<XlsxReader> reader;
};

// Raises for a writer-side misuse (invalid); other failures too, since mid-book they are bugs.
void check(lua_State* L, const Status& s) {
  if (!s) lua::raise(L, s.message());
}

// ---- cell references ---------------------------------------------------------------------------

// "AB" -> 28; 0 when not letters.
uint32_t parse_letters(const char*& p) {
  uint32_t col = 0;
  while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
    col = col * 26 + static_cast<uint32_t>((*p | 0x20) - 'a' + 1);
    if (col > 16384) return 0;
    ++p;
  }
  return col;
}

// "B3" / "$B$3" -> row 3, col 2 (from 1). p advances past the reference.
bool parse_cell_at(const char*& p, uint32_t* row, uint32_t* col) {
  if (*p == '$') ++p;
  *col = parse_letters(p);
  if (*col == 0) return false;
  if (*p == '$') ++p;
  uint64_t r = 0;
  const char* digits = p;
  while (*p >= '0' && *p <= '9' && r <= 1048576) r = r * 10 + static_cast<uint64_t>(*p++ - '0');
  if (p == digits || r == 0 || r > 1048576) return false;
  *row = static_cast<uint32_t>(r);
  return true;
}

void check_cell_ref(lua_State* L, int arg, uint32_t* row, uint32_t* col) {
  const char* s = luaL_checkstring(L, arg);
  const char* p = s;
  if (!parse_cell_at(p, row, col) || *p != '\0') {
    luaL_argerror(L, arg, (std::string("not a cell reference like \"B3\": '") + s + "'").c_str());
  }
}

void check_range_ref(lua_State* L, int arg, uint32_t* r1, uint32_t* c1, uint32_t* r2,
                     uint32_t* c2) {
  const char* s = luaL_checkstring(L, arg);
  const char* p = s;
  if (!parse_cell_at(p, r1, c1) || *p++ != ':' || !parse_cell_at(p, r2, c2) || *p != '\0' ||
      *r2 < *r1 || *c2 < *c1) {
    luaL_argerror(L, arg, (std::string("not a range like \"A1:F1\": '") + s + "'").c_str());
  }
}

// A row or column number from 1 (columns may also be letters: "C").
uint32_t check_index(lua_State* L, int arg, bool column) {
  if (column && lua_type(L, arg) == LUA_TSTRING) {
    const char* s = lua_tostring(L, arg);
    const char* p = s;
    uint32_t col = parse_letters(p);
    if (col == 0 || *p != '\0')
      luaL_argerror(L, arg, "not a column (a number from 1, or letters like \"C\")");
    return col;
  }
  lua_Integer n = luaL_checkinteger(L, arg);
  const lua_Integer max = column ? 16384 : 1048576;
  if (n < 1 || n > max) {
    luaL_argerror(L, arg,
                  column ? "column must be from 1 to 16384" : "row must be from 1 to 1048576");
  }
  return static_cast<uint32_t>(n);
}

// ---- values ------------------------------------------------------------------------------------

int opt_format(lua_State* L, int arg, const std::shared_ptr<XlsxWriter>& writer) {
  if (lua_isnoneornil(L, arg)) return -1;
  auto* f = lua::check_handle<FormatRef>(L, arg, kFormat);
  if (f->writer != writer) luaL_argerror(L, arg, "the format belongs to another workbook");
  return f->id;
}

int int_field(lua_State* L, int idx, const char* key, int def, int lo, int hi, bool* ok) {
  lua_getfield(L, idx, key);
  int v = def;
  if (!lua_isnil(L, -1)) {
    int isnum = 0;
    lua_Integer n = lua_tointegerx(L, -1, &isnum);
    if (!isnum || n < lo || n > hi) *ok = false;
    v = static_cast<int>(n);
  }
  lua_pop(L, 1);
  return v;
}

// Writes the value at idx into (row, col) (from 1). nil writes nothing (a blank if formatted).
void write_value(lua_State* L, int idx, SheetRef* sheet, uint32_t row, uint32_t col, int fmt,
                 int arg_for_errors, const char* fn) {
  XlsxWriter& w = *sheet->writer;
  const uint32_t r = row - 1, c = col - 1;
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, idx, &len);
      return check(L, w.write_string(sheet->index, r, c, s, len, fmt));
    }
    case LUA_TNUMBER: {
      double d = lua_tonumber(L, idx);
      if (!std::isfinite(d)) luaL_argerror(L, arg_for_errors, "not a finite number");
      return check(L, w.write_number(sheet->index, r, c, d, fmt));
    }
    case LUA_TBOOLEAN:
      return check(L, w.write_boolean(sheet->index, r, c, lua_toboolean(L, idx), fmt));
    case LUA_TNIL:
      if (fmt >= 0) check(L, w.write_blank(sheet->index, r, c, fmt));
      return;
    case LUA_TTABLE: {
      idx = lua_absindex(L, idx);
      if (lua_getfield(L, idx, "formula") == LUA_TSTRING) {
        std::string formula = lua_tostring(L, -1);
        lua_pop(L, 1);
        std::optional<double> num;
        std::optional<std::string> text;
        switch (lua_getfield(L, idx, "value")) {
          case LUA_TNUMBER:
            num = lua_tonumber(L, -1);
            break;
          case LUA_TSTRING:
            text = lua_tostring(L, -1);
            break;
          case LUA_TBOOLEAN:
            num = lua_toboolean(L, -1) ? 1 : 0;
            break;
          case LUA_TNIL:
            break;
          default:
            luaL_argerror(L, arg_for_errors, "a formula's value must be a number or a string");
        }
        lua_pop(L, 1);
        return check(L, w.write_formula(sheet->index, r, c, formula, num, text, fmt));
      }
      lua_pop(L, 1);
      if (lua_getfield(L, idx, "year") != LUA_TNIL) {
        lua_pop(L, 1);
        bool ok = true;
        xlsx::ExcelDateTime dt;
        dt.year = int_field(L, idx, "year", 0, 1900, 9999, &ok);
        dt.month = int_field(L, idx, "month", 0, 1, 12, &ok);
        dt.day = int_field(L, idx, "day", 0, 1, 31, &ok);
        dt.hour = int_field(L, idx, "hour", 0, 0, 23, &ok);
        dt.minute = int_field(L, idx, "min", 0, 0, 59, &ok);
        dt.second = int_field(L, idx, "sec", 0, 0, 59, &ok);
        if (!ok || !CivilDate::is_valid(dt.year, dt.month, dt.day)) {
          char buf[80];
          std::snprintf(buf, sizeof buf, "not a date from 1900 to 9999: %d-%02d-%02d", dt.year,
                        dt.month, dt.day);
          luaL_argerror(L, arg_for_errors, buf);
        }
        return check(L, w.write_date(sheet->index, r, c, dt, fmt));
      }
      lua_pop(L, 1);
      luaL_argerror(
          L, arg_for_errors,
          "a table value must be a date { year, month, day } or a formula { formula = ... }");
      return;
    }
    default:
      luaL_argerror(
          L, arg_for_errors,
          (std::string("cannot write a ") + luaL_typename(L, idx) + " to a cell").c_str());
  }
}

// ---- jimu.xlsx.create and the book -------------------------------------------------------------

std::shared_ptr<XlsxWriter>& book_writer(lua_State* L) {
  auto* b = lua::check_handle<BookRef>(L, 1, kBook);
  if (b->writer->closed())
    luaL_error(L, "%s: the workbook is closed", b->writer->display().c_str());
  return b->writer;
}

// jimu.xlsx.create(path [, { constant_memory = true }]) -> book | nil, msg, code
int xlsx_create(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  lua::check_options(L, 2, {"constant_memory"});
  xlsx::XlsxWriterOptions o;
  o.constant_memory = lua::opt_bool(L, 2, "constant_memory").value_or(true);
  auto resolved = lua::resolve_write(L, path);
  if (!resolved) return lua::push_failure(L, resolved.status());
  HostServices& services = lua::services(L);
  o.tmpdir = services.temp_dir;
  auto writer = XlsxWriter::create(*resolved, path, o);
  if (!writer) return lua::push_failure(L, writer.status());
  auto* ref = new BookRef{std::shared_ptr<XlsxWriter>(std::move(writer).value()), services.log};
  lua::push_handle(L, kBook, ref);
  return 1;
}

// book:add_sheet(name) -> sheet
int book_add_sheet(lua_State* L) {
  auto& w = book_writer(L);
  std::string name = luaL_checkstring(L, 2);
  auto index = w->add_sheet(name);
  if (!index) luaL_argerror(L, 2, index.status().message().c_str());
  lua::push_handle(L, kSheet, new SheetRef{w, *index});
  return 1;
}

std::optional<uint32_t> opt_color(lua_State* L, int idx, const char* key) {
  std::optional<uint32_t> out;
  int t = lua_getfield(L, idx, key);
  if (t == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0 &&
      lua_tointeger(L, -1) <= 0xFFFFFF) {
    out = static_cast<uint32_t>(lua_tointeger(L, -1));
  } else if (t == LUA_TSTRING) {
    const char* s = lua_tostring(L, -1);
    unsigned v = 0;
    int used = 0;
    if (s[0] == '#' && std::strlen(s) == 7 && std::sscanf(s + 1, "%6x%n", &v, &used) == 1 &&
        used == 6) {
      out = v;
    }
  }
  if (t != LUA_TNIL && !out) {
    luaL_argerror(
        L, idx,
        (std::string("option '") + key + "' must be a color like \"#FF0000\" or 0xFF0000").c_str());
  }
  lua_pop(L, 1);
  return out;
}

// book:format{ bold, italic, ... } -> fmt
int book_format(lua_State* L) {
  auto& w = book_writer(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua::check_options(L, 2,
                     {"bold", "italic", "underline", "strikeout", "wrap", "shrink", "font_name",
                      "font_size", "font_color", "bg_color", "border", "border_color", "num_format",
                      "align", "valign", "indent"});
  xlsx::FormatSpec spec;
  spec.bold = lua::opt_bool(L, 2, "bold").value_or(false);
  spec.italic = lua::opt_bool(L, 2, "italic").value_or(false);
  spec.underline = lua::opt_bool(L, 2, "underline").value_or(false);
  spec.strikeout = lua::opt_bool(L, 2, "strikeout").value_or(false);
  spec.wrap = lua::opt_bool(L, 2, "wrap").value_or(false);
  spec.shrink = lua::opt_bool(L, 2, "shrink").value_or(false);
  spec.font_name = lua::opt_string(L, 2, "font_name");
  spec.font_size = lua::opt_number(L, 2, "font_size");
  spec.font_color = opt_color(L, 2, "font_color");
  spec.bg_color = opt_color(L, 2, "bg_color");
  spec.border_color = opt_color(L, 2, "border_color");
  lua_getfield(L, 2, "border");
  if (lua_isboolean(L, -1)) {
    if (lua_toboolean(L, -1)) spec.border = "thin";
  } else if (!lua_isnil(L, -1)) {
    spec.border = lua::opt_string(L, 2, "border");
  }
  lua_pop(L, 1);
  spec.num_format = lua::opt_string(L, 2, "num_format");
  spec.align = lua::opt_string(L, 2, "align");
  spec.valign = lua::opt_string(L, 2, "valign");
  if (auto indent = lua::opt_integer(L, 2, "indent")) spec.indent = static_cast<int>(*indent);
  auto id = w->add_format(spec);
  if (!id) luaL_argerror(L, 2, id.status().message().c_str());
  lua::push_handle(L, kFormat, new FormatRef{w, *id});
  return 1;
}

std::string string_field(lua_State* L, int idx, const char* key, int arg) {
  int t = lua_getfield(L, idx, key);
  std::string out;
  if (t == LUA_TSTRING) {
    out = lua_tostring(L, -1);
  } else if (t != LUA_TNIL) {
    luaL_argerror(L, arg, (std::string("'") + key + "' must be a string").c_str());
  }
  lua_pop(L, 1);
  return out;
}

// x_axis = "title" or { title = "..." }
std::string axis_title(lua_State* L, int idx, const char* key, int arg) {
  int t = lua_getfield(L, idx, key);
  std::string out;
  if (t == LUA_TSTRING) {
    out = lua_tostring(L, -1);
  } else if (t == LUA_TTABLE) {
    lua::check_options(L, lua_gettop(L), {"title"});
    out = string_field(L, lua_gettop(L), "title", arg);
  } else if (t != LUA_TNIL) {
    luaL_argerror(L, arg,
                  (std::string("'") + key + "' must be a title or { title = ... }").c_str());
  }
  lua_pop(L, 1);
  return out;
}

// book:add_chart{ type, title, series = { { name, categories, values } }, x_axis, y_axis }
int book_add_chart(lua_State* L) {
  auto& w = book_writer(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua::check_options(L, 2, {"type", "title", "series", "x_axis", "y_axis"});
  xlsx::ChartSpec spec;
  spec.type = string_field(L, 2, "type", 2);
  if (spec.type.empty())
    luaL_argerror(L, 2, "a chart needs a type (column, bar, line, pie, doughnut, area)");
  spec.title = string_field(L, 2, "title", 2);
  spec.x_axis_title = axis_title(L, 2, "x_axis", 2);
  spec.y_axis_title = axis_title(L, 2, "y_axis", 2);
  if (lua_getfield(L, 2, "series") != LUA_TTABLE)
    luaL_argerror(L, 2, "'series' must be a list of series");
  const int series = lua_gettop(L);
  for (lua_Integer i = 1;; ++i) {
    if (lua_rawgeti(L, series, i) == LUA_TNIL) {
      lua_pop(L, 1);
      break;
    }
    if (!lua_istable(L, -1))
      luaL_argerror(L, 2, "each series must be a table { name, categories, values }");
    const int s = lua_gettop(L);
    lua::check_options(L, s, {"name", "categories", "values"});
    spec.series.push_back({string_field(L, s, "name", 2), string_field(L, s, "categories", 2),
                           string_field(L, s, "values", 2)});
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  auto id = w->add_chart(spec);
  if (!id) luaL_argerror(L, 2, id.status().message().c_str());
  lua::push_handle(L, kChart, new ChartRef{w, *id});
  return 1;
}

// book:close() -> true | nil, msg, code. The handle is closed afterwards either way.
int book_close(lua_State* L) {
  auto w = book_writer(L);
  Status s = w->close();
  lua::close_handle<BookRef>(L, 1, kBook);
  return lua::push_status(L, s);
}

// ---- the sheet ---------------------------------------------------------------------------------

SheetRef* check_sheet(lua_State* L) {
  auto* s = lua::check_handle<SheetRef>(L, 1, kSheet);
  if (s->writer->closed())
    luaL_error(L, "%s: the workbook is closed", s->writer->display().c_str());
  return s;
}

// sheet:write(row, col, value [, fmt]) / sheet:write("B3", value [, fmt])
int sheet_write(lua_State* L) {
  SheetRef* s = check_sheet(L);
  uint32_t row, col;
  int value = 3;
  if (lua_type(L, 2) == LUA_TSTRING) {
    check_cell_ref(L, 2, &row, &col);
  } else {
    row = check_index(L, 2, false);
    col = check_index(L, 3, true);
    value = 4;
  }
  int fmt = opt_format(L, value + 1, s->writer);
  if (lua_isnone(L, value)) luaL_argerror(L, value, "value expected");
  write_value(L, value, s, row, col, fmt, value, "write");
  return 0;
}

// sheet:write_row(row, values [, fmt]): values[1] goes to column A; nil holes stay empty.
int sheet_write_row(lua_State* L) {
  SheetRef* s = check_sheet(L);
  uint32_t row = check_index(L, 2, false);
  luaL_checktype(L, 3, LUA_TTABLE);
  int fmt = opt_format(L, 4, s->writer);
  lua_Integer n = luaL_len(L, 3);
  if (lua_getfield(L, 3, "n") == LUA_TNUMBER && lua_isinteger(L, -1)) {
    n = std::max(n, lua_tointeger(L, -1));
  }
  lua_pop(L, 1);
  if (n > 16384) luaL_argerror(L, 3, "more than 16384 columns");
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, 3, i);
    write_value(L, -1, s, row, static_cast<uint32_t>(i), fmt, 3, "write_row");
    lua_pop(L, 1);
  }
  return 0;
}

// sheet:set_column(first, last, width [, fmt]); columns as numbers or letters.
int sheet_set_column(lua_State* L) {
  SheetRef* s = check_sheet(L);
  uint32_t first = check_index(L, 2, true);
  uint32_t last = check_index(L, 3, true);
  double width = luaL_checknumber(L, 4);
  if (last < first) luaL_argerror(L, 3, "last column before the first");
  if (width < 0 || width > 255) luaL_argerror(L, 4, "width must be from 0 to 255");
  int fmt = opt_format(L, 5, s->writer);
  check(L, s->writer->set_column(s->index, first - 1, last - 1, width, fmt));
  return 0;
}

// sheet:freeze(row, col) / sheet:freeze("B2"): the first cell that scrolls; rows above it and
// columns left of it stay in view. freeze(2, 1) keeps the header row.
int sheet_freeze(lua_State* L) {
  SheetRef* s = check_sheet(L);
  uint32_t row, col;
  if (lua_type(L, 2) == LUA_TSTRING) {
    check_cell_ref(L, 2, &row, &col);
  } else {
    row = check_index(L, 2, false);
    col = check_index(L, 3, true);
  }
  check(L, s->writer->freeze(s->index, row - 1, col - 1));
  return 0;
}

// sheet:autofilter("A1:L1")
int sheet_autofilter(lua_State* L) {
  SheetRef* s = check_sheet(L);
  uint32_t r1, c1, r2, c2;
  check_range_ref(L, 2, &r1, &c1, &r2, &c2);
  check(L, s->writer->autofilter(s->index, r1 - 1, c1 - 1, r2 - 1, c2 - 1));
  return 0;
}

// sheet:merge("A1:F1", value [, fmt]); a number value is written as its text.
int sheet_merge(lua_State* L) {
  SheetRef* s = check_sheet(L);
  uint32_t r1, c1, r2, c2;
  check_range_ref(L, 2, &r1, &c1, &r2, &c2);
  std::string text;
  if (!lua_isnoneornil(L, 3)) {
    if (lua_type(L, 3) != LUA_TSTRING && lua_type(L, 3) != LUA_TNUMBER) {
      luaL_argerror(L, 3, "a merged range holds a string or a number");
    }
    text = lua_tostring(L, 3);
  }
  int fmt = opt_format(L, 4, s->writer);
  check(L, s->writer->merge(s->index, r1 - 1, c1 - 1, r2 - 1, c2 - 1, text, fmt));
  return 0;
}

// sheet:insert_chart("H2", chart) / sheet:insert_chart(row, col, chart)
int sheet_insert_chart(lua_State* L) {
  SheetRef* s = check_sheet(L);
  uint32_t row, col;
  int arg = 3;
  if (lua_type(L, 2) == LUA_TSTRING) {
    check_cell_ref(L, 2, &row, &col);
  } else {
    row = check_index(L, 2, false);
    col = check_index(L, 3, true);
    arg = 4;
  }
  auto* chart = lua::check_handle<ChartRef>(L, arg, kChart);
  if (chart->writer != s->writer) luaL_argerror(L, arg, "the chart belongs to another workbook");
  check(L, s->writer->insert_chart(s->index, row - 1, col - 1, chart->id));
  return 0;
}

// ---- reading -----------------------------------------------------------------------------------

enum class DateMode { kTable, kSerial, kIso };

struct RowsOptions {
  bool header = false;             // keyed rows
  std::vector<std::string> names;  // given header names (header = { ... })
  bool names_given = false;
  DateMode dates = DateMode::kTable;
};

RowsOptions check_rows_options(lua_State* L, int idx) {
  lua::check_options(L, idx, {"header", "dates"});
  RowsOptions o;
  if (!lua_isnoneornil(L, idx)) {
    int t = lua_getfield(L, idx, "header");
    if (t == LUA_TBOOLEAN) {
      o.header = lua_toboolean(L, -1);
    } else if (t == LUA_TTABLE) {
      o.header = o.names_given = true;
      const int h = lua_gettop(L);
      for (lua_Integer i = 1; lua_rawgeti(L, h, i) != LUA_TNIL; ++i) {
        if (!lua_isstring(L, -1)) luaL_argerror(L, idx, "header names must be strings");
        o.names.push_back(lua_tostring(L, -1));
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    } else if (t != LUA_TNIL) {
      luaL_argerror(L, idx, "option 'header' must be true, false or a list of names");
    }
    lua_pop(L, 1);
  }
  if (auto d = lua::opt_string(L, idx, "dates")) {
    if (*d == "table")
      o.dates = DateMode::kTable;
    else if (*d == "serial")
      o.dates = DateMode::kSerial;
    else if (*d == "iso")
      o.dates = DateMode::kIso;
    else
      luaL_argerror(L, idx, "option 'dates' must be \"table\", \"serial\" or \"iso\"");
  }
  return o;
}

void push_number(lua_State* L, double d) {
  if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
    lua_pushinteger(L, static_cast<lua_Integer>(d));
  } else {
    lua_pushnumber(L, d);
  }
}

std::string iso_of(const xlsx::ExcelDateTime& dt) {
  char buf[32];
  if (dt.has_time()) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", dt.year, dt.month, dt.day,
                  dt.hour, dt.minute, dt.second);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
  }
  return buf;
}

void push_cell(lua_State* L, const XlsxCell& cell, DateMode dates, bool date1904) {
  switch (cell.kind) {
    case XlsxCell::Kind::kEmpty:
      lua_pushnil(L);
      return;
    case XlsxCell::Kind::kString:
    case XlsxCell::Kind::kError:
      lua_pushlstring(L, cell.text.data(), cell.text.size());
      return;
    case XlsxCell::Kind::kBoolean:
      lua_pushboolean(L, cell.number != 0);
      return;
    case XlsxCell::Kind::kNumber:
      push_number(L, cell.number);
      return;
    case XlsxCell::Kind::kDate: {
      auto dt =
          dates == DateMode::kSerial ? std::nullopt : xlsx::from_serial(cell.number, date1904);
      if (!dt) return push_number(L, cell.number);
      if (dates == DateMode::kIso) {
        lua_pushstring(L, iso_of(*dt).c_str());
        return;
      }
      lua_createtable(L, 0, dt->has_time() ? 6 : 3);
      lua_pushinteger(L, dt->year);
      lua_setfield(L, -2, "year");
      lua_pushinteger(L, dt->month);
      lua_setfield(L, -2, "month");
      lua_pushinteger(L, dt->day);
      lua_setfield(L, -2, "day");
      if (dt->has_time()) {
        lua_pushinteger(L, dt->hour);
        lua_setfield(L, -2, "hour");
        lua_pushinteger(L, dt->minute);
        lua_setfield(L, -2, "min");
        lua_pushinteger(L, dt->second);
        lua_setfield(L, -2, "sec");
      }
      return;
    }
  }
}

std::string cell_text(const XlsxCell& cell, bool date1904) {
  switch (cell.kind) {
    case XlsxCell::Kind::kEmpty:
      return "";
    case XlsxCell::Kind::kString:
    case XlsxCell::Kind::kError:
      return cell.text;
    case XlsxCell::Kind::kBoolean:
      return cell.number != 0 ? "TRUE" : "FALSE";
    case XlsxCell::Kind::kDate:
      if (auto dt = xlsx::from_serial(cell.number, date1904)) return iso_of(*dt);
      [[fallthrough]];
    case XlsxCell::Kind::kNumber: {
      char buf[32];
      if (cell.number == std::floor(cell.number) && std::fabs(cell.number) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", cell.number);
      } else {
        std::snprintf(buf, sizeof buf, "%.14g", cell.number);
      }
      return buf;
    }
  }
  return "";
}

std::string column_letters(size_t col) {  // 1 -> A
  std::string s;
  for (size_t c = col; c > 0; c = (c - 1) / 26) s.insert(s.begin(), char('A' + (c - 1) % 26));
  return s;
}

bool row_is_empty(const xlsx::XlsxRow& row) {
  for (const auto& c : row.cells) {
    if (c.kind != XlsxCell::Kind::kEmpty) return false;
  }
  return true;
}

// The state of one reader:rows() iteration, and of jimu.xlsx.read.
struct RowsState {
  std::shared_ptr<XlsxReader> reader;  // keeps the reader open while rows are read
  std::unique_ptr<xlsx::XlsxSheetStream> stream;
  RowsOptions options;
  std::string subject;            // "in/book.xlsx: sheet '集計'"
  std::vector<std::string> keys;  // header mode: the key of each column
  bool have_keys = false;
  xlsx::XlsxRow pending;
  bool has_pending = false;
  bool done = false;
  int64_t next_index = 1;  // array mode: the next row number to produce

  // Takes the header from row (header = true) and checks the names.
  Status set_keys(const xlsx::XlsxRow& row) {
    keys.clear();
    for (const auto& c : row.cells) keys.push_back(cell_text(c, reader->date1904()));
    return check_keys("row " + std::to_string(row.index));
  }
  Status check_keys(const std::string& where) {
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].empty()) continue;
      auto [it, fresh] = seen.emplace(keys[i], i);
      if (!fresh) {
        return Status::parse(subject + ": " + where + ": duplicate header '" + keys[i] +
                             "' (columns " + column_letters(it->second + 1) + " and " +
                             column_letters(i + 1) + ")");
      }
    }
    have_keys = true;
    return Status::ok();
  }

  // Pushes the next row (and returns 2: row, row number) or returns 0 at the end.
  Result<int> next(lua_State* L) {
    for (;;) {
      if (!has_pending) {
        if (done) return 0;
        auto more = stream->next(&pending);
        if (!more) {
          done = true;
          return more.status();
        }
        if (!*more) {
          done = true;
          return 0;
        }
        has_pending = true;
      }
      const bool d1904 = reader->date1904();
      if (!options.header) {
        if (pending.index > next_index) {  // a row the file leaves out: empty, in place
          lua_createtable(L, 0, 1);
          lua_pushinteger(L, 0);
          lua_setfield(L, -2, "n");
          lua_pushinteger(L, next_index++);
          return 2;
        }
        has_pending = false;
        next_index = pending.index + 1;
        const auto& cells = pending.cells;
        lua_createtable(L, static_cast<int>(cells.size()), 1);
        for (size_t i = 0; i < cells.size(); ++i) {
          if (cells[i].kind == XlsxCell::Kind::kEmpty) continue;
          push_cell(L, cells[i], options.dates, d1904);
          lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
        }
        lua_pushinteger(L, static_cast<lua_Integer>(cells.size()));
        lua_setfield(L, -2, "n");
        lua_pushinteger(L, pending.index);
        return 2;
      }
      has_pending = false;
      if (row_is_empty(pending)) continue;
      if (!have_keys) {
        if (options.names_given) {
          keys = options.names;
          Status s = check_keys("header option");
          if (!s) return s;
        } else {
          Status s = set_keys(pending);
          if (!s) return s;
          continue;
        }
      }
      const auto& cells = pending.cells;
      lua_createtable(L, 0, static_cast<int>(cells.size()));
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].kind == XlsxCell::Kind::kEmpty) continue;
        if (i < keys.size() && !keys[i].empty()) {
          lua_pushlstring(L, keys[i].data(), keys[i].size());
        } else {
          lua_pushstring(L, column_letters(i + 1).c_str());
        }
        push_cell(L, cells[i], options.dates, d1904);
        lua_rawset(L, -3);
      }
      lua_pushinteger(L, pending.index);
      return 2;
    }
  }
};

// Opens path for reading; pushes failure and returns nullptr on error.
std::shared_ptr<XlsxReader> open_reader(lua_State* L, const std::string& path, Status* status) {
  auto resolved = lua::resolve_read(L, path);
  if (!resolved) {
    *status = resolved.status();
    return nullptr;
  }
  auto reader = XlsxReader::open(*resolved, path);
  if (!reader) {
    *status = reader.status();
    return nullptr;
  }
  return std::shared_ptr<XlsxReader>(std::move(reader).value());
}

// Opens the sheet at arg (name, index from 1, or nil for the first).
Result<std::unique_ptr<RowsState>> open_rows(lua_State* L, std::shared_ptr<XlsxReader> reader,
                                             const std::string& display, int arg) {
  Result<std::unique_ptr<xlsx::XlsxSheetStream>> stream = Status::internal("");
  std::string name;
  if (lua_type(L, arg) == LUA_TSTRING) {
    name = lua_tostring(L, arg);
    stream = reader->open_sheet(name);
  } else if (lua_isnoneornil(L, arg)) {
    stream = reader->open_sheet(size_t{0});
  } else {
    lua_Integer i = luaL_checkinteger(L, arg);
    if (i < 1) luaL_argerror(L, arg, "sheet index counts from 1");
    stream = reader->open_sheet(static_cast<size_t>(i - 1));
  }
  if (!stream) return stream.status();
  auto state = std::make_unique<RowsState>();
  if (name.empty()) {
    size_t i = lua_isnoneornil(L, arg) ? 0 : static_cast<size_t>(lua_tointeger(L, arg) - 1);
    name = reader->sheet_names()[i];
  }
  state->subject = display + ": sheet '" + name + "'";
  state->reader = std::move(reader);
  state->stream = std::move(stream).value();
  return state;
}

// jimu.xlsx.open(path) -> reader | nil, msg, code
int xlsx_open(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  Status status;
  auto reader = open_reader(L, path, &status);
  if (!reader) return lua::push_failure(L, status);
  lua::push_handle(L, kReader, new ReaderRef{std::move(reader)});
  lua_pushstring(L, path.c_str());
  lua_setiuservalue(L, -2, 1);  // the path as the workflow gave it, for messages
  return 1;
}

// reader:sheets() -> { name, ... }
int reader_sheets(lua_State* L) {
  auto* r = lua::check_handle<ReaderRef>(L, 1, kReader);
  const auto& names = r->reader->sheet_names();
  lua_createtable(L, static_cast<int>(names.size()), 0);
  for (size_t i = 0; i < names.size(); ++i) {
    lua_pushlstring(L, names[i].data(), names[i].size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  return 1;
}

int rows_iterate(lua_State* L) {
  auto* state = lua::check_handle<RowsState>(L, lua_upvalueindex(1), kRows);
  auto n = state->next(L);
  if (!n) lua::raise(L, n.status().message());
  return *n;
}

// reader:rows(sheet [, opts]) -> iterator, nil, nil, closer | nil, msg, code
int reader_rows(lua_State* L) {
  auto* r = lua::check_handle<ReaderRef>(L, 1, kReader);
  RowsOptions options = check_rows_options(L, 3);
  lua_getiuservalue(L, 1, 1);
  std::string display = lua_isstring(L, -1) ? lua_tostring(L, -1) : "workbook";
  lua_pop(L, 1);
  auto state = open_rows(L, r->reader, display, 2);
  if (!state) return lua::push_failure(L, state.status());
  (*state)->options = std::move(options);
  lua::push_handle(L, kRows, state->release());
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, &lua::guarded<rows_iterate>, 1);
  lua_insert(L, -2);
  lua_pushnil(L);
  lua_insert(L, -2);
  lua_pushnil(L);
  lua_insert(L, -2);
  return 4;  // iterator, nil, nil, the state as the loop's closing value
}

int reader_close(lua_State* L) {
  lua::close_handle<ReaderRef>(L, 1, kReader);
  return 0;
}

// jimu.xlsx.read(path [, sheet [, opts]]) -> rows | nil, msg, code
int xlsx_read(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  RowsOptions options = check_rows_options(L, 3);
  if (!lua_isnoneornil(L, 2) && lua_type(L, 2) != LUA_TSTRING && !lua_isinteger(L, 2)) {
    luaL_argerror(L, 2, "sheet must be a name or an index from 1");
  }
  Status status;
  auto reader = open_reader(L, path, &status);
  if (!reader) return lua::push_failure(L, status);
  auto state = open_rows(L, reader, path, 2);
  if (!state) return lua::push_failure(L, state.status());
  (*state)->options = std::move(options);
  lua_newtable(L);
  const int out = lua_gettop(L);
  lua_Integer count = 0;
  for (;;) {
    auto n = (*state)->next(L);
    if (!n) return lua::push_failure(L, n.status());
    if (*n == 0) break;
    lua_pop(L, 1);  // the row number
    lua_rawseti(L, out, ++count);
    if ((count & 4095) == 0) lua::check_stop(L);
  }
  return 1;
}

}  // namespace

int open_xlsx_module(lua_State* L) {
  static const luaL_Reg book_methods[] = {JIMU_LUA_FN("add_sheet", book_add_sheet),
                                          JIMU_LUA_FN("format", book_format),
                                          JIMU_LUA_FN("add_chart", book_add_chart),
                                          JIMU_LUA_FN("close", book_close),
                                          {nullptr, nullptr}};
  static const luaL_Reg sheet_methods[] = {JIMU_LUA_FN("write", sheet_write),
                                           JIMU_LUA_FN("write_row", sheet_write_row),
                                           JIMU_LUA_FN("set_column", sheet_set_column),
                                           JIMU_LUA_FN("freeze", sheet_freeze),
                                           JIMU_LUA_FN("autofilter", sheet_autofilter),
                                           JIMU_LUA_FN("merge", sheet_merge),
                                           JIMU_LUA_FN("insert_chart", sheet_insert_chart),
                                           {nullptr, nullptr}};
  static const luaL_Reg no_methods[] = {{nullptr, nullptr}};
  static const luaL_Reg reader_methods[] = {JIMU_LUA_FN("sheets", reader_sheets),
                                            JIMU_LUA_FN("rows", reader_rows),
                                            JIMU_LUA_FN("close", reader_close),
                                            {nullptr, nullptr}};
  lua::register_handle<BookRef>(L, kBook, book_methods);
  lua::register_handle<SheetRef>(L, kSheet, sheet_methods);
  lua::register_handle<FormatRef>(L, kFormat, no_methods);
  lua::register_handle<ChartRef>(L, kChart, no_methods);
  lua::register_handle<ReaderRef>(L, kReader, reader_methods);
  lua::register_handle<RowsState>(L, kRows, no_methods);
  static const luaL_Reg fns[] = {JIMU_LUA_FN("create", xlsx_create),
                                 JIMU_LUA_FN("open", xlsx_open),
                                 JIMU_LUA_FN("read", xlsx_read),
                                 {nullptr, nullptr}};
  luaL_newlib(L, fns);
  return 1;
}

}  // namespace jimu
