/* The baseline for jimu's Excel writing benchmark: the same rows as write.lua, generated the same
 * way (same lists, same arithmetic, numbers formatted into strings the same way), written with
 * libxlsxwriter directly in constant-memory mode with the same default date format.
 *
 * usage: xlsx_write_c OUT.xlsx ROWS TMPDIR */
#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

static const char *kFamily[] = {"髙橋", "佐藤", "鈴木", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤"};
static const char *kGiven[] = {"太郎", "花子", "一郎", "美咲", "健", "ゆい", "翔太"};
static const char *kKana[] = {"ﾀｶﾊｼ", "ｻﾄｳ", "ｽｽﾞｷ", "ﾀﾅｶ", "ﾜﾀﾅﾍﾞ", "ｲﾄｳ", "ﾔﾏﾓﾄ", "ﾅｶﾑﾗ", "ｺﾊﾞﾔｼ", "ｶﾄｳ"};
static const char *kDivision[] = {"市民課", "税務課", "福祉課", "①窓口", "㈱委託"};
static const char *kHeader[] = {"番号", "氏名", "カナ", "住所", "受付日", "金額", "件数", "担当", "完了", "備考", "率", "改元日"};

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s OUT.xlsx ROWS TMPDIR\n", argv[0]);
    return 2;
  }
  long n = atol(argv[2]);
  lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = argv[3], .use_zip64 = LXW_TRUE};
  lxw_workbook *wb = workbook_new_opt(argv[1], &options);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "データ");
  lxw_format *date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
  for (int c = 0; c < 12; ++c) worksheet_write_string(ws, 0, c, kHeader[c], NULL);
  char name[64], address[96], memo[64];
  for (long i = 1; i <= n; ++i) {
    lxw_row_t r = (lxw_row_t)i;
    snprintf(name, sizeof name, "%s%s", kFamily[i % 10], kGiven[i % 7]);
    snprintf(address, sizeof address, "東京都千代田区霞が関%ld丁目", i % 50 + 1);
    snprintf(memo, sizeof memo, "備考～%ld", i);
    lxw_datetime d1 = {2026, (int)(i % 12) + 1, (int)(i % 28) + 1, 0, 0, 0};
    lxw_datetime d2 = {2019 + (int)(i % 8), 5, 1, 0, 0, 0};
    worksheet_write_number(ws, r, 0, (double)i, NULL);
    worksheet_write_string(ws, r, 1, name, NULL);
    worksheet_write_string(ws, r, 2, kKana[i % 10], NULL);
    worksheet_write_string(ws, r, 3, address, NULL);
    worksheet_write_datetime(ws, r, 4, &d1, date);
    worksheet_write_number(ws, r, 5, i * 1.5, NULL);
    worksheet_write_number(ws, r, 6, (double)(i % 100), NULL);
    worksheet_write_string(ws, r, 7, kDivision[i % 5], NULL);
    worksheet_write_boolean(ws, r, 8, i % 2 == 0, NULL);
    worksheet_write_string(ws, r, 9, memo, NULL);
    worksheet_write_number(ws, r, 10, (i % 1000) / 10.0, NULL);
    worksheet_write_datetime(ws, r, 11, &d2, date);
  }
  lxw_error err = workbook_close(wb);
  if (err) {
    fprintf(stderr, "%s: %s\n", argv[1], lxw_strerror(err));
    return 1;
  }
  return 0;
}
