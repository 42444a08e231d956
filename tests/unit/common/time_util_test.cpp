#include "common/time_util.h"

#include <gtest/gtest.h>

namespace omnigraph {
namespace {

TEST(TimeUtilTest, CivilConversionsAtEdgeDates) {
  struct Row {
    CivilDate date;
    int64_t days;
  };
  const Row rows[] = {
      {{1970, 1, 1}, 0},         {{1969, 12, 31}, -1},     {{2024, 1, 1}, 19723},
      {{2000, 2, 29}, 11016},    {{1900, 3, 1}, -25508},   {{2024, 2, 29}, 19782},
      {{2038, 1, 19}, 24855},    {{0, 1, 1}, -719528},     {{-1, 12, 31}, -719529},
      {{9999, 12, 31}, 2932896}, {{1600, 2, 29}, -135081},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(days_from_civil(r.date), r.days) << r.date.year << "-" << r.date.month << "-" << r.date.day;
    EXPECT_EQ(civil_from_days(r.days), r.date) << r.days;
  }
}

TEST(TimeUtilTest, RoundTripsEveryDayOverFourCenturies) {
  for (int64_t d = -146097; d <= 146097; ++d) {
    ASSERT_EQ(days_from_civil(civil_from_days(d)), d);
  }
}

TEST(TimeUtilTest, LeapYears) {
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_EQ(days_in_month(2023, 2), 28u);
  EXPECT_EQ(days_in_month(2024, 2), 29u);
}

TEST(TimeUtilTest, FormatsDatesAndDateTimes) {
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(19723), "2024-01-01");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(format_date(days_from_civil({10999, 12, 31})), "+10999-12-31");
  EXPECT_EQ(format_date(days_from_civil({-44, 3, 15})), "-0044-03-15");
  EXPECT_EQ(format_datetime_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_datetime_ms(1704067200000), "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(format_datetime_ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_datetime_ms(951782400123), "2000-02-29T00:00:00.123Z");
  EXPECT_EQ(epoch_ms_to_days(-1), -1);
  EXPECT_EQ(epoch_ms_to_days(86'399'999), 0);
}

TEST(TimeUtilTest, ParsesDatesIncludingLenientForms) {
  EXPECT_EQ(parse_date("2024-01-01"), 19723);
  EXPECT_EQ(parse_date("2024-1-5"), 19727);
  EXPECT_EQ(parse_date("20240105"), 19727);
  EXPECT_EQ(parse_date("+10999-12-31"), days_from_civil({10999, 12, 31}));
  EXPECT_EQ(parse_date("2024-01-01T23:30:00-02:00"), 19724);  // UTC date of a longer DateTime
  EXPECT_EQ(parse_date("1969-12-31"), -1);
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("2024-00-10"));
  EXPECT_FALSE(parse_date("24-01-01"));
  EXPECT_FALSE(parse_date("2024/01/01"));
  EXPECT_FALSE(parse_date(""));
  EXPECT_FALSE(parse_date("2024-01-01x"));
}

TEST(TimeUtilTest, ParsesDateTimesWithOffsets) {
  EXPECT_EQ(parse_datetime_ms("2024-01-01"), 1704067200000);
  EXPECT_EQ(parse_datetime_ms("2024-01-01T00:00:00Z"), 1704067200000);
  EXPECT_EQ(parse_datetime_ms("2024-01-01 00:00"), 1704067200000);
  EXPECT_EQ(parse_datetime_ms("2024-01-01T01:00:00+01:00"), 1704067200000);
  EXPECT_EQ(parse_datetime_ms("2024-01-01T01:00:00+0100"), 1704067200000);
  EXPECT_EQ(parse_datetime_ms("2023-12-31T22:00:00-02"), 1704067200000);
  EXPECT_EQ(parse_datetime_ms("2024-01-01T00:00:00.123456Z"), 1704067200123);  // truncated
  EXPECT_EQ(parse_datetime_ms("2024-01-01T00:00:00.5"), 1704067200500);
  EXPECT_EQ(parse_datetime_ms("1969-12-31T23:59:59.999Z"), -1);
  EXPECT_FALSE(parse_datetime_ms("2024-01-01T24:00"));
  EXPECT_FALSE(parse_datetime_ms("2024-01-01T12"));
  EXPECT_FALSE(parse_datetime_ms("2024-01-01T12:00:60"));
  EXPECT_FALSE(parse_datetime_ms("2024-01-01T12:00:00+25:00"));
  EXPECT_FALSE(parse_datetime_ms("2024-01-01T12:00:00Zjunk"));
  EXPECT_FALSE(parse_datetime_ms("2024-01-01T12:00:00."));
}

TEST(TimeUtilTest, FormatParseRoundTrip) {
  for (int64_t ms : {int64_t{0}, int64_t{-1}, int64_t{1704067200123}, int64_t{-62135596800000},
                     int64_t{253402300799999}}) {
    EXPECT_EQ(parse_datetime_ms(format_datetime_ms(ms)), ms) << ms;
  }
}

TEST(TimeUtilTest, NowIsConsistentAcrossUnits) {
  int64_t ms = now_epoch_ms();
  int64_t us = now_epoch_us();
  EXPECT_GE(us / 1000, ms);
  EXPECT_LT(us / 1000 - ms, 5000);
  EXPECT_GT(ms, 1704067200000);  // after 2024-01-01
}

}  // namespace
}  // namespace omnigraph
