#include "engine/scheduler/cron_expr.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

namespace jimu {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // names for min.. (nullptr when none)
};

const char* const kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char* const kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

const FieldSpec kFields[] = {
    {"minute", 0, 59, nullptr},        {"hour", 0, 23, nullptr},
    {"day of month", 1, 31, nullptr},  {"month", 1, 12, kMonthNames},
    {"day of week", 0, 7, kDayNames},
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

class FieldParser {
 public:
  FieldParser(const std::string& expr, const FieldSpec& spec) : expr_(expr), spec_(spec) {}

  Status error(const std::string& what) const {
    return Status::parse("cron '" + expr_ + "': " + what);
  }

  Result<int> value(const std::string& token) const {
    if (token.empty()) return error(std::string(spec_.name) + " has an empty value");
    if (std::all_of(token.begin(), token.end(), ::isdigit)) {
      if (token.size() > 4) return error(std::string(spec_.name) + " " + token + " is out of range");
      int v = std::stoi(token);
      if (v < spec_.min || v > spec_.max) {
        return error(std::string(spec_.name) + " " + token + " is out of range " +
                     std::to_string(spec_.min) + "-" + std::to_string(spec_.max));
      }
      return v;
    }
    if (spec_.names != nullptr) {
      std::string upper = token;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      int count = spec_.max == 7 ? 7 : 12;
      for (int i = 0; i < count; ++i) {
        if (upper == spec_.names[i]) return spec_.max == 7 ? i : i + 1;
      }
    }
    return error("'" + token + "' is not a valid " + spec_.name);
  }

  // Sets the bits of one field; *restricted tells whether it was anything but '*'.
  template <size_t N>
  Status parse(const std::string& field, std::bitset<N>* bits, bool* restricted) const {
    // As Vixie cron: a field starting with '*' (also "*/2") counts as unrestricted for the rule
    // that joins the two day fields.
    *restricted = field.empty() || field[0] != '*';
    for (const std::string& part : split(field, ',')) {
      std::string range = part;
      int step = 1;
      if (auto slash = part.find('/'); slash != std::string::npos) {
        range = part.substr(0, slash);
        std::string s = part.substr(slash + 1);
        if (s.empty() || !std::all_of(s.begin(), s.end(), ::isdigit) || s.size() > 3 ||
            std::stoi(s) == 0) {
          return error(std::string(spec_.name) + " step '" + s + "' must be a number from 1");
        }
        step = std::stoi(s);
      }
      int lo = spec_.min, hi = spec_.max;
      if (range == "*") {
        if (spec_.max == 7) hi = 6;  // '*' in day of week: 0-6
      } else if (auto dash = range.find('-'); dash != std::string::npos) {
        auto a = value(range.substr(0, dash));
        if (!a) return a.status();
        auto b = value(range.substr(dash + 1));
        if (!b) return b.status();
        lo = *a;
        hi = *b;
        if (lo > hi) {
          return error(std::string(spec_.name) + " range " + range + " runs backwards");
        }
      } else {
        auto v = value(range);
        if (!v) return v.status();
        lo = *v;
        hi = part.find('/') != std::string::npos ? spec_.max : *v;
      }
      for (int v = lo; v <= hi; v += step) {
        bits->set(static_cast<size_t>(spec_.max == 7 && v == 7 ? 0 : v));
      }
    }
    return Status::ok();
  }

 private:
  const std::string& expr_;
  const FieldSpec& spec_;
};

}  // namespace

LocalMinute LocalMinute::from_index(int64_t m) {
  int64_t days = m / 1440;
  if (m % 1440 < 0) --days;
  int rest = static_cast<int>(m - days * 1440);
  return {CivilDate::from_days(days), rest / 60, rest % 60};
}

LocalMinute LocalMinute::from_epoch_ms(int64_t ms, int offset) {
  int64_t local = ms + static_cast<int64_t>(offset) * 60000;
  int64_t minutes = local / 60000;
  if (local % 60000 < 0) --minutes;
  return from_index(minutes);
}

int64_t LocalMinute::to_epoch_ms(int offset) const {
  return (index() - offset) * 60000;
}

std::string LocalMinute::to_string() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d", date.iso().c_str(), hour, minute);
  return buf;
}

Result<CronExpr> CronExpr::parse(const std::string& input) {
  std::string text = input;
  static const std::pair<const char*, const char*> kShorthands[] = {
      {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"},
  };
  if (!text.empty() && text[0] == '@') {
    bool found = false;
    for (const auto& [name, expansion] : kShorthands) {
      if (text == name) {
        text = expansion;
        found = true;
      }
    }
    if (!found) {
      return Status::parse("cron '" + input + "': unknown shorthand (use @yearly, @monthly, "
                           "@weekly, @daily or @hourly)");
    }
  }
  std::vector<std::string> fields;
  std::string cur;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) fields.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) fields.push_back(cur);
  if (fields.size() != 5) {
    return Status::parse("cron '" + input + "': expected 5 fields (minute hour day-of-month month "
                         "day-of-week), found " + std::to_string(fields.size()));
  }
  CronExpr e;
  e.text_ = input;
  bool unused = false;
  Status s = FieldParser(input, kFields[0]).parse(fields[0], &e.minutes_, &unused);
  if (s) s = FieldParser(input, kFields[1]).parse(fields[1], &e.hours_, &unused);
  if (s) s = FieldParser(input, kFields[2]).parse(fields[2], &e.days_, &e.dom_restricted_);
  if (s) s = FieldParser(input, kFields[3]).parse(fields[3], &e.months_, &unused);
  std::bitset<8> dow;
  if (s) s = FieldParser(input, kFields[4]).parse(fields[4], &dow, &e.dow_restricted_);
  if (!s) return s;
  for (int i = 0; i < 7; ++i) e.weekdays_[i] = dow[i];
  // An expression whose days exist in none of its months never fires: 30 2, 31 4.
  if (!e.dow_restricted_) {
    bool possible = false;
    for (int m = 1; m <= 12 && !possible; ++m) {
      if (!e.months_[m]) continue;
      for (int d = 1; d <= days_in_month(2024, m); ++d) possible = possible || e.days_[d];
    }
    if (!possible) return Status::parse("cron '" + input + "': that day never occurs in those months");
  }
  return e;
}

bool CronExpr::matches_day(const CivilDate& d) const {
  if (!months_[d.month]) return false;
  bool dom = days_[d.day];
  bool dow = weekdays_[d.weekday()];
  // Both restricted: either may match (Vixie cron); otherwise both bit sets must.
  if (dom_restricted_ && dow_restricted_) return dom || dow;
  return dom && dow;
}

bool CronExpr::matches(const LocalMinute& t) const {
  return matches_day(t.date) && hours_[t.hour] && minutes_[t.minute];
}

std::optional<LocalMinute> CronExpr::next_after(const LocalMinute& t) const {
  LocalMinute start = LocalMinute::from_index(t.index() + 1);
  CivilDate day = start.date;
  for (int i = 0; i < 366 * 5; ++i, day = day.plus_days(1)) {
    if (!matches_day(day)) continue;
    int from_h = i == 0 ? start.hour : 0;
    for (int h = from_h; h < 24; ++h) {
      if (!hours_[h]) continue;
      int from_m = (i == 0 && h == start.hour) ? start.minute : 0;
      for (int m = from_m; m < 60; ++m) {
        if (minutes_[m]) return LocalMinute{day, h, m};
      }
    }
  }
  return std::nullopt;
}

}  // namespace jimu
