#include "connectors/text/my_number.h"

#include <vector>

namespace jimu::text {
namespace {

// A maximal run of digits (half-width or full-width) at bytes [begin, end).
struct DigitRun {
  size_t begin;
  size_t end;
  std::string digits;  // as ASCII
  // The separator joining this run to the next one ("" when the next is not joined).
  std::string_view separator;
};

// The digit (0-9) whose encoding starts at s[i], with its length in bytes; -1 when none.
int digit_at(std::string_view s, size_t i, size_t* len) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b >= '0' && b <= '9') {
    *len = 1;
    return b - '0';
  }
  // U+FF10..U+FF19 ０-９: EF BC 90..99
  if (b == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
    auto b2 = static_cast<unsigned char>(s[i + 2]);
    if (b2 >= 0x90 && b2 <= 0x99) {
      *len = 3;
      return b2 - 0x90;
    }
  }
  return -1;
}

// The length of the separator starting at s[i], or 0.
size_t separator_at(std::string_view s, size_t i) {
  static constexpr std::string_view kSeparators[] = {
      " ",
      "-",
      "\xE3\x80\x80",  // U+3000 ideographic space
      "\xEF\xBC\x8D",  // U+FF0D －
      "\xE2\x88\x92",  // U+2212 −
      "\xE2\x80\x90",  // U+2010 ‐
      "\xE3\x83\xBC",  // U+30FC ー (typed as a hyphen often enough)
  };
  for (std::string_view sep : kSeparators) {
    if (s.substr(i, sep.size()) == sep) return sep.size();
  }
  return 0;
}

// The runs of one group: digit runs joined by single separators, starting at i (a digit that
// does not follow a digit). Sets *next to the first byte after the group.
std::vector<DigitRun> read_group(std::string_view s, size_t i, size_t* next) {
  std::vector<DigitRun> runs;
  while (true) {
    DigitRun run{i, i, {}, {}};
    size_t len = 0;
    int d;
    while (run.end < s.size() && (d = digit_at(s, run.end, &len)) >= 0) {
      run.digits.push_back(static_cast<char>('0' + d));
      run.end += len;
    }
    size_t sep = run.end < s.size() ? separator_at(s, run.end) : 0;
    size_t after = run.end + sep;
    bool joined = sep > 0 && after < s.size() && digit_at(s, after, &len) >= 0;
    if (joined) run.separator = s.substr(run.end, sep);
    runs.push_back(std::move(run));
    if (!joined) break;
    i = after;
  }
  *next = runs.back().end;
  return runs;
}

void mask_digits(std::string& out, std::string_view s, size_t begin, size_t end) {
  size_t len = 0;
  for (size_t i = begin; i < end;) {
    if (digit_at(s, i, &len) >= 0) {
      out[i] = '*';
      // A full-width digit (3 bytes) becomes one '*': marked here, dropped when out is compacted.
      for (size_t k = 1; k < len; ++k) out[i + k] = '\0';
      i += len;
    } else {
      ++i;
    }
  }
}

}  // namespace

int my_number_check_digit(std::string_view digits) {
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    int p = digits[11 - n] - '0';
    int q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  int r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

bool is_valid_my_number(std::string_view digits) {
  if (digits.size() != 12) return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  return my_number_check_digit(digits.substr(0, 11)) == digits[11] - '0';
}

std::string mask_my_number(std::string_view s, int* masked) {
  int count = 0;
  std::string out;  // a copy of s with masked bytes changed, then compacted; empty: unchanged
  size_t len = 0;
  for (size_t i = 0; i < s.size();) {
    if (digit_at(s, i, &len) < 0) {
      ++i;
      continue;
    }
    size_t next = i;
    std::vector<DigitRun> runs = read_group(s, i, &next);
    auto mask = [&](size_t begin, size_t end) {
      if (out.empty()) out.assign(s);
      mask_digits(out, s, begin, end);
      ++count;
    };
    for (size_t k = 0; k < runs.size(); ++k) {
      if (runs[k].digits.size() == 12 && is_valid_my_number(runs[k].digits)) {
        mask(runs[k].begin, runs[k].end);
        continue;
      }
      // Three groups of four with one separator, not extended by that separator on either side.
      if (k + 2 >= runs.size()) continue;
      const DigitRun& a = runs[k];
      const DigitRun& b = runs[k + 1];
      const DigitRun& c = runs[k + 2];
      if (a.digits.size() != 4 || b.digits.size() != 4 || c.digits.size() != 4) continue;
      if (a.separator != b.separator) continue;
      if (k > 0 && runs[k - 1].separator == a.separator) continue;
      if (c.separator == a.separator) continue;
      if (is_valid_my_number(a.digits + b.digits + c.digits)) {
        mask(a.begin, c.end);
        k += 2;
      }
    }
    i = next;
  }
  if (masked != nullptr) *masked = count;
  if (out.empty()) return std::string(s);
  // Drop the trailing bytes of masked full-width digits. A NUL is never part of a digit, so the
  // NULs of s itself are kept by comparing with s.
  std::string compact;
  compact.reserve(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\0' && s[i] != '\0') continue;
    compact.push_back(out[i]);
  }
  return compact;
}

}  // namespace jimu::text
