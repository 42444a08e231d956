// Tokenizer: UTF-8 word splitting, lower-casing + ASCII folding, stop words, Snowball stemming.
#include "engine/search/text_analyzer.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <new>

namespace omnigraph::engine::search {
namespace {

// Decodes one UTF-8 code point at text[i]; advances i. Invalid bytes decode as U+FFFD.
uint32_t next_code_point(std::string_view text, size_t& i) {
  auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > text.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(text[i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<size_t>(len);
  return cp;
}

void append_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// ASCII folding of U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A), lower-case.
// Empty when the code point is outside that table.
const char* fold_latin(uint32_t cp) {
  static constexpr std::array<const char*, 64> kLatin1 = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // C0
      "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",  // D0
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // E0
      "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};  // F0
  static constexpr std::array<const char*, 128> kExtA = {
      "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",   // 100
      "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",   // 110
      "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",   // 120
      "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",  // 130
      "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",   // 140
      "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",  // 150
      "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",   // 160
      "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s"};  // 170
  if (cp >= 0xC0 && cp < 0x100) return kLatin1[cp - 0xC0];
  if (cp >= 0x100 && cp < 0x180) return kExtA[cp - 0x100];
  return nullptr;
}

// Simple lower-casing outside the folding table: Greek and Cyrillic capitals.
uint32_t lower_other(uint32_t cp) {
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;  // Greek
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                  // Cyrillic А..Я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                  // Cyrillic Ѐ..Џ
  return cp;
}

bool is_word_char(uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD) return false;
  if (cp >= 0x80 && cp < 0xC0) return false;                      // Latin-1 punctuation/symbols
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;                 // general punctuation, symbols
  if (cp >= 0x3000 && cp <= 0x303F) return false;                 // CJK punctuation
  return true;
}

}  // namespace

bool WordCursor::next(std::string& word) {
  word.clear();
  const size_t n = text_.size();
  while (pos_ < n) {
    // ASCII fast path: the common case of plain English text.
    auto b = static_cast<unsigned char>(text_[pos_]);
    if (b < 0x80) {
      ++pos_;
      if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
        word += static_cast<char>(b);
      } else if (b >= 'A' && b <= 'Z') {
        word += static_cast<char>(b + 32);
      } else if (!word.empty()) {
        return true;
      }
      continue;
    }
    uint32_t cp = next_code_point(text_, pos_);
    if (!is_word_char(cp)) {
      if (!word.empty()) return true;
      continue;
    }
    if (const char* folded = fold_latin(cp)) {
      word += folded;
    } else {
      append_utf8(lower_other(cp), word);
    }
  }
  return !word.empty();
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  WordCursor cursor(text);
  while (cursor.next(cur)) words.push_back(cur);
  return words;
}

bool is_stop_word(std::string_view word) {
  // The English stop-word list of Lucene/Tantivy's default English filter.
  static constexpr std::array<std::string_view, 33> kStop = {
      "a",    "an",   "and",  "are",  "as",   "at",    "be",    "but",  "by",    "for",  "if",
      "in",   "into", "is",   "it",   "no",   "not",   "of",    "on",   "or",    "such", "that",
      "the",  "their", "then", "there", "these", "they", "this", "to",   "was",   "will", "with"};
  return std::find(kStop.begin(), kStop.end(), word) != kStop.end();
}

TextAnalyzer::TextAnalyzer() {
  stemmer_ = sb_stemmer_new("english", "UTF_8");
  if (!stemmer_) throw std::bad_alloc();
}

TextAnalyzer::~TextAnalyzer() { sb_stemmer_delete(stemmer_); }

std::vector<std::string> TextAnalyzer::analyze(std::string_view text) {
  std::vector<std::string> out;
  for (auto& w : split_words(text)) {
    if (is_stop_word(w)) continue;
    out.push_back(stem(w));
  }
  return out;
}

const std::string& TextAnalyzer::stem(const std::string& word) {
  auto it = memo_.find(word);
  if (it != memo_.end()) return it->second;
  if (memo_.size() >= kMaxMemo) memo_.clear();
  const sb_symbol* s = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                       static_cast<int>(word.size()));
  if (!s) throw std::bad_alloc();
  return memo_.emplace(word, std::string(reinterpret_cast<const char*>(s), static_cast<size_t>(sb_stemmer_length(stemmer_))))
      .first->second;
}

}  // namespace omnigraph::engine::search
