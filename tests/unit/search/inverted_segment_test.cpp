// InvertedSegment: build equals TextAnalyzer::analyze row by row, encode/decode round trip,
// corruption (every byte flip, every truncation, forged headers) is an IntegrityError.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/search/inverted_segment.h"
#include "engine/search/text_analyzer.h"
#include "storage/storage_error.h"

namespace omnigraph::engine::search {
namespace {

using Corpus = std::vector<std::optional<std::string>>;

InvertedSegment build_of(const Corpus& docs) {
  return InvertedSegment::build(static_cast<uint32_t>(docs.size()), [&](uint32_t r) -> std::optional<std::string_view> {
    if (!docs[r]) return std::nullopt;
    return std::string_view(*docs[r]);
  });
}

// A random corpus over a small vocabulary with stop words, capitals, accents and punctuation.
Corpus random_corpus(uint32_t seed, size_t rows) {
  static const std::vector<std::string> vocab = {
      "graph", "Graphs", "running", "runner", "the", "of", "Café", "cafe", "naïve", "database",
      "databases", "connected", "connection", "Straße", "ΑΛΦΑ", "x1", "42", "quickly", "quick", "an",
      "Łódź", "data,", "(store)", "stored", "grapj", "séance"};
  std::mt19937 rng(seed);
  Corpus out;
  for (size_t r = 0; r < rows; ++r) {
    if (rng() % 7 == 0) {
      out.emplace_back(std::nullopt);
      continue;
    }
    std::string text;
    size_t words = rng() % 9;
    for (size_t w = 0; w < words; ++w) {
      if (w) text += rng() % 3 ? " " : " -- ";
      text += vocab[rng() % vocab.size()];
    }
    out.emplace_back(text);
  }
  return out;
}

// Checks the segment against the analyzer: per row the multiset of analysed tokens equals the
// postings listing that row, lengths and nulls agree, the dictionary is sorted and complete.
void expect_matches_analyzer(const InvertedSegment& seg, const Corpus& docs) {
  TextAnalyzer a;
  ASSERT_EQ(seg.row_count(), docs.size());
  std::map<std::string, std::map<uint32_t, uint32_t>> expect;  // term → row → tf
  uint64_t non_null = 0, total = 0;
  for (uint32_t r = 0; r < docs.size(); ++r) {
    EXPECT_EQ(seg.is_null(r), !docs[r].has_value()) << r;
    if (!docs[r]) {
      EXPECT_EQ(seg.doc_length(r), 0u);
      continue;
    }
    auto tokens = a.analyze(*docs[r]);
    EXPECT_EQ(seg.doc_length(r), tokens.size()) << *docs[r];
    ++non_null;
    total += tokens.size();
    for (const auto& t : tokens) ++expect[t][r];
  }
  EXPECT_EQ(seg.non_null_rows(), non_null);
  EXPECT_EQ(seg.total_length(), total);
  ASSERT_EQ(seg.term_count(), expect.size());
  uint32_t id = 0;
  for (const auto& [term, rows] : expect) {
    ASSERT_EQ(seg.term(id), term);
    ASSERT_EQ(seg.find(term), id);
    auto rs = seg.rows(id);
    auto fs = seg.freqs(id);
    ASSERT_EQ(rs.size(), rows.size()) << term;
    size_t i = 0;
    for (const auto& [row, tf] : rows) {
      EXPECT_EQ(rs[i], row) << term;
      EXPECT_EQ(fs[i], tf) << term;
      EXPECT_EQ(seg.tf(id, row), tf);
      ++i;
    }
    ++id;
  }
  EXPECT_FALSE(seg.find("zzzz-not-a-term"));
  EXPECT_FALSE(seg.find(""));
}

void expect_same(const InvertedSegment& a, const InvertedSegment& b) {
  ASSERT_EQ(a.row_count(), b.row_count());
  ASSERT_EQ(a.term_count(), b.term_count());
  for (uint32_t r = 0; r < a.row_count(); ++r) {
    EXPECT_EQ(a.is_null(r), b.is_null(r));
    EXPECT_EQ(a.doc_length(r), b.doc_length(r));
  }
  for (uint32_t t = 0; t < a.term_count(); ++t) {
    EXPECT_EQ(a.term(t), b.term(t));
    auto ra = a.rows(t), rb = b.rows(t);
    auto fa = a.freqs(t), fb = b.freqs(t);
    ASSERT_EQ(ra.size(), rb.size());
    for (size_t i = 0; i < ra.size(); ++i) {
      EXPECT_EQ(ra[i], rb[i]);
      EXPECT_EQ(fa[i], fb[i]);
    }
  }
  EXPECT_EQ(a.non_null_rows(), b.non_null_rows());
  EXPECT_EQ(a.total_length(), b.total_length());
}

TEST(InvertedSegment, BuildListsAnalysedTokens) {
  Corpus docs = {std::string("Graph databases store connected data"), std::nullopt, std::string("the of a"),
                 std::string(""), std::string("graph GRAPH graphs, running runner"), std::string("Café naïve Straße")};
  auto seg = build_of(docs);
  expect_matches_analyzer(seg, docs);
  auto g = seg.find("graph");
  ASSERT_TRUE(g);
  ASSERT_EQ(seg.rows(*g).size(), 2u);
  EXPECT_EQ(seg.rows(*g)[1], 4u);
  EXPECT_EQ(seg.freqs(*g)[1], 3u);  // graph, GRAPH, graphs all stem to "graph"
  EXPECT_EQ(seg.doc_length(2), 0u);  // only stop words: non-null, length 0
  EXPECT_FALSE(seg.is_null(2));
  EXPECT_TRUE(seg.is_null(1));
  EXPECT_TRUE(seg.find("cafe"));
  EXPECT_TRUE(seg.find("strass"));  // ß → ss, then stemmed
}

TEST(InvertedSegment, RandomCorporaMatchAnalyzer) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    auto docs = random_corpus(seed, 200);
    expect_matches_analyzer(build_of(docs), docs);
  }
}

TEST(InvertedSegment, EmptySegment) {
  auto seg = build_of({});
  EXPECT_EQ(seg.row_count(), 0u);
  EXPECT_EQ(seg.term_count(), 0u);
  expect_same(seg, InvertedSegment::decode(seg.encode()));
}

TEST(InvertedSegment, EncodeDecodeRoundTrip) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    auto docs = random_corpus(seed, 300);
    auto seg = build_of(docs);
    std::string bytes = seg.encode();
    auto back = InvertedSegment::decode(bytes);
    expect_same(seg, back);
    expect_matches_analyzer(back, docs);
    EXPECT_EQ(back.encode(), bytes);
  }
}

TEST(InvertedSegment, EveryByteFlipIsDetected) {
  auto bytes = build_of(random_corpus(7, 40)).encode();
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ mask);
      EXPECT_THROW(InvertedSegment::decode(bad), storage::IntegrityError) << "byte " << i;
    }
  }
}

TEST(InvertedSegment, EveryTruncationIsDetected) {
  auto bytes = build_of(random_corpus(8, 30)).encode();
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_THROW(InvertedSegment::decode(std::string_view(bytes).substr(0, n)), storage::IntegrityError) << n;
}

// Re-seals a modified body with a valid checksum, so the structural checks are what fires.
std::string reseal(std::string bytes) {
  bytes.resize(bytes.size() - 8);
  uint64_t sum = XXH3_64bits(bytes.data(), bytes.size());
  bytes.append(reinterpret_cast<const char*>(&sum), 8);
  return bytes;
}

std::string message_of(const std::string& bytes) {
  try {
    InvertedSegment::decode(bytes, "tables/t1/idx/X.fts");
  } catch (const storage::IntegrityError& e) {
    return e.what();
  }
  return "no error";
}

TEST(InvertedSegment, ForgedHeadersNameTheProblem) {
  auto good = build_of(random_corpus(9, 50)).encode();
  EXPECT_NE(message_of(good.substr(0, good.size() - 1)).find("checksum mismatch"), std::string::npos);
  EXPECT_NE(message_of(good.substr(0, 10)).find("is truncated"), std::string::npos);
  std::string magic = good;
  magic[0] = 'X';
  EXPECT_NE(message_of(reseal(magic)).find("magic"), std::string::npos);
  std::string version = good;
  version[8] = 9;
  EXPECT_NE(message_of(reseal(version)).find("unsupported full-text segment version 9"), std::string::npos);
  std::string postings = good;
  postings[28] = static_cast<char>(postings[28] + 1);  // one posting more than encoded
  std::string m = message_of(reseal(postings));
  EXPECT_NE(m.find("tables/t1/idx/X.fts postings do not add up"), std::string::npos) << m;
  std::string rows = good;
  std::memset(rows.data() + 12, 0, 4);  // zero rows: every posting row is out of range
  m = message_of(reseal(rows));
  EXPECT_NE(m.find("tables/t1/idx/X.fts"), std::string::npos) << m;
  EXPECT_EQ(m.find("no error"), std::string::npos) << m;
  std::string trailing = good;
  trailing.insert(trailing.size() - 8, "xx");
  EXPECT_NE(message_of(reseal(trailing)).find("trailing bytes"), std::string::npos);
}

TEST(InvertedSegment, PostingStructureIsChecked) {
  // One row "bbb bbb" → term "bbb", postings: count 1, row 0, tf 2 (three varint bytes).
  auto seg = build_of({std::string("bbb bbb"), std::nullopt});
  std::string bytes = seg.encode();
  const size_t at = bytes.size() - 8 - 3;
  ASSERT_EQ(bytes.substr(at), std::string("\x01\x00\x02", 3) + bytes.substr(bytes.size() - 8));
  std::string zero_tf = bytes;
  zero_tf[at + 2] = 0;
  EXPECT_NE(message_of(reseal(zero_tf)).find("postings of term 'bbb' are out of order"), std::string::npos);
  std::string null_row = bytes;
  null_row[at + 1] = 1;  // row 1 is null
  EXPECT_NE(message_of(reseal(null_row)).find("on a null row"), std::string::npos);
  std::string overlong = bytes;
  overlong[at + 2] = static_cast<char>(0x82);  // continuation bit with nothing after it
  EXPECT_NE(message_of(reseal(overlong)).find("postings are truncated"), std::string::npos);
}

TEST(InvertedSegment, UnsortedDictionaryIsRejected) {
  auto seg = build_of({std::string("bbb aaa")});
  ASSERT_EQ(seg.term_count(), 2u);
  std::string bytes = seg.encode();
  const size_t at = 44 + 1 + 4 * 3;  // header, null bitmap, three term offsets
  ASSERT_EQ(bytes.substr(at, 6), "aaabbb");
  bytes.replace(at, 6, "bbbaaa");
  EXPECT_NE(message_of(reseal(bytes)).find("not strictly sorted"), std::string::npos);
}

}  // namespace
}  // namespace omnigraph::engine::search
