#include "engine/calendar/wareki.h"

#include <cstdio>
#include <optional>

namespace jimu {
namespace {

// Japan adopted the Gregorian calendar on 明治6年1月1日; earlier wareki dates are lunisolar.
const CivilDate kGregorianAdoption{1873, 1, 1};

constexpr const char* kExpected =
    "not a date (expected a form like 2026-04-01, 2026年4月1日, 令和8年4月1日 or R8.4.1)";
constexpr const char* kExpectedFiscal =
    "not a fiscal year (expected a form like 令和8年度, R8年度, H28年度 or 2026年度)";

std::string quoted(std::string_view text) { return "'" + std::string(text) + "': "; }

// Folds what people type into what the parser reads: full-width ASCII (U+FF01..U+FF5E) to ASCII,
// ASCII letters to upper case, the square era signs (㋿ ㍻ ㍼ ㍽ ㍾) to era names; drops spaces
// (ASCII and U+3000).
std::string fold(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c);
      ++i;
      continue;
    }
    if (i + 2 < in.size() && c == 0xEF && (static_cast<unsigned char>(in[i + 1]) == 0xBC ||
                                           static_cast<unsigned char>(in[i + 1]) == 0xBD)) {
      // U+FF01..U+FF5E are EF BC 81..EF BC BF and EF BD 80..EF BD 9E.
      unsigned cp = 0xF000 + ((static_cast<unsigned char>(in[i + 1]) & 0x3F) << 6) +
                    (static_cast<unsigned char>(in[i + 2]) & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        char a = static_cast<char>(cp - 0xFEE0);
        out += (a >= 'a' && a <= 'z') ? static_cast<char>(a - 'a' + 'A') : a;
        i += 3;
        continue;
      }
    }
    std::string_view rest = in.substr(i);
    auto starts = [&](std::string_view s) { return rest.substr(0, s.size()) == s; };
    struct Sign {
      const char* glyph;
      const char* name;
    };
    static constexpr Sign kSigns[] = {{"\u3000", ""},       {"\u32FF", "令和"}, {"\u337B", "平成"},
                                      {"\u337C", "昭和"}, {"\u337D", "大正"}, {"\u337E", "明治"}};
    bool folded = false;
    for (const Sign& s : kSigns) {
      if (starts(s.glyph)) {
        out += s.name;
        i += std::string_view(s.glyph).size();
        folded = true;
        break;
      }
    }
    if (!folded) out += in[i++];
  }
  return out;
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return pos_ == s_.size(); }
  bool eat(std::string_view token) {
    if (s_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  // Up to max_digits ASCII digits; nullopt when there are none.
  std::optional<int> number(size_t max_digits, size_t* count = nullptr) {
    size_t start = pos_;
    int v = 0;
    while (pos_ < s_.size() && pos_ - start < max_digits && s_[pos_] >= '0' && s_[pos_] <= '9') {
      v = v * 10 + (s_[pos_++] - '0');
    }
    if (count != nullptr) *count = pos_ - start;
    if (pos_ == start) return std::nullopt;
    return v;
  }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  std::string_view remaining() const { return s_.substr(pos_); }
  char take() { return s_[pos_++]; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Reads an era name or letter; nullptr when none is there. Sets *unknown_letter to an ASCII letter
// that stands where an era letter would.
const Era* read_era(Cursor& c, char* unknown_letter) {
  for (const Era& era : japanese_eras()) {
    if (c.eat(era.name) || c.eat(era.letter)) return &era;
  }
  // A letter followed by a digit stands where an era letter would ("X5.4.1").
  if (c.remaining().size() >= 2 && c.peek() >= 'A' && c.peek() <= 'Z' && c.remaining()[1] >= '0' &&
      c.remaining()[1] <= '9') {
    *unknown_letter = c.peek();
  }
  return nullptr;
}

// The era that followed era (nullptr for the current one).
const Era* successor(const Era* era) {
  auto eras = japanese_eras();
  for (size_t i = 1; i < eras.size(); ++i) {
    if (&eras[i] == era) return &eras[i - 1];
  }
  return nullptr;
}

std::string two(int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

std::string wareki_text(const Era& era, int era_year, int month, int day) {
  return std::string(era.name) + (era_year == 1 ? "元" : std::to_string(era_year)) + "年" +
         std::to_string(month) + "月" + std::to_string(day) + "日";
}

// Reads "M<sep>D" or "M月D日?" after the year; sep is the separator already used after the year
// ('\0' for the 年 form).
bool read_month_day(Cursor& c, char sep, int* month, int* day) {
  auto m = c.number(2);
  if (!m) return false;
  if (sep == '\0') {
    if (!c.eat("月")) return false;
  } else if (c.peek() != sep) {
    return false;
  } else {
    c.take();
  }
  auto d = c.number(2);
  if (!d) return false;
  if (sep == '\0') c.eat("日");
  if (!c.done()) return false;
  *month = *m;
  *day = *d;
  return true;
}

bool is_separator(char ch) { return ch == '-' || ch == '/' || ch == '.'; }

Status check_month_day(std::string_view text, int year, int month, int day) {
  if (month < 1 || month > 12) {
    return Status::parse(quoted(text) + "month " + std::to_string(month) + " is not 1 to 12");
  }
  int days = days_in_month(year, month);
  if (day < 1 || day > days) {
    return Status::parse(quoted(text) + std::to_string(year) + "-" + two(month) + " has no day " +
                         std::to_string(day) + " (it has " + std::to_string(days) + " days)");
  }
  return Status::ok();
}

std::string lunisolar_message() {
  return "dates before 明治6年 (1873-01-01) are in the lunisolar calendar, which jimu does not "
         "convert";
}

}  // namespace

Result<CivilDate> parse_date(std::string_view text) {
  const std::string folded = fold(text);
  Cursor c(folded);
  char unknown_letter = '\0';
  const Era* era = read_era(c, &unknown_letter);
  if (era == nullptr && unknown_letter != '\0') {
    return Status::parse(quoted(text) + "unknown era '" + std::string(1, unknown_letter) +
                         "' (expected M, T, S, H or R)");
  }
  int year = 0;
  if (era != nullptr) {
    int era_year = 0;
    if (c.eat("元")) {
      era_year = 1;
    } else if (auto n = c.number(3)) {
      era_year = *n;
    } else {
      return Status::parse(quoted(text) + kExpected);
    }
    if (era_year == 0) {
      return Status::parse(quoted(text) + "there is no year 0 of an era (the first year is 元年)");
    }
    year = era->first_day.year + era_year - 1;
    char sep = '\0';
    if (!c.eat("年")) {
      if (!is_separator(c.peek())) return Status::parse(quoted(text) + kExpected);
      sep = c.take();
    }
    int month = 0, day = 0;
    if (!read_month_day(c, sep, &month, &day)) return Status::parse(quoted(text) + kExpected);
    if (year > 9999) {
      return Status::parse(quoted(text) + "year " + std::to_string(year) + " is out of range");
    }
    if (Status s = check_month_day(text, year, month, day); !s) return s;
    CivilDate date{year, month, day};
    if (date < kGregorianAdoption) return Status::parse(quoted(text) + lunisolar_message());
    if (date < era->first_day) {
      return Status::parse(quoted(text) + era->name + " began on " + era->first_day.iso());
    }
    if (const Era* next = successor(era); next != nullptr && date >= next->first_day) {
      CivilDate last = next->first_day.plus_days(-1);
      return Status::parse(quoted(text) + era->name + " ended on " + last.iso() + " (" +
                           wareki_text(*era, last.year - era->first_day.year + 1, last.month,
                                       last.day) +
                           ")");
    }
    return date;
  }

  size_t digits = 0;
  auto y = c.number(8, &digits);
  if (!y) return Status::parse(quoted(text) + kExpected);
  int month = 0, day = 0;
  if (digits == 8 && c.done()) {  // 20260401
    year = *y / 10000;
    month = *y / 100 % 100;
    day = *y % 100;
  } else {
    if (digits != 4) return Status::parse(quoted(text) + kExpected);
    year = *y;
    char sep = '\0';
    if (!c.eat("年")) {
      if (!is_separator(c.peek())) return Status::parse(quoted(text) + kExpected);
      sep = c.take();
    }
    if (!read_month_day(c, sep, &month, &day)) return Status::parse(quoted(text) + kExpected);
  }
  if (year < 1) return Status::parse(quoted(text) + "year 0 is out of range");
  if (Status s = check_month_day(text, year, month, day); !s) return s;
  return CivilDate{year, month, day};
}

Result<int> parse_fiscal_year(std::string_view text) {
  const std::string folded = fold(text);
  Cursor c(folded);
  char unknown_letter = '\0';
  const Era* era = read_era(c, &unknown_letter);
  if (era == nullptr && unknown_letter != '\0') {
    return Status::parse(quoted(text) + "unknown era '" + std::string(1, unknown_letter) +
                         "' (expected M, T, S, H or R)");
  }
  if (era == nullptr) {
    size_t digits = 0;
    auto y = c.number(4, &digits);
    if (!y || digits != 4 || !c.eat("年度") || !c.done() || *y < 1) {
      return Status::parse(quoted(text) + kExpectedFiscal);
    }
    return *y;
  }
  int era_year = 0;
  if (c.eat("元")) {
    era_year = 1;
  } else if (auto n = c.number(3)) {
    era_year = *n;
  } else {
    return Status::parse(quoted(text) + kExpectedFiscal);
  }
  if (!c.eat("年度") || !c.done()) return Status::parse(quoted(text) + kExpectedFiscal);
  if (era_year == 0) {
    return Status::parse(quoted(text) + "there is no year 0 of an era (the first year is 元年)");
  }
  int fy = era->first_day.year + era_year - 1;
  if (fy > 9998) return Status::parse(quoted(text) + "year " + std::to_string(fy) + " is out of range");
  if (fiscal_year_end(fy) < kGregorianAdoption) {
    return Status::parse(quoted(text) + lunisolar_message());
  }
  if (const Era* next = successor(era); next != nullptr && fiscal_year_start(fy) >= next->first_day) {
    return Status::parse(quoted(text) + era->name + " ended on " +
                         next->first_day.plus_days(-1).iso() + ", before " + std::to_string(fy) +
                         "年度 began");
  }
  return fy;
}

Result<WarekiYear> wareki_year_of(const CivilDate& date) {
  if (date < kGregorianAdoption) {
    return Status::invalid(date.iso() + ": wareki " + lunisolar_message());
  }
  const Era* era = era_of(date);
  return WarekiYear{era, date.year - era->first_day.year + 1};
}

Result<std::string> format_date(const CivilDate& date, std::string_view format) {
  if (format == "iso") return date.iso();
  if (format == "wareki") format = "%G%E年%n月%j日";
  if (format == "wareki_short") format = "%g%e.%n.%j";
  if (format.find('%') == std::string_view::npos) {
    // "yyyy/mm/dd" would otherwise come out as itself: a silent surprise.
    return Status::invalid(quoted(format) +
                           "unknown date format (use iso, wareki, wareki_short or a pattern with "
                           "% directives such as %Y/%m/%d)");
  }
  static constexpr const char* kWeekdays[] = {"日", "月", "火", "水", "木", "金", "土"};
  std::string out;
  std::optional<WarekiYear> wareki;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (i + 1 == format.size()) {
      return Status::invalid(quoted(format) + "the date format ends in a lone %");
    }
    char directive = format[++i];
    if (std::string_view("GgEef").find(directive) != std::string_view::npos && !wareki) {
      auto w = wareki_year_of(date);
      if (!w) return w.status();
      wareki = *w;
    }
    switch (directive) {
      case 'Y': {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d", date.year);
        out += buf;
        break;
      }
      case 'y': out += two(date.year % 100); break;
      case 'm': out += two(date.month); break;
      case 'n': out += std::to_string(date.month); break;
      case 'd': out += two(date.day); break;
      case 'j': out += std::to_string(date.day); break;
      case 'G': out += wareki->era->name; break;
      case 'g': out += wareki->era->letter; break;
      case 'E': out += wareki->year == 1 ? "元" : std::to_string(wareki->year); break;
      case 'e': out += std::to_string(wareki->year); break;
      case 'f': out += two(wareki->year); break;
      case 'a': out += kWeekdays[date.weekday()]; break;
      case 'A': out += std::string(kWeekdays[date.weekday()]) + "曜日"; break;
      case '%': out += '%'; break;
      default:
        return Status::invalid(quoted(format) + "unknown directive %" + std::string(1, directive) +
                               " in date format");
    }
  }
  return out;
}

}  // namespace jimu
