// Charts as inline SVG markup: the KPI report's HTML page and the web dashboard draw their bar and
// line charts with render(), and escape every piece of text they print with escape_html().
//
// The markup is made for pages served under a Content-Security-Policy without 'unsafe-inline':
// it carries no style= attribute, no <style> element and no script. Colours are SVG presentation
// attributes (fill, stroke), overridable from the page's stylesheet through the class names
// (jimu-chart, bar, line, s0..s7, axis, grid, tick, legend, empty); the font family comes from the
// page's CSS, so Japanese labels render in whatever font the page chose. The chart is accessible:
// role="img", aria-label and a <title> carry the chart's title, and each bar and point carries a
// <title> with its category, series and value.
//
// Pure functions of their arguments (no clock, no locale): the same chart gives the same bytes.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jimu::svg {

struct Series {
  std::string name;
  // One value per category; a missing or non-finite value (NaN, infinity) is drawn as a gap.
  std::vector<double> values;
  enum Kind { kBar, kLine } kind = kBar;
};

struct Chart {
  std::string title;
  std::vector<std::string> categories;  // the x axis, left to right
  std::vector<Series> series;           // bars and lines may be mixed; bars are grouped
  std::string unit;                     // shown above the y axis and in each value's <title>
  int width = 640, height = 280;        // in px; clamped to at least 160 x 120
};

// <svg ...>...</svg>. A chart with no categories or no series draws its title and
// "データがありません". Negative values hang below the zero line.
std::string render(const Chart& c);

// Escapes & < > " ' for HTML text and attribute values (&amp; &lt; &gt; &quot; &#39;).
std::string escape_html(std::string_view s);

}  // namespace jimu::svg
