#include "server/server_cli.h"

#include <gtest/gtest.h>

namespace omnigraph::server {
namespace {

TEST(ServerCliTest, EnvTruthinessFollowsTheSpec) {
  EXPECT_FALSE(env_truthy(nullptr));
  EXPECT_FALSE(env_truthy(""));
  EXPECT_FALSE(env_truthy("  "));
  EXPECT_FALSE(env_truthy("0"));
  EXPECT_FALSE(env_truthy("false"));
  EXPECT_FALSE(env_truthy(" FaLsE "));
  EXPECT_TRUE(env_truthy("1"));
  EXPECT_TRUE(env_truthy("true"));
  EXPECT_TRUE(env_truthy("no"));  // only 0/false are false
  EXPECT_TRUE(env_truthy("00"));
}

}  // namespace
}  // namespace omnigraph::server
