// Text analysis for full-text search (languages.md §6.11): split into words, Unicode-aware
// lower-casing, ASCII folding, English Snowball stemming (libstemmer), English stop words.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sb_stemmer;  // libstemmer handle

namespace omnigraph::engine::search {

// Analyses text into search tokens. Owns a libstemmer handle; one instance per thread
// (not thread-safe; cheap to construct).
class TextAnalyzer {
 public:
  TextAnalyzer();
  ~TextAnalyzer();
  TextAnalyzer(const TextAnalyzer&) = delete;
  TextAnalyzer& operator=(const TextAnalyzer&) = delete;

  // The analysed tokens of `text`, in order of occurrence (duplicates kept). Words are maximal
  // runs of letters/digits (any non-ASCII code point counts as a letter); Latin-1 and Latin
  // Extended-A letters are lower-cased and folded to ASCII (É → e, ß → ss); stop words are
  // dropped; the rest are stemmed with the English Snowball stemmer. Stems are memoised per
  // instance (bounded: the memo is cleared past kMaxMemo words).
  std::vector<std::string> analyze(std::string_view text);
  // The stem of one lower-cased, folded word (memoised).
  const std::string& stem(const std::string& word);

  static constexpr size_t kMaxMemo = 1 << 20;

 private:
  ::sb_stemmer* stemmer_ = nullptr;
  std::unordered_map<std::string, std::string> memo_;
};

// Words of `text` lower-cased and ASCII-folded, before stop-word removal and stemming.
std::vector<std::string> split_words(std::string_view text);

// The words of split_words(text) one at a time, written into a caller-owned buffer (no
// allocation once the buffer has grown): `while (cursor.next(word)) ...`. Views `text`, which
// must outlive the cursor.
class WordCursor {
 public:
  explicit WordCursor(std::string_view text) : text_(text) {}
  // Writes the next word into `word` (replacing its contents); false at the end of the text.
  bool next(std::string& word);

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// True for an English stop word (already lower-cased).
bool is_stop_word(std::string_view word);

}  // namespace omnigraph::engine::search
