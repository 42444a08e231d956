#include "common/logging.h"

#include <gtest/gtest.h>

namespace omnigraph::logging {
namespace {

TEST(LoggingTest, ParsesRustLogStyleFilters) {
  EXPECT_EQ(parse_filter("debug"), Level::kDebug);
  EXPECT_EQ(parse_filter("WARN"), Level::kWarn);
  EXPECT_EQ(parse_filter("info,omnigraph=trace"), Level::kTrace);
  EXPECT_EQ(parse_filter("omnigraph_server=error,debug"), Level::kError);
  EXPECT_EQ(parse_filter("hyper=trace,info"), Level::kInfo);
  EXPECT_EQ(parse_filter("hyper=trace"), std::nullopt);
  EXPECT_EQ(parse_filter(""), std::nullopt);
  EXPECT_EQ(parse_filter("loud"), std::nullopt);
  EXPECT_EQ(parse_filter(" off "), Level::kOff);
}

}  // namespace
}  // namespace omnigraph::logging
