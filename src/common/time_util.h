// UTC calendar arithmetic and the Date / DateTime text formats of
// languages.md §5.5. Date = signed epoch days; DateTime = signed epoch ms.
// Proleptic Gregorian calendar, no leap seconds, no time zones beyond fixed offsets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace omnigraph {

struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

int64_t days_from_civil(const CivilDate& date);
CivilDate civil_from_days(int64_t days);
bool is_leap_year(int64_t year);
unsigned days_in_month(int64_t year, unsigned month);

// Floor division so instants before 1970 map to the right day.
int64_t epoch_ms_to_days(int64_t ms);

int64_t now_epoch_ms();
int64_t now_epoch_us();

// "YYYY-MM-DD"; years outside 0..9999 are written with a sign and at least 4 digits.
std::string format_date(int64_t days);
// "YYYY-MM-DDTHH:MM:SS.mmmZ" (always 3 fraction digits, UTC).
std::string format_datetime_ms(int64_t ms);

// Parses a Date: YYYY-MM-DD, single-digit month/day, compact YYYYMMDD, signed extended
// year, or any string longer than 10 characters that parses as a DateTime (its UTC date).
std::optional<int64_t> parse_date(std::string_view text);
// Parses a DateTime: a date alone (midnight UTC) or date + 'T'/' ' + HH:MM[:SS[.fraction]],
// optionally followed by Z, ±HH:MM, ±HHMM or ±HH. No offset = UTC. Fraction truncated to ms.
std::optional<int64_t> parse_datetime_ms(std::string_view text);

}  // namespace omnigraph
