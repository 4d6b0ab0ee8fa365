#include "connectors/xlsx/xlsx_writer.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace jimu::xlsx {
namespace {

constexpr uint32_t kMaxRows = 1048576;
constexpr uint32_t kMaxCols = 16384;

lxw_workbook* wb(void* p) { return static_cast<lxw_workbook*>(p); }
lxw_worksheet* ws(void* p) { return static_cast<lxw_worksheet*>(p); }

std::string col_letters(uint32_t col) {  // 0 -> A
  std::string s;
  for (uint32_t c = col + 1; c > 0; c = (c - 1) / 26) s.insert(s.begin(), char('A' + (c - 1) % 26));
  return s;
}

std::optional<uint8_t> border_style(const std::string& s) {
  static const std::pair<const char*, uint8_t> kStyles[] = {
      {"none", LXW_BORDER_NONE},     {"thin", LXW_BORDER_THIN},     {"medium", LXW_BORDER_MEDIUM},
      {"dashed", LXW_BORDER_DASHED}, {"dotted", LXW_BORDER_DOTTED}, {"thick", LXW_BORDER_THICK},
      {"double", LXW_BORDER_DOUBLE}, {"hair", LXW_BORDER_HAIR}};
  for (const auto& [name, v] : kStyles) {
    if (s == name) return v;
  }
  return std::nullopt;
}

std::optional<uint8_t> align_value(const std::string& s) {
  static const std::pair<const char*, uint8_t> kAligns[] = {
      {"left", LXW_ALIGN_LEFT},
      {"center", LXW_ALIGN_CENTER},
      {"right", LXW_ALIGN_RIGHT},
      {"fill", LXW_ALIGN_FILL},
      {"justify", LXW_ALIGN_JUSTIFY},
      {"center_across", LXW_ALIGN_CENTER_ACROSS},
      {"distributed", LXW_ALIGN_DISTRIBUTED}};
  for (const auto& [name, v] : kAligns) {
    if (s == name) return v;
  }
  return std::nullopt;
}

std::optional<uint8_t> valign_value(const std::string& s) {
  if (s == "top") return LXW_ALIGN_VERTICAL_TOP;
  if (s == "center" || s == "vcenter") return LXW_ALIGN_VERTICAL_CENTER;
  if (s == "bottom") return LXW_ALIGN_VERTICAL_BOTTOM;
  if (s == "justify") return LXW_ALIGN_VERTICAL_JUSTIFY;
  if (s == "distributed") return LXW_ALIGN_VERTICAL_DISTRIBUTED;
  return std::nullopt;
}

std::optional<uint8_t> chart_type(const std::string& s) {
  if (s == "column") return LXW_CHART_COLUMN;
  if (s == "bar") return LXW_CHART_BAR;
  if (s == "line") return LXW_CHART_LINE;
  if (s == "pie") return LXW_CHART_PIE;
  if (s == "doughnut") return LXW_CHART_DOUGHNUT;
  if (s == "area") return LXW_CHART_AREA;
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::create(const std::string& path,
                                                       const std::string& display,
                                                       const XlsxWriterOptions& options) {
  std::unique_ptr<XlsxWriter> w(new XlsxWriter());
  w->path_ = path;
  w->display_ = display;
  w->constant_memory_ = options.constant_memory;
  w->tmpdir_ = options.tmpdir;
  // Reserve a hidden name beside the target: same folder, so the final rename is atomic.
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmpl = dir + "/." + base + ".XXXXXX";
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Status::io(display + ": cannot create: " + std::strerror(errno));
  // mkstemp makes the file private (0600) and libxlsxwriter keeps that mode when it reopens it;
  // a report is for colleagues to open, as jimu's other writers create theirs (0644).
  ::fchmod(fd, 0644);
  ::close(fd);
  w->temp_path_ = tmpl;
  lxw_workbook_options o = {};
  o.constant_memory = options.constant_memory ? LXW_TRUE : LXW_FALSE;
  o.tmpdir = w->tmpdir_.empty() ? nullptr : w->tmpdir_.data();
  o.use_zip64 = LXW_TRUE;  // a million-row sheet can pass 4 GB of XML
  w->workbook_ = workbook_new_opt(w->temp_path_.c_str(), &o);
  if (w->workbook_ == nullptr) {
    ::unlink(w->temp_path_.c_str());
    return Status::io(display + ": cannot start the workbook (out of memory or temp folder)");
  }
  const XlsxProperties& p = options.properties;
  if (!p.title.empty() || !p.subject.empty() || !p.author.empty() || !p.company.empty() ||
      !p.comments.empty() || p.created) {
    // libxlsxwriter copies the strings; null leaves a property out.
    auto c = [](const std::string& v) { return v.empty() ? nullptr : const_cast<char*>(v.c_str()); };
    lxw_doc_properties props = {};
    props.title = c(p.title);
    props.subject = c(p.subject);
    props.author = c(p.author);
    props.company = c(p.company);
    props.comments = c(p.comments);
    if (p.created) props.created = static_cast<time_t>(*p.created);
    if (workbook_set_properties(wb(w->workbook_), &props) != LXW_NO_ERROR) {
      return Status::io(display + ": cannot set the document properties (out of memory)");
    }
  }
  return w;
}

XlsxWriter::~XlsxWriter() { discard(); }

void XlsxWriter::discard() {
  if (workbook_ != nullptr) {
    lxw_workbook_free(wb(workbook_));
    workbook_ = nullptr;
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

Result<int> XlsxWriter::add_sheet(const std::string& name) {
  if (closed()) return Status::invalid(display_ + ": the workbook is closed");
  const std::string subject = "sheet name '" + name + "'";
  if (name.empty()) return Status::invalid("a sheet name must not be empty");
  lxw_error err = workbook_validate_sheet_name(wb(workbook_), name.c_str());
  switch (err) {
    case LXW_NO_ERROR:
      break;
    case LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED:
      return Status::invalid(subject + " is longer than 31 characters");
    case LXW_ERROR_INVALID_SHEETNAME_CHARACTER:
      return Status::invalid(subject +
                             " contains a character Excel forbids in sheet names: [ ] : * ? / \\");
    case LXW_ERROR_SHEETNAME_START_END_APOSTROPHE:
      return Status::invalid(subject + " must not start or end with an apostrophe");
    case LXW_ERROR_SHEETNAME_ALREADY_USED:
      return Status::invalid(subject + " is already used in this workbook");
    default:
      return Status::invalid(subject + ": " + lxw_strerror(err));
  }
  lxw_worksheet* sheet = workbook_add_worksheet(wb(workbook_), name.c_str());
  if (sheet == nullptr) return Status::invalid(subject + " is not allowed");
  sheets_.push_back({name, sheet, -1});
  return static_cast<int>(sheets_.size()) - 1;
}

Result<int> XlsxWriter::add_format(const FormatSpec& spec) {
  if (closed()) return Status::invalid(display_ + ": the workbook is closed");
  std::optional<uint8_t> border, align, valign;
  if (spec.border && !(border = border_style(*spec.border))) {
    return Status::invalid(
        "border must be one of none thin medium dashed dotted thick double hair, not '" +
        *spec.border + "'");
  }
  if (spec.align && !(align = align_value(*spec.align))) {
    return Status::invalid(
        "align must be one of left center right fill justify center_across distributed, not '" +
        *spec.align + "'");
  }
  if (spec.valign && !(valign = valign_value(*spec.valign))) {
    return Status::invalid("valign must be one of top center bottom justify distributed, not '" +
                           *spec.valign + "'");
  }
  lxw_format* f = workbook_add_format(wb(workbook_));
  if (f == nullptr) return Status::internal(display_ + ": cannot add a format");
  if (spec.bold) format_set_bold(f);
  if (spec.italic) format_set_italic(f);
  if (spec.underline) format_set_underline(f, LXW_UNDERLINE_SINGLE);
  if (spec.strikeout) format_set_font_strikeout(f);
  if (spec.wrap) format_set_text_wrap(f);
  if (spec.shrink) format_set_shrink(f);
  if (spec.font_name) format_set_font_name(f, spec.font_name->c_str());
  if (spec.font_size) format_set_font_size(f, *spec.font_size);
  if (spec.font_color) format_set_font_color(f, *spec.font_color);
  if (spec.bg_color) {
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, *spec.bg_color);
  }
  if (border) format_set_border(f, *border);
  if (spec.border_color) format_set_border_color(f, *spec.border_color);
  if (spec.num_format) format_set_num_format(f, spec.num_format->c_str());
  if (align) format_set_align(f, *align);
  if (valign) format_set_align(f, *valign);
  if (spec.indent) format_set_indent(f, static_cast<uint8_t>(*spec.indent));
  formats_.push_back(f);
  return static_cast<int>(formats_.size()) - 1;
}

void* XlsxWriter::format_ptr(int format) const {
  return format >= 0 && static_cast<size_t>(format) < formats_.size() ? formats_[format] : nullptr;
}

Status XlsxWriter::check_cell(int sheet, uint32_t row, uint32_t col, const char* what) {
  if (closed()) return Status::invalid(display_ + ": the workbook is closed");
  Sheet& s = sheets_[sheet];
  if (row >= kMaxRows || col >= kMaxCols) {
    return Status::invalid(display_ + ": sheet '" + s.name + "': cell (" + std::to_string(row + 1) +
                           ", " + std::to_string(col + 1) +
                           ") is beyond the sheet's limits (1048576 rows, 16384 columns)");
  }
  if (constant_memory_ && static_cast<int64_t>(row) < s.last_row) {
    return Status::invalid(
        display_ + ": sheet '" + s.name + "': " + what + " row " + std::to_string(row + 1) +
        " after row " + std::to_string(s.last_row + 1) +
        ": rows must be written in ascending order in constant-memory mode; "
        "pass { constant_memory = false } to jimu.xlsx.create for random access");
  }
  return Status::ok();
}

Status XlsxWriter::lxw(int error, int sheet, uint32_t row, uint32_t col) const {
  if (error == LXW_NO_ERROR) return Status::ok();
  std::string where = display_ + ": sheet '" + sheets_[sheet].name + "'!" + col_letters(col) +
                      std::to_string(row + 1) + ": ";
  if (error == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
    return Status::invalid(where + "text longer than Excel's 32767 characters");
  }
  return Status::invalid(where + lxw_strerror(static_cast<lxw_error>(error)));
}

#define JIMU_CELL(what)                                                        \
  do {                                                                         \
    Status s_ = check_cell(sheet, row, col, what);                             \
    if (!s_) return s_;                                                        \
    sheets_[sheet].last_row = std::max<int64_t>(sheets_[sheet].last_row, row); \
    ++writes_;                                                                 \
  } while (0)

Status XlsxWriter::write_string(int sheet, uint32_t row, uint32_t col, const char* text, size_t len,
                                int format) {
  JIMU_CELL("wrote");
  lxw_format* f = static_cast<lxw_format*>(format_ptr(format));
  // libxlsxwriter stops at a NUL; an empty string is a blank cell (Excel has no empty strings).
  if (len == 0)
    return lxw(worksheet_write_blank(ws(sheets_[sheet].worksheet), row, col, f), sheet, row, col);
  return lxw(worksheet_write_string(ws(sheets_[sheet].worksheet), row, col, text, f), sheet, row,
             col);
}

Status XlsxWriter::write_number(int sheet, uint32_t row, uint32_t col, double value, int format) {
  JIMU_CELL("wrote");
  return lxw(worksheet_write_number(ws(sheets_[sheet].worksheet), row, col, value,
                                    static_cast<lxw_format*>(format_ptr(format))),
             sheet, row, col);
}

Status XlsxWriter::write_boolean(int sheet, uint32_t row, uint32_t col, bool value, int format) {
  JIMU_CELL("wrote");
  return lxw(worksheet_write_boolean(ws(sheets_[sheet].worksheet), row, col, value ? 1 : 0,
                                     static_cast<lxw_format*>(format_ptr(format))),
             sheet, row, col);
}

Status XlsxWriter::write_date(int sheet, uint32_t row, uint32_t col, const ExcelDateTime& value,
                              int format) {
  JIMU_CELL("wrote");
  if (format < 0) {
    int& def = value.has_time() ? datetime_format_ : date_format_;
    if (def < 0) {
      FormatSpec spec;
      spec.num_format = value.has_time() ? "yyyy/m/d h:mm:ss" : "yyyy\"年\"m\"月\"d\"日\"";
      auto id = add_format(spec);
      if (!id) return id.status();
      def = *id;
    }
    format = def;
  }
  lxw_datetime dt = {value.year, value.month,  value.day,
                     value.hour, value.minute, static_cast<double>(value.second)};
  return lxw(worksheet_write_datetime(ws(sheets_[sheet].worksheet), row, col, &dt,
                                      static_cast<lxw_format*>(format_ptr(format))),
             sheet, row, col);
}

Status XlsxWriter::write_formula(int sheet, uint32_t row, uint32_t col, const std::string& formula,
                                 std::optional<double> number, std::optional<std::string> text,
                                 int format) {
  JIMU_CELL("wrote");
  lxw_worksheet* w = ws(sheets_[sheet].worksheet);
  lxw_format* f = static_cast<lxw_format*>(format_ptr(format));
  if (text)
    return lxw(worksheet_write_formula_str(w, row, col, formula.c_str(), f, text->c_str()), sheet,
               row, col);
  return lxw(worksheet_write_formula_num(w, row, col, formula.c_str(), f, number.value_or(0)),
             sheet, row, col);
}

Status XlsxWriter::write_blank(int sheet, uint32_t row, uint32_t col, int format) {
  JIMU_CELL("wrote");
  return lxw(worksheet_write_blank(ws(sheets_[sheet].worksheet), row, col,
                                   static_cast<lxw_format*>(format_ptr(format))),
             sheet, row, col);
}

Status XlsxWriter::set_column(int sheet, uint32_t first, uint32_t last, double width, int format) {
  if (closed()) return Status::invalid(display_ + ": the workbook is closed");
  if (first > last || last >= kMaxCols) {
    return Status::invalid("set_column: columns must satisfy 1 <= first <= last <= 16384");
  }
  return lxw(worksheet_set_column(ws(sheets_[sheet].worksheet), first, last, width,
                                  static_cast<lxw_format*>(format_ptr(format))),
             sheet, 0, first);
}

Status XlsxWriter::freeze(int sheet, uint32_t row, uint32_t col) {
  if (closed()) return Status::invalid(display_ + ": the workbook is closed");
  if (row >= kMaxRows || col >= kMaxCols)
    return Status::invalid("freeze: position beyond the sheet");
  worksheet_freeze_panes(ws(sheets_[sheet].worksheet), row, col);
  return Status::ok();
}

Status XlsxWriter::autofilter(int sheet, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2) {
  if (closed()) return Status::invalid(display_ + ": the workbook is closed");
  if (r2 >= kMaxRows || c2 >= kMaxCols || r1 > r2 || c1 > c2) {
    return Status::invalid("autofilter: the range is beyond the sheet or reversed");
  }
  // In constant-memory mode libxlsxwriter refuses a range that ends above the current row, as if
  // the filter wrote cells; it writes none (it only records the range), so the usual order (data
  // first, then the filter over it) is allowed by lifting the flag for this one call.
  lxw_worksheet* w = ws(sheets_[sheet].worksheet);
  const uint8_t optimize = w->optimize;
  w->optimize = LXW_FALSE;
  lxw_error err = worksheet_autofilter(w, r1, c1, r2, c2);
  w->optimize = optimize;
  return lxw(err, sheet, r1, c1);
}

Status XlsxWriter::merge(int sheet, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2,
                         const std::string& text, int format) {
  uint32_t row = r1, col = c1;
  JIMU_CELL("merged from");
  if (r2 >= kMaxRows || c2 >= kMaxCols) return check_cell(sheet, r2, c2, "merged to");
  if (r1 == r2 && c1 == c2) return Status::invalid("merge: a range of one cell cannot be merged");
  sheets_[sheet].last_row = std::max<int64_t>(sheets_[sheet].last_row, r2);
  return lxw(worksheet_merge_range(ws(sheets_[sheet].worksheet), r1, c1, r2, c2, text.c_str(),
                                   static_cast<lxw_format*>(format_ptr(format))),
             sheet, r1, c1);
}

Result<int> XlsxWriter::add_chart(const ChartSpec& spec) {
  if (closed()) return Status::invalid(display_ + ": the workbook is closed");
  auto type = chart_type(spec.type);
  if (!type) {
    return Status::invalid("chart type must be one of column bar line pie doughnut area, not '" +
                           spec.type + "'");
  }
  if (spec.series.empty()) return Status::invalid("a chart needs at least one series");
  lxw_chart* chart = workbook_add_chart(wb(workbook_), *type);
  if (chart == nullptr) return Status::internal(display_ + ": cannot add a chart");
  if (!spec.title.empty()) chart_title_set_name(chart, spec.title.c_str());
  for (const auto& s : spec.series) {
    if (s.values.empty()) return Status::invalid("a chart series needs values (a range)");
    lxw_chart_series* series = chart_add_series(
        chart, s.categories.empty() ? nullptr : s.categories.c_str(), s.values.c_str());
    if (series == nullptr) return Status::invalid("chart series: bad range '" + s.values + "'");
    if (!s.name.empty()) chart_series_set_name(series, s.name.c_str());
  }
  if (*type != LXW_CHART_PIE && *type != LXW_CHART_DOUGHNUT) {
    if (!spec.x_axis_title.empty()) chart_axis_set_name(chart->x_axis, spec.x_axis_title.c_str());
    if (!spec.y_axis_title.empty()) chart_axis_set_name(chart->y_axis, spec.y_axis_title.c_str());
  }
  charts_.push_back(chart);
  chart_used_.push_back(false);
  return static_cast<int>(charts_.size()) - 1;
}

Status XlsxWriter::insert_chart(int sheet, uint32_t row, uint32_t col, int chart) {
  if (closed()) return Status::invalid(display_ + ": the workbook is closed");
  if (chart_used_[chart]) return Status::invalid("insert_chart: a chart can be inserted only once");
  chart_used_[chart] = true;
  return lxw(worksheet_insert_chart(ws(sheets_[sheet].worksheet), row, col,
                                    static_cast<lxw_chart*>(charts_[chart])),
             sheet, row, col);
}

Status XlsxWriter::close() {
  if (closed()) return Status::invalid(display_ + ": the workbook is already closed");
  if (sheets_.empty()) {
    auto s = add_sheet("Sheet1");  // Excel cannot open a workbook without sheets
    if (!s) return s.status();
  }
  lxw_error err = workbook_close(wb(workbook_));  // frees the workbook in every case
  workbook_ = nullptr;
  if (err != LXW_NO_ERROR) {
    discard();
    return Status::io(display_ + ": cannot write the workbook: " + lxw_strerror(err));
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    Status s = Status::io(display_ + ": cannot replace the file: " + std::strerror(errno));
    discard();
    return s;
  }
  temp_path_.clear();
  return Status::ok();
}

}  // namespace jimu::xlsx
