// Times jimu.text's core on a large Japanese text: NFKC (ICU) and the single-pass folds.
//
//   build/bench/text/text_bench [MB] [FILE]
//
// Generates MB (default 100) megabytes of CSV-like Japanese records (names in kanji and 半角カナ,
// addresses with 全角 digits, ①, ㈱, 〜, amounts, a My Number in some lines), writes them to FILE
// (default /tmp/jimu-text-bench.txt) for bench/text/python_nfkc.py, and prints the time of each
// operation on the whole text as one string.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "connectors/text/display_width.h"
#include "connectors/text/my_number.h"
#include "connectors/text/nfkc.h"
#include "connectors/text/variant_fold.h"
#include "connectors/text/width_fold.h"

namespace {

std::string make_text(size_t bytes) {
  const char* names[] = {"髙橋 太郎", "山﨑 花子", "渡邊 一郎", "佐藤 ①子", "鈴木 次郎"};
  const char* kana[] = {"ﾀｶﾊｼ ﾀﾛｳ", "ﾔﾏｻﾞｷ ﾊﾅｺ", "ﾜﾀﾅﾍﾞ ｲﾁﾛｳ", "ｻﾄｳ ﾏﾙｺ", "ｽｽﾞｷ ｼﾞﾛｳ"};
  const char* addresses[] = {"東京都千代田区丸の内１－２－３", "大阪府大阪市北区梅田３丁目４番５号",
                             "北海道札幌市中央区北１条西２丁目", "㈱テスト商事　本社ビル５Ｆ"};
  std::string text;
  text.reserve(bytes + 256);
  for (long i = 0; text.size() < bytes; ++i) {
    text += std::to_string(100000 + i);
    text += ",";
    text += names[i % 5];
    text += ",";
    text += kana[i % 5];
    text += ",";
    text += addresses[i % 4];
    text += ",令和５年４月〜６月,";
    text += std::to_string((i * 7919) % 1000000);
    text += "円,";
    text += (i % 10 == 0) ? "123456789018" : "備考なし";
    text += "\n";
  }
  return text;
}

template <typename F>
void time(const char* what, size_t bytes, F f) {
  auto start = std::chrono::steady_clock::now();
  size_t out = f();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%-28s %7.3f s  %7.0f MB/s  (%zu bytes out)\n", what, s, bytes / 1e6 / s, out);
}

}  // namespace

int main(int argc, char** argv) {
  size_t mb = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100;
  std::string file = argc > 2 ? argv[2] : "/tmp/jimu-text-bench.txt";
  std::string text = make_text(mb * 1000 * 1000);
  std::ofstream(file, std::ios::binary) << text;
  std::printf("%zu bytes of Japanese records (written to %s)\n", text.size(), file.c_str());
  using namespace jimu::text;
  time("normalize (NFKC, ICU)", text.size(), [&] { return normalize_nfkc(text)->size(); });
  time("to_halfwidth", text.size(), [&] { return to_halfwidth(text)->size(); });
  time("to_fullwidth", text.size(), [&] { return to_fullwidth(text)->size(); });
  time("fold_variants", text.size(),
       [&] { return fold_variants(text, VariantSide::kWindows)->size(); });
  time("width", text.size(), [&] { return static_cast<size_t>(*display_width(text)); });
  time("mask_my_number", text.size(), [&] { return mask_my_number(text).size(); });
  return 0;
}
