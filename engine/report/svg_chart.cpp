// Draws bar and line charts as SVG text; see svg_chart.h for the contract.
#include "engine/report/svg_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace jimu::svg {
namespace {

// Colours from a palette that stays distinguishable in print and for common colour blindness.
constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                    "#76b7b2", "#edc948", "#b07aa1", "#9c755f"};
constexpr int kPaletteSize = 8;
// Values beyond this are clamped so that the scale stays finite (no count or hour reaches it).
constexpr double kMaxAbs = 1e15;
constexpr int kFontSize = 11;

// Coordinates with one decimal, without the locale (a German locale would write "1,5").
std::string num(double v) {
  if (!std::isfinite(v)) v = 0;
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, std::round(v * 10) / 10, std::chars_format::fixed, 1);
  std::string s(buf, r.ptr);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string group_thousands(std::string digits) {
  size_t start = !digits.empty() && digits[0] == '-' ? 1 : 0;
  size_t dot = digits.find('.');
  size_t end = dot == std::string::npos ? digits.size() : dot;
  for (size_t i = end; i > start + 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

// A value for people: thousands grouped, at most `decimals` decimals, trailing zeros dropped.
std::string label_value(double v, int decimals) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string s(buf, r.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return group_thousands(s);
}

// Display width in px of a label at kFontSize: East Asian characters (3- and 4-byte UTF-8) are
// about one em wide, others about 0.6 em. Only used to keep labels from overlapping.
double text_width(std::string_view s) {
  double w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? kFontSize : kFontSize * 0.6;
    i += len;
  }
  return w;
}

bool usable(double v) { return std::isfinite(v); }
double clamp_value(double v) { return std::clamp(v, -kMaxAbs, kMaxAbs); }

struct Scale {
  double lo = 0, hi = 1, step = 0.2;
  int decimals = 0;
};

// A "nice" axis (steps of 1, 2 or 5 x 10^n, about five of them) that always includes zero.
Scale nice_scale(double lo, double hi) {
  Scale s;
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (hi - lo <= 0) hi = 1;  // all zero, or no data: an axis from 0 to 1
  double raw = (hi - lo) / 5;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / mag;
  s.step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  s.lo = std::floor(lo / s.step + 1e-9) * s.step;
  s.hi = std::ceil(hi / s.step - 1e-9) * s.step;
  if (s.hi <= s.lo) s.hi = s.lo + s.step;
  s.decimals = s.step >= 1 ? 0 : std::min(6, static_cast<int>(std::ceil(-std::log10(s.step) - 1e-9)));
  return s;
}

void text(std::string& out, double x, double y, const char* anchor, const char* cls,
          std::string_view content, int size = kFontSize, const char* extra = "") {
  out += "<text class=\"";
  out += cls;
  out += "\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor +
         "\" font-size=\"" + std::to_string(size) + "\" fill=\"#222\"" + extra + ">";
  out += escape_html(content);
  out += "</text>\n";
}

}  // namespace

std::string escape_html(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render(const Chart& c) {
  const double w = std::max(c.width, 160);
  const double h = std::max(c.height, 120);
  const std::string title = c.title.empty() ? "グラフ" : c.title;
  std::string out;
  out.reserve(4096);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"jimu-chart\" width=\"" + num(w) +
         "\" height=\"" + num(h) + "\" viewBox=\"0 0 " + num(w) + " " + num(h) +
         "\" role=\"img\" aria-label=\"" + escape_html(title) + "\">\n";
  out += "<title>" + escape_html(title) + "</title>\n";
  text(out, w / 2, 18, "middle", "title", title, 14, " font-weight=\"bold\"");

  const size_t n = c.categories.size();
  double lo = 0, hi = 0;
  for (const Series& s : c.series) {
    for (size_t i = 0; i < std::min(n, s.values.size()); ++i) {
      if (!usable(s.values[i])) continue;
      double v = clamp_value(s.values[i]);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (n == 0 || c.series.empty()) {
    text(out, w / 2, h / 2, "middle", "empty", "データがありません");
    out += "</svg>\n";
    return out;
  }

  // The legend's rows, wrapped to the width, decide how much room the plot has at the bottom.
  std::vector<std::vector<size_t>> legend_rows(1);
  {
    double x = 12;
    for (size_t i = 0; i < c.series.size(); ++i) {
      double item = 18 + text_width(c.series[i].name) + 16;
      if (x + item > w - 8 && !legend_rows.back().empty()) {
        legend_rows.emplace_back();
        x = 12;
      }
      legend_rows.back().push_back(i);
      x += item;
    }
  }
  const double legend_h = 16.0 * static_cast<double>(legend_rows.size());
  const double left = 56, right = 12, top = 40;
  const double bottom = 24 + legend_h;
  const double x0 = left, x1 = std::max(w - right, left + 10);
  const double y0 = top, y1 = std::max(h - bottom, top + 10);
  const Scale sc = nice_scale(lo, hi);
  auto ymap = [&](double v) { return y1 - (clamp_value(v) - sc.lo) / (sc.hi - sc.lo) * (y1 - y0); };

  if (!c.unit.empty()) text(out, 8, top - 8, "start", "unit", "(" + c.unit + ")");
  // Grid and y ticks.
  int ticks = static_cast<int>(std::llround((sc.hi - sc.lo) / sc.step));
  for (int t = 0; t <= ticks; ++t) {
    double v = sc.lo + sc.step * t;
    double y = ymap(v);
    out += "<line class=\"grid\" x1=\"" + num(x0) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x1) +
           "\" y2=\"" + num(y) + "\" stroke=\"#ddd\" stroke-width=\"1\"/>\n";
    text(out, x0 - 6, y + 4, "end", "tick", label_value(v, sc.decimals));
  }
  // Axes: the zero line and the left edge.
  out += "<line class=\"axis\" x1=\"" + num(x0) + "\" y1=\"" + num(ymap(0)) + "\" x2=\"" + num(x1) +
         "\" y2=\"" + num(ymap(0)) + "\" stroke=\"#444\" stroke-width=\"1\"/>\n";
  out += "<line class=\"axis\" x1=\"" + num(x0) + "\" y1=\"" + num(y0) + "\" x2=\"" + num(x0) +
         "\" y2=\"" + num(y1) + "\" stroke=\"#444\" stroke-width=\"1\"/>\n";

  // Category labels, thinned so that they do not overlap when there are many.
  const double slot = (x1 - x0) / static_cast<double>(n);
  double widest = 0;
  for (const auto& cat : c.categories) widest = std::max(widest, text_width(cat));
  const size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil((widest + 6) / slot)));
  for (size_t i = 0; i < n; i += every) {
    text(out, x0 + slot * (static_cast<double>(i) + 0.5), y1 + 16, "middle", "category",
         c.categories[i]);
  }

  auto value_title = [&](size_t i, const Series& s, double v) {
    std::string t = c.categories[i] + " " + s.name + ": " + label_value(v, 2);
    if (!c.unit.empty()) t += " " + c.unit;
    return "<title>" + escape_html(t) + "</title>";
  };

  // Bars, grouped per category.
  size_t bar_count = 0;
  for (const Series& s : c.series) bar_count += s.kind == Series::kBar ? 1 : 0;
  const double group = slot * 0.8;
  const double bar_w = bar_count ? group / static_cast<double>(bar_count) : 0;
  size_t bar_index = 0;
  for (size_t si = 0; si < c.series.size(); ++si) {
    const Series& s = c.series[si];
    if (s.kind != Series::kBar) continue;
    const char* colour = kPalette[si % kPaletteSize];
    out += "<g class=\"bar s" + std::to_string(si % kPaletteSize) + "\" fill=\"" + colour + "\">\n";
    for (size_t i = 0; i < std::min(n, s.values.size()); ++i) {
      if (!usable(s.values[i])) continue;
      double v = s.values[i];
      double x = x0 + slot * static_cast<double>(i) + (slot - group) / 2 +
                 bar_w * static_cast<double>(bar_index);
      double ya = ymap(std::max(v, 0.0)), yb = ymap(std::min(v, 0.0));
      out += "<rect x=\"" + num(x) + "\" y=\"" + num(ya) + "\" width=\"" +
             num(std::max(bar_w - 1, 0.5)) + "\" height=\"" + num(std::max(yb - ya, 0.0)) + "\">" +
             value_title(i, s, v) + "</rect>\n";
    }
    out += "</g>\n";
    ++bar_index;
  }

  // Lines over the bars; a missing value breaks the line.
  for (size_t si = 0; si < c.series.size(); ++si) {
    const Series& s = c.series[si];
    if (s.kind != Series::kLine) continue;
    const char* colour = kPalette[si % kPaletteSize];
    std::string d, points;
    bool pen_down = false;
    for (size_t i = 0; i < n; ++i) {
      if (i >= s.values.size() || !usable(s.values[i])) {
        pen_down = false;
        continue;
      }
      double x = x0 + slot * (static_cast<double>(i) + 0.5), y = ymap(s.values[i]);
      d += (d.empty() ? "" : " ") + std::string(pen_down ? "L" : "M") + num(x) + " " + num(y);
      pen_down = true;
      points += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3\">" +
                value_title(i, s, s.values[i]) + "</circle>\n";
    }
    out += "<g class=\"line s" + std::to_string(si % kPaletteSize) + "\" fill=\"" + colour +
           "\" stroke=\"" + colour + "\">\n";
    if (!d.empty()) out += "<path d=\"" + d + "\" fill=\"none\" stroke-width=\"2\"/>\n";
    out += points + "</g>\n";
  }

  // Legend.
  out += "<g class=\"legend\">\n";
  for (size_t row = 0; row < legend_rows.size(); ++row) {
    double x = 12;
    double y = y1 + 24 + 16.0 * static_cast<double>(row) + 8;
    for (size_t si : legend_rows[row]) {
      const Series& s = c.series[si];
      const char* colour = kPalette[si % kPaletteSize];
      if (s.kind == Series::kBar) {
        out += "<rect x=\"" + num(x) + "\" y=\"" + num(y - 9) +
               "\" width=\"12\" height=\"10\" fill=\"" + colour + "\"/>\n";
      } else {
        out += "<line x1=\"" + num(x) + "\" y1=\"" + num(y - 4) + "\" x2=\"" + num(x + 12) +
               "\" y2=\"" + num(y - 4) + "\" stroke=\"" + colour + "\" stroke-width=\"2\"/>\n";
      }
      text(out, x + 16, y, "start", "legend-label", s.name);
      x += 18 + text_width(s.name) + 16;
    }
  }
  out += "</g>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace jimu::svg
