/* Baseline (a) of the CSV to Excel benchmark: what a C programmer would write with the same
 * libraries. Reads the CP932 CSV in 1 MB chunks, converts it to UTF-8 with glibc iconv, parses
 * RFC 4180 (quoted fields with commas, quotes and line breaks) and writes every row with
 * libxlsxwriter in constant-memory mode: 番号 and 金額 as numbers, the two dates as Excel dates,
 * the rest as text, the header in bold, exactly as convert.lua does.
 *
 * usage: convert_c IN.csv OUT.xlsx TMPDIR */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

enum { kCols = 12 };

typedef struct {
  char *buf;
  size_t len, cap;
} Text;

static void put(Text *t, char c) {
  if (t->len + 1 >= t->cap) {
    t->cap = t->cap ? t->cap * 2 : 256;
    t->buf = realloc(t->buf, t->cap);
  }
  t->buf[t->len++] = c;
}

static lxw_workbook *wb;
static lxw_worksheet *ws;
static lxw_format *bold, *datefmt;
static Text field[kCols + 8];
static int nfield;
static lxw_row_t row;

static void write_date(int col, const char *s) {
  lxw_datetime d = {0};
  if (sscanf(s, "%4d-%2d-%2d", &d.year, &d.month, &d.day) == 3) {
    worksheet_write_datetime(ws, row, col, &d, datefmt);
  } else {
    worksheet_write_string(ws, row, col, s, NULL);
  }
}

static void end_row(void) {
  for (int i = 0; i < nfield; ++i) {
    put(&field[i], '\0');
    field[i].len--;
  }
  if (row == 0) {
    for (int i = 0; i < nfield; ++i) worksheet_write_string(ws, 0, i, field[i].buf, bold);
  } else if (nfield >= kCols) {
    worksheet_write_number(ws, row, 0, strtod(field[0].buf, NULL), NULL);
    for (int i = 1; i <= 2; ++i) worksheet_write_string(ws, row, i, field[i].buf, NULL);
    write_date(3, field[3].buf);
    for (int i = 4; i <= 8; ++i) worksheet_write_string(ws, row, i, field[i].buf, NULL);
    worksheet_write_number(ws, row, 9, strtod(field[9].buf, NULL), NULL);
    write_date(10, field[10].buf);
    worksheet_write_string(ws, row, 11, field[11].buf, NULL);
  }
  ++row;
  for (int i = 0; i < nfield; ++i) field[i].len = 0;
  nfield = 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s IN.csv OUT.xlsx TMPDIR\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) { perror(argv[1]); return 1; }
  lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = argv[3], .use_zip64 = LXW_TRUE};
  wb = workbook_new_opt(argv[2], &options);
  ws = workbook_add_worksheet(wb, "データ");
  bold = workbook_add_format(wb);
  format_set_bold(bold);
  datefmt = workbook_add_format(wb);
  format_set_num_format(datefmt, "yyyy\"年\"m\"月\"d\"日\"");

  iconv_t cd = iconv_open("UTF-8", "CP932");
  static char raw[1 << 20], utf8[4 << 20];
  size_t carry = 0;
  int quoted = 0, after_quote = 0, started = 0;
  nfield = 0;
  for (;;) {
    size_t n = fread(raw + carry, 1, sizeof raw - carry, in);
    if (n == 0 && carry == 0) break;
    char *ip = raw, *op = utf8;
    size_t il = carry + n, ol = sizeof utf8;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && (n == 0 || il > 4)) {
      fprintf(stderr, "%s: invalid CP932\n", argv[1]);
      return 1;
    }
    memmove(raw, ip, il);  /* an incomplete character waits for the next chunk */
    carry = il;
    for (char *p = utf8; p < op; ++p) {
      char c = *p;
      if (!started) { started = 1; nfield = 1; }
      if (quoted) {
        if (c == '"') { quoted = 0; after_quote = 1; }
        else put(&field[nfield - 1], c);
      } else if (c == '"') {
        if (after_quote) put(&field[nfield - 1], '"');
        quoted = 1;
        after_quote = 0;
      } else if (c == ',') {
        ++nfield;
        after_quote = 0;
      } else if (c == '\n') {
        end_row();
        started = 0;
        after_quote = 0;
      } else if (c != '\r') {
        put(&field[nfield - 1], c);
        after_quote = 0;
      }
    }
    if (n == 0) break;
  }
  if (started) end_row();
  iconv_close(cd);
  fclose(in);
  lxw_error err = workbook_close(wb);
  if (err) { fprintf(stderr, "%s: %s\n", argv[2], lxw_strerror(err)); return 1; }
  return 0;
}
