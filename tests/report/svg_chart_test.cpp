#include "engine/report/svg_chart.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <regex>
#include <set>
#include <string>

using jimu::svg::Chart;
using jimu::svg::Series;

namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

Chart months_chart() {
  Chart c;
  c.title = "業務数の累計（2026年度）";
  c.categories = {"4月", "5月", "6月"};
  c.series = {{"運用業務数", {1, 2, 4}, Series::kBar}, {"目標", {10, 10, 10}, Series::kLine}};
  c.unit = "件";
  return c;
}

}  // namespace

TEST_CASE("svg: escape_html escapes the five characters and leaves Japanese alone", "[svg]") {
  CHECK(jimu::svg::escape_html("<a href=\"x\">Tom & Jerry's</a>") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(jimu::svg::escape_html("①㈱髙～〜ｶﾅ") == "①㈱髙～〜ｶﾅ");
  CHECK(jimu::svg::escape_html("") == "");
}

TEST_CASE("svg: a chart is one svg element with role img, aria-label and title", "[svg]") {
  std::string s = jimu::svg::render(months_chart());
  CHECK(s.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"jimu-chart\" width=\"640\" "
                "height=\"280\" viewBox=\"0 0 640 280\" role=\"img\" "
                "aria-label=\"業務数の累計（2026年度）\">\n<title>業務数の累計（2026年度）</title>\n",
                0) == 0);
  CHECK(s.size() > 7);
  CHECK(s.substr(s.size() - 7) == "</svg>\n");
  CHECK(count(s, "<svg") == 1);
  // Three bars and one line of three points, each with its value as a tooltip.
  CHECK(count(s, "<rect x=") == 3 + 1);  // + the legend's swatch
  CHECK(count(s, "<path d=\"M") == 1);
  CHECK(count(s, "<circle ") == 3);
  CHECK(s.find("<title>6月 運用業務数: 4 件</title>") != std::string::npos);
  CHECK(s.find("<title>4月 目標: 10 件</title>") != std::string::npos);
  CHECK(s.find(">4月</text>") != std::string::npos);
  CHECK(s.find(">(件)</text>") != std::string::npos);
}

TEST_CASE("svg: no style attribute, style element or script appears, whatever the text", "[svg]") {
  Chart c = months_chart();
  c.title = "<style>body{}</style>";
  c.categories[0] = "<script>alert(1)</script>";
  c.series[0].name = "<script>alert('x')</script>";
  c.unit = "\" onload=\"alert(1)";
  std::string s = jimu::svg::render(c);
  CHECK(s.find("<script") == std::string::npos);
  CHECK(s.find("<style") == std::string::npos);
  CHECK(s.find("style=") == std::string::npos);
  CHECK(s.find("onload=\"") == std::string::npos);  // only as escaped text
  CHECK(s.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(s.find("aria-label=\"&lt;style&gt;body{}&lt;/style&gt;\"") != std::string::npos);
  CHECK(s.find("&quot; onload=&quot;alert(1)") != std::string::npos);
}

TEST_CASE("svg: a chart without data says so instead of drawing axes", "[svg]") {
  Chart c;
  c.title = "部署別の削減時間";
  std::string s = jimu::svg::render(c);
  CHECK(s.find(">データがありません</text>") != std::string::npos);
  CHECK(s.find("<line") == std::string::npos);
  c.categories = {"4月"};
  s = jimu::svg::render(c);  // categories but no series
  CHECK(s.find(">データがありません</text>") != std::string::npos);
  c.title.clear();
  s = jimu::svg::render(c);
  CHECK(s.find("aria-label=\"グラフ\"") != std::string::npos);
}

TEST_CASE("svg: all-zero values give a 0 to 1 axis and flat bars, not a division by zero", "[svg]") {
  Chart c;
  c.title = "実行回数";
  c.categories = {"4月", "5月"};
  c.series = {{"実行", {0, 0}, Series::kBar}};
  std::string s = jimu::svg::render(c);
  CHECK(s.find("nan") == std::string::npos);
  CHECK(s.find("inf") == std::string::npos);
  CHECK(count(s, "height=\"0\"") == 2);
  CHECK(s.find(">1</text>") != std::string::npos);  // the top tick
  CHECK(s.find(">0</text>") != std::string::npos);
  CHECK(s.find(">-") == std::string::npos);  // no tick below zero without negative data
}

TEST_CASE("svg: the axis of non-negative data starts at zero and ends at a round step", "[svg]") {
  Chart c = months_chart();  // values up to 10
  std::string s = jimu::svg::render(c);
  CHECK(s.find("class=\"tick\"") != std::string::npos);
  CHECK(s.find(">-") == std::string::npos);
  CHECK(s.find(">10</text>") != std::string::npos);
  CHECK(s.find(">12</text>") == std::string::npos);
}

TEST_CASE("svg: negative values hang below the zero line and no height is negative", "[svg]") {
  Chart c;
  c.title = "増減";
  c.categories = {"A", "B"};
  c.series = {{"差", {-5, 10}, Series::kBar}};
  std::string s = jimu::svg::render(c);
  CHECK(s.find("height=\"-") == std::string::npos);
  CHECK(s.find("width=\"-") == std::string::npos);
  CHECK(s.find(">-5</text>") != std::string::npos);  // the axis reaches below zero
  // The negative bar starts at the zero line, the positive one ends there.
  std::smatch m;
  std::string rest = s;
  std::regex rect("<rect x=\"[0-9.]+\" y=\"([0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\">");
  REQUIRE(std::regex_search(rest, m, rect));
  double neg_top = std::stod(m[1]);
  rest = m.suffix();
  REQUIRE(std::regex_search(rest, m, rect));
  double pos_bottom = std::stod(m[1]) + std::stod(m[2]);
  CHECK(neg_top == Approx(pos_bottom));
}

TEST_CASE("svg: a tiny or negative size is clamped, non-finite values are gaps", "[svg]") {
  Chart c = months_chart();
  c.width = -10;
  c.height = 0;
  c.series[1].values = {1, std::nan(""), std::numeric_limits<double>::infinity()};
  std::string s = jimu::svg::render(c);
  CHECK(s.find("viewBox=\"0 0 160 120\"") != std::string::npos);
  CHECK(s.find("nan") == std::string::npos);
  CHECK(s.find("inf") == std::string::npos);
  CHECK(s.find("=\"-") == std::string::npos);  // no negative coordinate or size anywhere
  CHECK(count(s, "<circle ") == 1);
}

TEST_CASE("svg: with many categories the labels are thinned, every bar is drawn", "[svg]") {
  Chart c;
  c.title = "日別";
  for (int i = 1; i <= 365; ++i) c.categories.push_back("第" + std::to_string(i) + "日");
  c.series.push_back({"件数", std::vector<double>(365, 3.0), Series::kBar});
  std::string s = jimu::svg::render(c);
  CHECK(count(s, "<rect x=") == 365 + 1);
  size_t labels = count(s, "class=\"category\"");
  CHECK(labels >= 5);
  CHECK(labels < 40);  // about 40 px per label on a 572 px axis
  CHECK(s.find(">第1日</text>") != std::string::npos);
}

TEST_CASE("svg: many series wrap the legend and reuse the palette", "[svg]") {
  Chart c;
  c.title = "部署別";
  c.categories = {"4月"};
  for (int i = 0; i < 12; ++i) {
    c.series.push_back({"総務部総務課第" + std::to_string(i) + "係", {double(i)}, Series::kBar});
  }
  std::string s = jimu::svg::render(c);
  CHECK(count(s, "class=\"legend-label\"") == 12);
  CHECK(count(s, "class=\"bar s0\"") == 2);  // series 0 and 8
  std::regex legend_y("class=\"legend-label\" x=\"[0-9.]+\" y=\"([0-9.]+)\"");
  std::set<std::string> rows;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), legend_y); it != std::sregex_iterator();
       ++it) {
    rows.insert((*it)[1]);
  }
  CHECK(rows.size() >= 3);
}

TEST_CASE("svg: the same chart gives the same bytes, decimals keep a dot", "[svg]") {
  Chart c = months_chart();
  c.series[0].values = {0.25, 0.5, 1.5};
  c.series[1].values = {1.25, 1.25, 1.25};
  std::string a = jimu::svg::render(c);
  CHECK(a == jimu::svg::render(c));
  CHECK(a.find(">0.5</text>") != std::string::npos);  // ticks of 0.5
  CHECK(a.find("<title>4月 運用業務数: 0.25 件</title>") != std::string::npos);
}
