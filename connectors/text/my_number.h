// Masking of individual numbers (マイナンバー, 個人番号) in text such as log lines.
//
// An individual number is 12 digits whose last is a check digit (総務省令 "行政手続における特定の
// 個人を識別するための番号の利用等に関する法律施行令" 第八条): with P(n) the n-th digit counted
// from the right of the first 11 and Q(n) = n + 1 for n <= 6 and n - 5 for n >= 7, the check digit
// is 11 - (sum P(n) * Q(n) mod 11), or 0 when that remainder is 0 or 1. Only digit sequences that
// pass this check are masked, so ordinary 12-digit numbers (order numbers, amounts) stay readable.
//
// Recognised forms: 12 digits in a row, or three groups of 4 joined by the same separator (space,
// ideographic space, '-', '－', '−', '‐', 'ー'), half-width or full-width digits (mixed too). The
// digits must not continue: 13 digits in a row, or a fourth group of 4 joined by the same separator
// ("1234-5678-9012-3456", a card number) is not an individual number. Every digit of a match
// becomes '*' and separators stay ("1234 5678 9012" -> "**** **** ****"): the last four are not
// kept, since with the check digit they narrow the number and a log never needs them.
//
// Works on any bytes (ill-formed UTF-8 passes through unchanged), because a log line must always be
// writable. Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace jimu::text {

// The check digit (0-9) for the first 11 digits of an individual number. digits holds exactly 11
// ASCII digits (precondition).
int my_number_check_digit(std::string_view digits);

// Whether digits is 12 ASCII digits whose last is the check digit of the first 11.
bool is_valid_my_number(std::string_view digits);

// s with every individual number masked; *masked (when given) receives how many were.
std::string mask_my_number(std::string_view s, int* masked = nullptr);

}  // namespace jimu::text
