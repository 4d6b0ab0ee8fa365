// XlsxReader: reads .xlsx workbooks (as Excel, LibreOffice, openpyxl and libxlsxwriter write them)
// by streaming each sheet's XML out of the zip: memory stays flat however many rows a sheet has.
// Shared strings (the workbook's string table) are held in memory, as every reader must.
//
// What it understands: shared, inline and formula strings, rich-text runs (phonetic ルビ runs,
// <rPh>, are left out), numbers, booleans, error values, dates by the cell's number format (see
// excel_dates.h) in both date systems, ISO dates (t="d"), rows and cells without r= references,
// and element names with namespace prefixes.
//
// Errors are Status values whose message names the file and, for XML, the part, line and column:
// "in/book.xlsx: xl/worksheets/sheet1.xml:3:17: not well-formed (invalid token)".
// Not thread-safe: a reader and its sheet streams belong to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu::xlsx {

class ZipArchive;

struct XlsxCell {
  enum class Kind { kEmpty, kString, kNumber, kBoolean, kDate, kError };
  Kind kind = Kind::kEmpty;
  std::string text;   // kString; kError ("#DIV/0!")
  double number = 0;  // kNumber; kDate (the serial, in the workbook's date system); kBoolean 0/1
};

struct XlsxRow {
  int64_t index = 0;            // the sheet's row number, from 1
  std::vector<XlsxCell> cells;  // cells[0] is column A; empty cells in between are kEmpty
};

// One sheet being read, row by row, in the order of the file (ascending row numbers). Rows the
// file leaves out (no cells at all) are not produced: the caller sees the gap in index.
class XlsxSheetStream {
 public:
  virtual ~XlsxSheetStream() = default;
  // Reads the next row into row; false at the end of the sheet.
  virtual Result<bool> next(XlsxRow* row) = 0;
};

class XlsxReader {
 public:
  // Opens path (display names it in messages) and reads the workbook's sheet list, styles and
  // shared strings. Fails with not_found, io or parse.
  static Result<std::unique_ptr<XlsxReader>> open(const std::string& path,
                                                  const std::string& display);
  ~XlsxReader();
  XlsxReader(const XlsxReader&) = delete;
  XlsxReader& operator=(const XlsxReader&) = delete;

  // Sheet names in workbook order (hidden sheets included).
  const std::vector<std::string>& sheet_names() const { return names_; }
  bool date1904() const { return date1904_; }

  // Opens a sheet by name, or by position (from 0). A name that does not exist fails with
  // not_found listing the sheets. The stream borrows this reader and must not outlive it.
  Result<std::unique_ptr<XlsxSheetStream>> open_sheet(const std::string& name);
  Result<std::unique_ptr<XlsxSheetStream>> open_sheet(size_t index);

  // Internal state shared with the sheet streams.
  struct Shared;

 private:
  XlsxReader();
  std::unique_ptr<ZipArchive> zip_;
  std::unique_ptr<Shared> shared_;
  std::vector<std::string> names_;
  std::vector<std::string> parts_;  // zip entry of each sheet
  bool date1904_ = false;
};

}  // namespace jimu::xlsx
