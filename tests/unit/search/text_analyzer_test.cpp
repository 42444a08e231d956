// Tokenizer: word splitting, Unicode lower-casing/folding, stop words, stemming.
#include "engine/search/text_analyzer.h"

#include <gtest/gtest.h>

namespace omnigraph::engine::search {
namespace {

using Tokens = std::vector<std::string>;

TEST(SplitWords, LowerCasesAndSplitsOnPunctuation) {
  EXPECT_EQ(split_words("Hello, World! foo-bar_42"), (Tokens{"hello", "world", "foo", "bar", "42"}));
  EXPECT_EQ(split_words("  "), Tokens{});
}

TEST(SplitWords, FoldsLatinAndLowersGreekCyrillic) {
  EXPECT_EQ(split_words("Élan CAFÉ Straße Łódź"), (Tokens{"elan", "cafe", "strasse", "lodz"}));
  EXPECT_EQ(split_words("ΑΒΓ Привет"), (Tokens{"αβγ", "привет"}));
}

TEST(TextAnalyzer, DropsStopWordsAndStems) {
  TextAnalyzer a;
  EXPECT_EQ(a.analyze("The running dogs are in the park"), (Tokens{"run", "dog", "park"}));
  EXPECT_EQ(a.analyze("Connections CONNECTED connecting"), (Tokens{"connect", "connect", "connect"}));
  EXPECT_EQ(a.analyze("the and of"), Tokens{});
}

TEST(StopWords, KnownList) {
  EXPECT_TRUE(is_stop_word("the"));
  EXPECT_TRUE(is_stop_word("with"));
  EXPECT_FALSE(is_stop_word("graph"));
}

}  // namespace
}  // namespace omnigraph::engine::search
