// XlsxWriter: writes one .xlsx workbook with libxlsxwriter (the only file that includes it is
// xlsx_writer.cpp): sheets, typed cells, formats, column widths, merged ranges, freeze panes,
// autofilters and charts.
//
// All-or-nothing: the workbook is written to a hidden temporary name beside the target and renamed
// into place only by a successful close(). Destroying a writer that was not closed, or a close that
// fails, leaves the target as it was (absent, or the previous good file).
//
// Constant memory (the default): each sheet keeps only its current row in memory and stages the
// rest in a temporary file under options.tmpdir, so a million rows cost a few MB. Rows of a sheet
// must then be written in ascending order (cells within the current row in any order); an earlier
// row fails with invalid instead of being lost silently. constant_memory = false allows any order
// and keeps the whole workbook in memory until close().
//
// Rows and columns here count from 0; the Lua layer converts. Misuse (bad sheet name, bad format
// value, a row out of order) returns invalid; close() failures return io.
// Not thread-safe: one writer belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/xlsx/excel_dates.h"
#include "engine/core/status.h"

namespace jimu::xlsx {

// Document properties (Excel: File > Info). Empty strings are left out.
struct XlsxProperties {
  std::string title, subject, author, company, comments;
  // Seconds since the epoch (UTC). Unset: the time of writing, which makes two writes of the same
  // content differ; a reproducible report sets it from its data.
  std::optional<int64_t> created;
};

struct XlsxWriterOptions {
  bool constant_memory = true;  // default true: flat memory, ascending rows per sheet
  std::string tmpdir;           // where libxlsxwriter stages data; empty: the system's temp folder
  XlsxProperties properties;
};

// A cell format. Unset fields keep Excel's default. Colors are 0xRRGGBB.
struct FormatSpec {
  bool bold = false;
  bool italic = false;
  bool underline = false;
  bool strikeout = false;
  bool wrap = false;
  bool shrink = false;
  std::optional<std::string> font_name;
  std::optional<double> font_size;
  std::optional<uint32_t> font_color;
  std::optional<uint32_t> bg_color;   // solid fill
  std::optional<std::string> border;  // all four sides: thin medium thick dashed dotted double hair
  std::optional<uint32_t> border_color;
  std::optional<std::string> num_format;  // "#,##0", 'yyyy"年"m"月"d"日"', "0.0%"
  std::optional<std::string> align;       // left center right fill justify center_across
  std::optional<std::string> valign;      // top center bottom justify
  std::optional<int> indent;
};

struct ChartSeriesSpec {
  std::string name;        // may be empty
  std::string categories;  // "Sheet1!$A$2:$A$13"; may be empty
  std::string values;      // "Sheet1!$B$2:$B$13"; required
};

struct ChartSpec {
  std::string type;  // column bar line pie doughnut area
  std::string title;
  std::string x_axis_title;
  std::string y_axis_title;
  std::vector<ChartSeriesSpec> series;
};

class XlsxWriter {
 public:
  // Starts a workbook that close() will write to path; display names it in messages. Fails with
  // io when the folder cannot hold the temporary file.
  static Result<std::unique_ptr<XlsxWriter>> create(const std::string& path,
                                                    const std::string& display,
                                                    const XlsxWriterOptions& options);
  ~XlsxWriter();  // discards the workbook unless close() succeeded
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // Adds a sheet; returns its index. invalid names the broken rule: over 31 characters,
  // one of [ ] : * ? / \, an apostrophe at either end, empty, or a name already used.
  Result<int> add_sheet(const std::string& name);
  const std::string& sheet_name(int sheet) const { return sheets_[sheet].name; }

  // Adds a format; returns its id for the write calls (-1 means none).
  Result<int> add_format(const FormatSpec& spec);

  Status write_string(int sheet, uint32_t row, uint32_t col, const char* text, size_t len,
                      int format);
  Status write_number(int sheet, uint32_t row, uint32_t col, double value, int format);
  Status write_boolean(int sheet, uint32_t row, uint32_t col, bool value, int format);
  // Without a format, dates show as yyyy"年"m"月"d"日" (with a time: yyyy/m/d h:mm:ss).
  Status write_date(int sheet, uint32_t row, uint32_t col, const ExcelDateTime& value, int format);
  // A formula with its cached result, so readers that do not recalculate see the value.
  Status write_formula(int sheet, uint32_t row, uint32_t col, const std::string& formula,
                       std::optional<double> number, std::optional<std::string> text, int format);
  Status write_blank(int sheet, uint32_t row, uint32_t col, int format);

  Status set_column(int sheet, uint32_t first, uint32_t last, double width, int format);
  Status freeze(int sheet, uint32_t row, uint32_t col);
  Status autofilter(int sheet, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2);
  // Merges the range and writes value (text) in its first cell.
  Status merge(int sheet, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2,
               const std::string& text, int format);

  Result<int> add_chart(const ChartSpec& spec);
  Status insert_chart(int sheet, uint32_t row, uint32_t col, int chart);

  // Writes the workbook and renames it into place. After close (successful or not) the writer
  // accepts nothing more.
  Status close();
  // Drops the workbook without writing anything (what the destructor does).
  void abandon() { discard(); }
  bool closed() const { return workbook_ == nullptr; }
  bool has_writes() const { return writes_ > 0; }
  const std::string& display() const { return display_; }
  bool constant_memory() const { return constant_memory_; }

 private:
  struct Sheet {
    std::string name;
    void* worksheet = nullptr;  // lxw_worksheet*
    int64_t last_row = -1;
  };
  XlsxWriter() = default;
  Status check_cell(int sheet, uint32_t row, uint32_t col, const char* what);
  Status check_format(int format) const;
  void* format_ptr(int format) const;  // lxw_format* or null
  Status lxw(int error, int sheet, uint32_t row, uint32_t col) const;
  void discard();

  std::string path_;
  std::string temp_path_;
  std::string display_;
  std::string tmpdir_;
  bool constant_memory_ = true;
  void* workbook_ = nullptr;  // lxw_workbook*
  std::vector<Sheet> sheets_;
  std::vector<void*> formats_;  // lxw_format*
  std::vector<void*> charts_;   // lxw_chart*
  std::vector<bool> chart_used_;
  int date_format_ = -1;
  int datetime_format_ = -1;
  int64_t writes_ = 0;
};

}  // namespace jimu::xlsx
