#include "connectors/xlsx/xlsx_reader.h"

#include <expat.h>

#include <charconv>
#include <cstring>
#include <map>

#include "connectors/xlsx/excel_dates.h"
#include "connectors/xlsx/zip_archive.h"

namespace jimu::xlsx {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr int kMaxColumns = 16384;  // XFD, Excel's last column

// "x:row" -> "row": some producers prefix SpreadsheetML elements.
const char* local_name(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}

bool is(const char* name, const char* want) { return std::strcmp(name, want) == 0; }

const char* attr(const char** atts, const char* want) {
  for (int i = 0; atts[i] != nullptr; i += 2) {
    if (is(local_name(atts[i]), want)) return atts[i + 1];
  }
  return nullptr;
}

// r:id and kin: an attribute with this local name and some namespace prefix.
const char* prefixed_attr(const char** atts, const char* want) {
  for (int i = 0; atts[i] != nullptr; i += 2) {
    if (std::strchr(atts[i], ':') != nullptr && is(local_name(atts[i]), want)) return atts[i + 1];
  }
  return nullptr;
}

void append_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// OOXML writes characters XML cannot hold (control characters, e.g. CR) as _xHHHH_.
void decode_escapes(std::string* s) {
  if (s->find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s->size());
  for (size_t i = 0; i < s->size(); ++i) {
    if ((*s)[i] == '_' && i + 6 < s->size() && (*s)[i + 1] == 'x' && (*s)[i + 6] == '_') {
      uint32_t cp = 0;
      bool ok = true;
      for (size_t k = 2; k < 6; ++k) {
        int d = hex_digit((*s)[i + k]);
        if (d < 0) ok = false;
        cp = cp * 16 + static_cast<uint32_t>(d < 0 ? 0 : d);
      }
      if (ok) {
        append_utf8(&out, cp);
        i += 6;
        continue;
      }
    }
    out.push_back((*s)[i]);
  }
  *s = std::move(out);
}

// "xl/" + "worksheets/sheet1.xml"; "/xl/x.xml" is absolute; ".." climbs.
std::string resolve_part(const std::string& base_dir, const std::string& target) {
  std::string joined = !target.empty() && target[0] == '/' ? target.substr(1) : base_dir + target;
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t slash = joined.find('/', start);
    if (slash == std::string::npos) slash = joined.size();
    std::string seg = joined.substr(start, slash - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Handler;
void XMLCALL on_doctype(void* u, const XML_Char*, const XML_Char*, const XML_Char*, int);

// Feeds one zip entry through expat, a chunk at a time. A handler may suspend the parser (a row
// is ready) or abort it with a Status (fail()).
class XmlPart {
 public:
  XmlPart(ZipArchive* zip, const ZipEntryInfo* entry)
      : zip_(zip), entry_(entry), subject_(zip->display() + ": " + entry->name) {}
  ~XmlPart() {
    if (parser_) XML_ParserFree(parser_);
  }

  Status init(void* user, XML_StartElementHandler start, XML_EndElementHandler end,
              XML_CharacterDataHandler text) {
    auto stream = zip_->open_entry(*entry_);
    if (!stream) return stream.status();
    stream_ = std::move(stream).value();
    parser_ = XML_ParserCreate("UTF-8");
    if (!parser_) return Status::internal(subject_ + ": cannot create an XML parser");
    XML_SetUserData(parser_, user);
    XML_SetElementHandler(parser_, start, end);
    XML_SetCharacterDataHandler(parser_, text);
    // SpreadsheetML has no DTD; refusing one shuts out entity-expansion tricks.
    XML_SetStartDoctypeDeclHandler(parser_, &on_doctype);
    buffer_.resize(kChunk);
    return Status::ok();
  }

  // Parses until the handler suspends (true: more to come) or the part ends (false).
  Result<bool> pump() {
    for (;;) {
      XML_Status st;
      if (suspended_) {
        st = XML_ResumeParser(parser_);
      } else if (finished_) {
        return false;
      } else {
        auto n = stream_->read(buffer_.data(), buffer_.size());
        if (!n) return n.status();
        finished_ = *n == 0;
        st = XML_Parse(parser_, buffer_.data(), static_cast<int>(*n), finished_);
      }
      if (st == XML_STATUS_ERROR) {
        if (!failure_.is_ok()) return failure_;
        return Status::parse(where() + XML_ErrorString(XML_GetErrorCode(parser_)));
      }
      suspended_ = st == XML_STATUS_SUSPENDED;
      if (suspended_) return true;
      if (finished_) return false;
    }
  }

  // Runs the whole part.
  Status run() {
    for (;;) {
      auto more = pump();
      if (!more) return more.status();
      if (!*more) return Status::ok();
    }
  }

  // Aborts parsing with "FILE: PART:LINE:COL: message" (called from a handler).
  void fail_at(const std::string& message) {
    if (failure_.is_ok()) failure_ = Status::parse(where() + message);
    XML_StopParser(parser_, XML_FALSE);
  }
  void suspend() { XML_StopParser(parser_, XML_TRUE); }

 private:
  std::string where() const {
    return subject_ + ":" + std::to_string(XML_GetCurrentLineNumber(parser_)) + ":" +
           std::to_string(XML_GetCurrentColumnNumber(parser_) + 1) + ": ";
  }

  ZipArchive* zip_;
  const ZipEntryInfo* entry_;
  std::string subject_;
  std::unique_ptr<ZipEntryStream> stream_;
  XML_Parser parser_ = nullptr;
  std::string buffer_;
  bool suspended_ = false;
  bool finished_ = false;
  Status failure_;
};

// What every part's handler has; expat's user data is always a Handler*.
struct Handler {
  XmlPart* part = nullptr;
  std::string text;
  bool capture = false;
};

void XMLCALL on_doctype(void* u, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<Handler*>(u)->part->fail_at("a DOCTYPE is not allowed in a workbook part");
}

void XMLCALL on_text(void* u, const XML_Char* s, int len) {
  auto* h = static_cast<Handler*>(u);
  if (h->capture) h->text.append(s, static_cast<size_t>(len));
}

// ---- workbook.xml, its rels, styles.xml, sharedStrings.xml -------------------------------------

struct WorkbookHandler : Handler {
  struct Sheet {
    std::string name, rel_id;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;
};

void XMLCALL workbook_start(void* u, const XML_Char* name, const XML_Char** atts) {
  auto* h = static_cast<WorkbookHandler*>(u);
  const char* n = local_name(name);
  if (is(n, "workbookPr")) {
    const char* v = attr(atts, "date1904");
    h->date1904 = v && (is(v, "1") || is(v, "true"));
  } else if (is(n, "sheet")) {
    const char* sheet_name = attr(atts, "name");
    const char* id = prefixed_attr(atts, "id");
    h->sheets.push_back({sheet_name ? sheet_name : "", id ? id : ""});
  }
}
void XMLCALL ignore_end(void*, const XML_Char*) {}

struct RelsHandler : Handler {
  struct Rel {
    std::string id, type, target;
  };
  std::vector<Rel> rels;
};

void XMLCALL rels_start(void* u, const XML_Char* name, const XML_Char** atts) {
  auto* h = static_cast<RelsHandler*>(u);
  if (!is(local_name(name), "Relationship")) return;
  const char* id = attr(atts, "Id");
  const char* type = attr(atts, "Type");
  const char* target = attr(atts, "Target");
  h->rels.push_back({id ? id : "", type ? type : "", target ? target : ""});
}

struct StylesHandler : Handler {
  std::map<int, std::string> custom;  // numFmtId -> formatCode
  std::vector<int> xf_formats;        // cellXfs: numFmtId of each style index
  bool in_cell_xfs = false;
};

void XMLCALL styles_start(void* u, const XML_Char* name, const XML_Char** atts) {
  auto* h = static_cast<StylesHandler*>(u);
  const char* n = local_name(name);
  if (is(n, "numFmt")) {
    const char* id = attr(atts, "numFmtId");
    const char* code = attr(atts, "formatCode");
    if (id && code) h->custom[std::atoi(id)] = code;
  } else if (is(n, "cellXfs")) {
    h->in_cell_xfs = true;
  } else if (is(n, "xf") && h->in_cell_xfs) {
    const char* id = attr(atts, "numFmtId");
    h->xf_formats.push_back(id ? std::atoi(id) : 0);
  }
}
void XMLCALL styles_end(void* u, const XML_Char* name) {
  if (is(local_name(name), "cellXfs")) static_cast<StylesHandler*>(u)->in_cell_xfs = false;
}

struct StringsHandler : Handler {
  std::vector<std::string>* strings = nullptr;
  int phonetic_depth = 0;  // inside <rPh>: furigana, not part of the value
  bool in_si = false;
};

void XMLCALL strings_start(void* u, const XML_Char* name, const XML_Char**) {
  auto* h = static_cast<StringsHandler*>(u);
  const char* n = local_name(name);
  if (is(n, "si")) {
    h->in_si = true;
    h->text.clear();
  } else if (is(n, "rPh")) {
    ++h->phonetic_depth;
  } else if (is(n, "t")) {
    h->capture = h->in_si && h->phonetic_depth == 0;
  }
}
void XMLCALL strings_end(void* u, const XML_Char* name) {
  auto* h = static_cast<StringsHandler*>(u);
  const char* n = local_name(name);
  if (is(n, "t")) {
    h->capture = false;
  } else if (is(n, "rPh")) {
    --h->phonetic_depth;
  } else if (is(n, "si")) {
    h->in_si = false;
    decode_escapes(&h->text);
    h->strings->push_back(std::move(h->text));
    h->text.clear();
  }
}

}  // namespace

struct XlsxReader::Shared {
  std::string display;
  ZipArchive* zip = nullptr;
  std::vector<std::string> strings;
  std::vector<bool> date_styles;  // by style index (the c element's s=)
  bool date1904 = false;
};

namespace {

// ---- a sheet, streamed -------------------------------------------------------------------------

class SheetStream : public XlsxSheetStream, Handler {
 public:
  SheetStream(const XlsxReader::Shared* shared, const ZipEntryInfo* entry)
      : shared_(shared), xml_(shared->zip, entry) {
    part = &xml_;
  }

  Status init() { return xml_.init(static_cast<Handler*>(this), &start, &end, &on_text); }

  Result<bool> next(XlsxRow* row) override {
    ready_ = false;
    for (;;) {
      auto more = xml_.pump();
      if (!more) return more.status();
      if (ready_) {
        std::swap(*row, row_);
        return true;
      }
      if (!*more) return false;
    }
  }

 private:
  static SheetStream* self(void* u) { return static_cast<SheetStream*>(static_cast<Handler*>(u)); }

  static void XMLCALL start(void* u, const XML_Char* name, const XML_Char** atts) {
    SheetStream* s = self(u);
    const char* n = local_name(name);
    if (!s->in_data_) {
      if (is(n, "sheetData")) s->in_data_ = true;
      return;
    }
    if (is(n, "c")) {
      s->start_cell(atts);
    } else if (is(n, "v")) {
      s->capture = s->in_cell_;
    } else if (is(n, "t")) {
      s->capture = s->in_cell_ && s->in_inline_ && s->phonetic_depth_ == 0;
    } else if (is(n, "is")) {
      s->in_inline_ = true;
    } else if (is(n, "rPh")) {
      ++s->phonetic_depth_;
    } else if (is(n, "row")) {
      s->start_row(atts);
    }
  }

  static void XMLCALL end(void* u, const XML_Char* name) {
    SheetStream* s = self(u);
    if (!s->in_data_) return;
    const char* n = local_name(name);
    if (is(n, "v") || is(n, "t")) {
      s->capture = false;
      s->has_value_ = s->has_value_ || s->in_cell_;
    } else if (is(n, "c")) {
      s->end_cell();
    } else if (is(n, "is")) {
      s->in_inline_ = false;
    } else if (is(n, "rPh")) {
      --s->phonetic_depth_;
    } else if (is(n, "row")) {
      s->last_row_ = s->row_.index;
      s->ready_ = true;
      s->xml_.suspend();
    } else if (is(n, "sheetData")) {
      s->in_data_ = false;
    }
  }

  void start_row(const char** atts) {
    const char* r = attr(atts, "r");
    int64_t index = last_row_ + 1;
    if (r != nullptr) {
      auto [ptr, ec] = std::from_chars(r, r + std::strlen(r), index);
      if (ec != std::errc() || *ptr != '\0' || index < 1) {
        return xml_.fail_at("bad row number '" + std::string(r) + "'");
      }
    }
    row_.index = index;
    row_.cells.clear();
    next_col_ = 1;
  }

  void start_cell(const char** atts) {
    in_cell_ = true;
    has_value_ = false;
    text.clear();
    type_ = 'n';
    style_ = 0;
    int col = next_col_;
    for (int i = 0; atts[i] != nullptr; i += 2) {
      const char* a = local_name(atts[i]);
      const char* v = atts[i + 1];
      if (is(a, "r")) {
        int c = 0;
        const char* p = v;
        while (*p >= 'A' && *p <= 'Z') c = c * 26 + (*p++ - 'A' + 1);
        if (c > 0) col = c;
      } else if (is(a, "t")) {
        // s shared, inlineStr, str (formula text), b, e, d (ISO date), n
        type_ = is(v, "inlineStr") ? 'i' : is(v, "str") ? 'f' : v[0];
      } else if (is(a, "s")) {
        style_ = std::atoi(v);
      }
    }
    if (col > kMaxColumns) return xml_.fail_at("column beyond XFD");
    col_ = col;
  }

  void end_cell() {
    in_cell_ = false;
    next_col_ = col_ + 1;
    if (!has_value_) return;  // a styled empty cell
    // <v></v>: a formula never calculated (openpyxl writes these); nothing to show.
    if (text.empty() && type_ != 'i' && type_ != 'f') return;
    if (static_cast<size_t>(col_) > row_.cells.size()) row_.cells.resize(col_);
    XlsxCell& cell = row_.cells[col_ - 1];
    cell.text.clear();
    switch (type_) {
      case 's': {
        size_t index = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
        if (ec != std::errc() || index >= shared_->strings.size()) {
          return xml_.fail_at("shared string index '" + text + "' out of range");
        }
        cell.kind = XlsxCell::Kind::kString;
        cell.text = shared_->strings[index];
        return;
      }
      case 'i':
      case 'f':
        cell.kind = XlsxCell::Kind::kString;
        decode_escapes(&text);
        cell.text = std::move(text);
        return;
      case 'b':
        cell.kind = XlsxCell::Kind::kBoolean;
        cell.number = (text == "1" || text == "true") ? 1 : 0;
        return;
      case 'e':
        cell.kind = XlsxCell::Kind::kError;
        cell.text = std::move(text);
        return;
      case 'd': {
        ExcelDateTime dt;
        int n = std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d", &dt.year, &dt.month, &dt.day,
                            &dt.hour, &dt.minute, &dt.second);
        if (n < 3) return xml_.fail_at("bad ISO date '" + text + "'");
        cell.kind = XlsxCell::Kind::kDate;
        cell.number = to_serial(dt, shared_->date1904);
        return;
      }
      default: {
        const char* b = text.data();
        const char* e = b + text.size();
        while (b < e && *b == ' ') ++b;
        auto [ptr, ec] = std::from_chars(b, e, cell.number);
        if (ec != std::errc() || ptr != e) {
          return xml_.fail_at("not a number: '" + text + "'");
        }
        const auto& ds = shared_->date_styles;
        bool date = style_ >= 0 && static_cast<size_t>(style_) < ds.size() && ds[style_];
        cell.kind = date ? XlsxCell::Kind::kDate : XlsxCell::Kind::kNumber;
      }
    }
  }

  const XlsxReader::Shared* shared_;
  XmlPart xml_;
  XlsxRow row_;
  int64_t last_row_ = 0;
  int next_col_ = 1;
  int col_ = 1;
  int style_ = 0;
  char type_ = 'n';
  int phonetic_depth_ = 0;
  bool in_data_ = false;
  bool in_cell_ = false;
  bool in_inline_ = false;
  bool has_value_ = false;
  bool ready_ = false;
};

template <typename H>
Status parse_part(ZipArchive* zip, const ZipEntryInfo* entry, H* handler,
                  XML_StartElementHandler start, XML_EndElementHandler end) {
  XmlPart part(zip, entry);
  handler->part = &part;
  Status s = part.init(static_cast<Handler*>(handler), start, end, &on_text);
  if (!s) return s;
  return part.run();
}

}  // namespace

XlsxReader::XlsxReader() : shared_(std::make_unique<Shared>()) {}
XlsxReader::~XlsxReader() = default;

Result<std::unique_ptr<XlsxReader>> XlsxReader::open(const std::string& path,
                                                     const std::string& display) {
  auto zip = ZipArchive::open(path, display);
  if (!zip) return zip.status();
  std::unique_ptr<XlsxReader> r(new XlsxReader());
  r->zip_ = std::move(zip).value();
  ZipArchive* z = r->zip_.get();
  r->shared_->display = display;
  r->shared_->zip = z;

  // The package's root relationships name the workbook part (xl/workbook.xml by convention).
  std::string workbook = "xl/workbook.xml";
  if (const ZipEntryInfo* root = z->find("_rels/.rels")) {
    RelsHandler rels;
    Status s = parse_part(z, root, &rels, &rels_start, &ignore_end);
    if (!s) return s;
    for (const auto& rel : rels.rels) {
      if (rel.type.size() >= 15 && rel.type.ends_with("/officeDocument")) {
        workbook = resolve_part("", rel.target);
      }
    }
  }
  const ZipEntryInfo* wb_entry = z->find(workbook);
  if (wb_entry == nullptr) {
    return Status::parse(display + ": not an .xlsx workbook (no " + workbook + " in the archive)");
  }
  WorkbookHandler wb;
  Status s = parse_part(z, wb_entry, &wb, &workbook_start, &ignore_end);
  if (!s) return s;
  r->date1904_ = wb.date1904;
  r->shared_->date1904 = wb.date1904;

  const std::string base = workbook.substr(0, workbook.rfind('/') + 1);
  const std::string rels_name = base + "_rels/" + workbook.substr(base.size()) + ".rels";
  RelsHandler rels;
  if (const ZipEntryInfo* e = z->find(rels_name)) {
    s = parse_part(z, e, &rels, &rels_start, &ignore_end);
    if (!s) return s;
  }
  std::string styles_part, strings_part;
  for (const auto& rel : rels.rels) {
    if (rel.type.ends_with("/styles")) styles_part = resolve_part(base, rel.target);
    if (rel.type.ends_with("/sharedStrings")) strings_part = resolve_part(base, rel.target);
  }
  for (const auto& sheet : wb.sheets) {
    std::string part;
    for (const auto& rel : rels.rels) {
      if (rel.id == sheet.rel_id) part = resolve_part(base, rel.target);
    }
    r->names_.push_back(sheet.name);
    r->parts_.push_back(part);
  }

  if (styles_part.empty() && z->find(base + "styles.xml")) styles_part = base + "styles.xml";
  if (!styles_part.empty()) {
    if (const ZipEntryInfo* e = z->find(styles_part)) {
      StylesHandler st;
      s = parse_part(z, e, &st, &styles_start, &styles_end);
      if (!s) return s;
      for (int id : st.xf_formats) {
        auto it = st.custom.find(id);
        r->shared_->date_styles.push_back(
            is_date_format(id, it == st.custom.end() ? std::string_view() : it->second));
      }
    }
  }
  if (strings_part.empty() && z->find(base + "sharedStrings.xml")) {
    strings_part = base + "sharedStrings.xml";
  }
  if (!strings_part.empty()) {
    const ZipEntryInfo* e = z->find(strings_part);
    if (e == nullptr) {
      return Status::parse(display + ": " + strings_part + " is missing from the archive");
    }
    StringsHandler sh;
    sh.strings = &r->shared_->strings;
    s = parse_part(z, e, &sh, &strings_start, &strings_end);
    if (!s) return s;
  }
  return r;
}

Result<std::unique_ptr<XlsxSheetStream>> XlsxReader::open_sheet(const std::string& name) {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return open_sheet(i);
  }
  std::string list;
  for (const auto& n : names_) list += (list.empty() ? "" : ", ") + n;
  return Status::not_found(shared_->display + ": no sheet named '" + name +
                           "' (sheets: " + (list.empty() ? "none" : list) + ")");
}

Result<std::unique_ptr<XlsxSheetStream>> XlsxReader::open_sheet(size_t index) {
  if (index >= names_.size()) {
    return Status::not_found(shared_->display + ": no sheet " + std::to_string(index + 1) +
                             " (the workbook has " + std::to_string(names_.size()) + ")");
  }
  const std::string& part = parts_[index];
  const ZipEntryInfo* entry = part.empty() ? nullptr : zip_->find(part);
  if (entry == nullptr) {
    return Status::parse(shared_->display + ": sheet '" + names_[index] + "': part " +
                         (part.empty() ? "(no relationship)" : part) +
                         " is missing from the archive");
  }
  auto stream = std::make_unique<SheetStream>(shared_.get(), entry);
  Status s = stream->init();
  if (!s) return s;
  return std::unique_ptr<XlsxSheetStream>(std::move(stream));
}

}  // namespace jimu::xlsx
