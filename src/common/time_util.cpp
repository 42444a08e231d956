// Calendar conversions (Howard Hinnant's days_from_civil algorithms) and text formats.
#include "common/time_util.h"

#include <chrono>
#include <cstdio>

namespace omnigraph {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max_digits decimal digits at text[pos]; advances pos.
std::optional<int64_t> read_digits(std::string_view text, size_t& pos, size_t min_digits, size_t max_digits) {
  size_t start = pos;
  int64_t v = 0;
  while (pos < text.size() && is_digit(text[pos]) && pos - start < max_digits) {
    v = v * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos - start < min_digits) return std::nullopt;
  return v;
}

bool valid_ymd(int64_t y, int64_t m, int64_t d) {
  return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, static_cast<unsigned>(m));
}

// Parses the date prefix of `text` starting at pos; accepts [+-]Y{4,6}-M{1,2}-D{1,2} or YYYYMMDD.
std::optional<int64_t> parse_date_prefix(std::string_view text, size_t& pos) {
  int64_t sign = 1;
  bool signed_year = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    sign = text[pos] == '-' ? -1 : 1;
    signed_year = true;
    ++pos;
  }
  size_t digits_start = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  size_t n = pos - digits_start;
  std::string_view digits = text.substr(digits_start, n);
  int64_t y = 0, m = 0, d = 0;
  if (!signed_year && n == 8 && (pos == text.size() || text[pos] != '-')) {
    // Compact YYYYMMDD.
    for (size_t i = 0; i < 4; ++i) y = y * 10 + (digits[i] - '0');
    m = (digits[4] - '0') * 10 + (digits[5] - '0');
    d = (digits[6] - '0') * 10 + (digits[7] - '0');
  } else {
    if (n < 4 || n > 6 || (n > 4 && !signed_year)) return std::nullopt;
    for (char c : digits) y = y * 10 + (c - '0');
    y *= sign;
    if (pos >= text.size() || text[pos] != '-') return std::nullopt;
    ++pos;
    auto mm = read_digits(text, pos, 1, 2);
    if (!mm || pos >= text.size() || text[pos] != '-') return std::nullopt;
    ++pos;
    auto dd = read_digits(text, pos, 1, 2);
    if (!dd) return std::nullopt;
    m = *mm;
    d = *dd;
  }
  if (!valid_ymd(y, m, d)) return std::nullopt;
  return days_from_civil({y, static_cast<unsigned>(m), static_cast<unsigned>(d)});
}

}  // namespace

bool is_leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

int64_t days_from_civil(const CivilDate& date) {
  int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t mp = (date.month + 9) % 12;  // March = 0
  int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2 ? 1 : 0), m, d};
}

int64_t epoch_ms_to_days(int64_t ms) { return floor_div(ms, 86'400'000); }

int64_t now_epoch_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t now_epoch_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_date(int64_t days) {
  CivilDate c = civil_from_days(days);
  char buf[48];
  if (c.year >= 0 && c.year <= 9999) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  } else {
    std::snprintf(buf, sizeof buf, "%c%04lld-%02u-%02u", c.year < 0 ? '-' : '+',
                  static_cast<long long>(c.year < 0 ? -c.year : c.year), c.month, c.day);
  }
  return buf;
}

std::string format_datetime_ms(int64_t ms) {
  int64_t days = epoch_ms_to_days(ms);
  int64_t rem = ms - days * 86'400'000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(rem / 3'600'000),
                static_cast<long long>(rem / 60'000 % 60), static_cast<long long>(rem / 1000 % 60),
                static_cast<long long>(rem % 1000));
  return format_date(days) + buf;
}

std::optional<int64_t> parse_datetime_ms(std::string_view text) {
  size_t pos = 0;
  auto days = parse_date_prefix(text, pos);
  if (!days) return std::nullopt;
  int64_t ms = *days * 86'400'000;
  if (pos == text.size()) return ms;
  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
  ++pos;
  auto hh = read_digits(text, pos, 2, 2);
  if (!hh || pos >= text.size() || text[pos] != ':') return std::nullopt;
  ++pos;
  auto mi = read_digits(text, pos, 2, 2);
  if (!mi) return std::nullopt;
  int64_t ss = 0, frac_ms = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    auto s = read_digits(text, pos, 2, 2);
    if (!s) return std::nullopt;
    ss = *s;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      size_t start = pos;
      int64_t scale = 100;
      while (pos < text.size() && is_digit(text[pos])) {
        frac_ms += (text[pos] - '0') * scale;  // digits past the third have scale 0: truncated
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  if (*hh > 23 || *mi > 59 || ss > 59) return std::nullopt;
  ms += *hh * 3'600'000 + *mi * 60'000 + ss * 1000 + frac_ms;
  if (pos == text.size()) return ms;
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) return ms;
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  int64_t sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  auto oh = read_digits(text, pos, 2, 2);
  if (!oh) return std::nullopt;
  int64_t om = 0;
  if (pos < text.size()) {
    if (text[pos] == ':') ++pos;
    auto m = read_digits(text, pos, 2, 2);
    if (!m) return std::nullopt;
    om = *m;
  }
  if (pos != text.size() || *oh > 23 || om > 59) return std::nullopt;
  // A local time at +HH:MM is that much ahead of UTC.
  return ms - sign * (*oh * 3'600'000 + om * 60'000);
}

std::optional<int64_t> parse_date(std::string_view text) {
  size_t pos = 0;
  auto days = parse_date_prefix(text, pos);
  if (days && pos == text.size()) return days;
  if (text.size() > 10) {
    if (auto ms = parse_datetime_ms(text)) return epoch_ms_to_days(*ms);
  }
  return std::nullopt;
}

}  // namespace omnigraph
