#include "common/hash.h"

#include <gtest/gtest.h>

namespace omnigraph {
namespace {

TEST(HashTest, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HashTest, HexEncoding) {
  EXPECT_EQ(to_hex(std::string("\x00\x0f\xff", 3)), "000fff");
  EXPECT_EQ(to_hex(""), "");
}

TEST(HashTest, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("secret", "secret"));
  EXPECT_FALSE(constant_time_equals("secret", "secreT"));
  EXPECT_FALSE(constant_time_equals("secret", "secrets"));
}

TEST(HashTest, HmacSha256MatchesRfc4231) {
  // RFC 4231 test cases 1 and 2.
  EXPECT_EQ(to_hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, SecureRandomBytesHaveTheLengthAndDiffer) {
  auto a = secure_random_bytes(32), b = secure_random_bytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(secure_random_bytes(0), "");
}

}  // namespace
}  // namespace omnigraph
