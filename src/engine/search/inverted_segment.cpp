// Inverted segment: one-pass build with a word → term memo, binary encode/decode with checks.
#include "engine/search/inverted_segment.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "common/error.h"
#include "engine/search/text_analyzer.h"
#include "storage/storage_error.h"

namespace omnigraph::engine::search {
namespace {

constexpr char kMagic[8] = {'O', 'M', 'N', 'I', 'F', 'T', 'S', '\0'};
constexpr size_t kHeaderSize = 8 + 4 + 4 + 4 + 8 + 8 + 8;
constexpr uint32_t kNoRow = UINT32_MAX;

template <class T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

template <class T>
void put_array(std::string& out, const std::vector<T>& v) {
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// Bounds-checked little-endian reader over the verified body.
class Reader {
 public:
  Reader(std::string_view bytes, const std::string& what) : bytes_(bytes), what_(what) {}
  std::string_view take(uint64_t n, const char* part) {
    if (n > bytes_.size() - pos_)
      throw storage::IntegrityError(what_ + " is truncated in " + part + " (needs " + std::to_string(n) +
                                    " bytes at offset " + std::to_string(pos_) + ", " +
                                    std::to_string(bytes_.size() - pos_) + " left)");
    std::string_view out = bytes_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return out;
  }
  template <class T>
  T get(const char* part) {
    T v;
    std::memcpy(&v, take(sizeof(T), part).data(), sizeof(T));
    return v;
  }
  template <class T>
  std::vector<T> array(uint64_t count, const char* part) {
    if (count > (bytes_.size() - pos_) / sizeof(T)) take(count * sizeof(T), part);  // throws: truncated
    std::vector<T> v(static_cast<size_t>(count));
    std::string_view b = take(count * sizeof(T), part);
    if (!v.empty()) std::memcpy(v.data(), b.data(), b.size());
    return v;
  }
  size_t left() const { return bytes_.size() - pos_; }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  const std::string& what_;
};

// A short-key hash (FNV-1a, 64-bit) inlined into the build loop; words are a few bytes.
inline uint64_t word_hash(std::string_view w) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h ^ (h >> 29);
}

// Open-addressing map from a folded word to its term id (-1: stop word). The probed array
// holds only (32-bit hash, id) — 8 bytes a slot, so a vocabulary's table stays cache-resident;
// keys live in one arena and are compared only on a hash match.
class WordTable {
 public:
  WordTable() : probe_(1024), keys_(1024) {}
  // The id stored for `word` (hash `h`), or nullptr.
  const int32_t* find(std::string_view word, uint64_t h) const {
    const uint32_t tag = static_cast<uint32_t>(h) | 1u;  // 0 marks an empty slot
    for (size_t i = (h >> 32) & (probe_.size() - 1);; i = (i + 1) & (probe_.size() - 1)) {
      const Probe& p = probe_[i];
      if (p.tag == 0) return nullptr;
      if (p.tag == tag) {
        const Key& k = keys_[i];
        if (k.len == word.size() && same_bytes(arena_.data() + k.off, word.data(), word.size())) return &p.id;
      }
    }
  }
  // Inline byte compare: words are a few bytes, where a memcmp call costs more than the loop.
  static bool same_bytes(const char* a, const char* b, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  // Adds `word` (not present) with hash `h`.
  void insert(std::string_view word, uint64_t h, int32_t id) {
    if (4 * (used_ + 1) > 3 * probe_.size()) grow();
    place(id, Key{h, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(word.size())});
    arena_.append(word);
    ++used_;
  }

 private:
  struct Probe {
    uint32_t tag = 0;
    int32_t id = 0;
  };
  struct Key {
    uint64_t hash = 0;
    uint32_t off = 0;
    uint32_t len = 0;
  };
  void place(int32_t id, const Key& key) {
    size_t i = (key.hash >> 32) & (probe_.size() - 1);
    while (probe_[i].tag != 0) i = (i + 1) & (probe_.size() - 1);
    probe_[i] = Probe{static_cast<uint32_t>(key.hash) | 1u, id};
    keys_[i] = key;
  }
  void grow() {
    std::vector<Probe> probe(probe_.size() * 2);
    std::vector<Key> keys(probe.size());
    probe.swap(probe_);
    keys.swap(keys_);
    for (size_t i = 0; i < probe.size(); ++i)
      if (probe[i].tag != 0) place(probe[i].id, keys[i]);
  }
  std::vector<Probe> probe_;
  std::vector<Key> keys_;
  std::string arena_;
  size_t used_ = 0;
};

}  // namespace

InvertedSegment InvertedSegment::build(uint32_t rows, const RowText& text) {
  TextAnalyzer analyzer;
  InvertedSegment seg;
  seg.rows_ = rows;
  seg.nulls_.assign((static_cast<size_t>(rows) + 7) / 8, 0);
  seg.doc_len_.assign(rows, 0);

  // Folded word → term id (-1: stop word), so each distinct word is stemmed once.
  WordTable word_term;
  std::unordered_map<std::string, uint32_t> term_id;
  std::vector<std::string> terms;
  // Postings as one row-ordered stream (term id, row, tf), regrouped by term at the end with
  // a counting sort; `slot_of[t]` is where row `last_row[t]` posted term t in the stream.
  struct Posting {
    uint32_t term, row, tf;
  };
  std::vector<Posting> stream;
  std::vector<uint32_t> last_row, slot_of;
  std::string word;
  for (uint32_t r = 0; r < rows; ++r) {
    std::optional<std::string_view> value = text(r);
    if (!value) {
      seg.nulls_[r >> 3] |= static_cast<uint8_t>(1u << (r & 7));
      continue;
    }
    WordCursor cursor(*value);
    uint32_t len = 0;
    while (cursor.next(word)) {
      int32_t id;
      const uint64_t h = word_hash(word);
      if (const int32_t* known = word_term.find(word, h)) {
        id = *known;
      } else {
        if (is_stop_word(word)) {
          id = -1;
        } else {
          auto [ti, fresh] = term_id.emplace(analyzer.stem(word), static_cast<uint32_t>(terms.size()));
          if (fresh) {
            terms.push_back(ti->first);
            last_row.push_back(kNoRow);
            slot_of.push_back(0);
          }
          id = static_cast<int32_t>(ti->second);
        }
        word_term.insert(word, h, id);
      }
      if (id < 0) continue;
      ++len;
      auto t = static_cast<uint32_t>(id);
      if (last_row[t] == r) {
        ++stream[slot_of[t]].tf;
      } else {
        last_row[t] = r;
        slot_of[t] = static_cast<uint32_t>(stream.size());
        stream.push_back({t, r, 1});
      }
    }
    seg.doc_len_[r] = len;
  }
  if (stream.size() > UINT32_MAX)
    throw Error::bad_request("full-text segment of " + std::to_string(rows) + " rows has more than 2^32 postings");

  std::vector<uint32_t> order(terms.size());  // sorted position → term id
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return terms[a] < terms[b]; });
  std::vector<uint32_t> rank(terms.size());  // term id → sorted position
  for (uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  size_t total_bytes = 0;
  for (const auto& t : terms) total_bytes += t.size();
  if (total_bytes > UINT32_MAX)
    throw Error::bad_request("full-text segment of " + std::to_string(rows) + " rows has more than 4 GiB of terms");
  seg.term_off_.reserve(terms.size() + 1);
  seg.post_off_.assign(terms.size() + 1, 0);
  for (const Posting& p : stream) ++seg.post_off_[rank[p.term] + 1];
  for (size_t i = 1; i < seg.post_off_.size(); ++i) seg.post_off_[i] += seg.post_off_[i - 1];
  seg.post_rows_.resize(stream.size());
  seg.post_tf_.resize(stream.size());
  std::vector<uint32_t> fill(seg.post_off_.begin(), seg.post_off_.end() - 1);
  for (const Posting& p : stream) {  // rows ascend within a term: the stream is row-ordered
    uint32_t at = fill[rank[p.term]]++;
    seg.post_rows_[at] = p.row;
    seg.post_tf_[at] = p.tf;
  }
  seg.term_bytes_.reserve(total_bytes);
  for (uint32_t t : order) {
    seg.term_bytes_ += terms[t];
    seg.term_off_.push_back(static_cast<uint32_t>(seg.term_bytes_.size()));
  }
  seg.finish_stats();
  return seg;
}

void InvertedSegment::finish_stats() {
  non_null_ = 0;
  total_len_ = 0;
  for (uint32_t r = 0; r < rows_; ++r) {
    if (is_null(r)) continue;
    ++non_null_;
    total_len_ += doc_len_[r];
  }
}

std::optional<uint32_t> InvertedSegment::find(std::string_view t) const {
  size_t lo = 0, hi = term_count();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (term(static_cast<uint32_t>(mid)) < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < term_count() && term(static_cast<uint32_t>(lo)) == t) return static_cast<uint32_t>(lo);
  return std::nullopt;
}

uint32_t InvertedSegment::tf(uint32_t id, uint32_t row) const {
  auto rs = rows(id);
  auto it = std::lower_bound(rs.begin(), rs.end(), row);
  if (it == rs.end() || *it != row) return 0;
  return freqs(id)[static_cast<size_t>(it - rs.begin())];
}

std::string InvertedSegment::encode() const {
  std::string postings;
  postings.reserve(3 * post_rows_.size() + term_count());
  for (uint32_t t = 0; t < term_count(); ++t) {
    auto rs = rows(t);
    auto fs = freqs(t);
    put_varint(postings, rs.size());
    uint32_t prev = 0;
    for (size_t i = 0; i < rs.size(); ++i) {
      put_varint(postings, i == 0 ? rs[i] : rs[i] - prev);
      put_varint(postings, fs[i]);
      prev = rs[i];
    }
  }
  std::string out;
  out.reserve(kHeaderSize + nulls_.size() + 4 * term_off_.size() + term_bytes_.size() + postings.size() + 8);
  out.append(kMagic, sizeof(kMagic));
  put(out, kFormatVersion);
  put(out, rows_);
  put(out, static_cast<uint32_t>(term_count()));
  put(out, static_cast<uint64_t>(term_bytes_.size()));
  put(out, static_cast<uint64_t>(post_rows_.size()));
  put(out, static_cast<uint64_t>(postings.size()));
  put_array(out, nulls_);
  put_array(out, term_off_);
  out += term_bytes_;
  out += postings;
  put(out, static_cast<uint64_t>(XXH3_64bits(out.data(), out.size())));
  return out;
}

InvertedSegment InvertedSegment::decode(std::string_view bytes, const std::string& what) {
  if (bytes.size() < kHeaderSize + 8)
    throw storage::IntegrityError(what + " is truncated (" + std::to_string(bytes.size()) + " bytes)");
  uint64_t stored_sum;
  std::memcpy(&stored_sum, bytes.data() + bytes.size() - 8, 8);
  std::string_view body = bytes.substr(0, bytes.size() - 8);
  if (XXH3_64bits(body.data(), body.size()) != stored_sum) throw storage::IntegrityError(what + " checksum mismatch");
  Reader r(body, what);
  if (r.take(sizeof(kMagic), "magic") != std::string_view(kMagic, sizeof(kMagic)))
    throw storage::IntegrityError(what + " has no full-text segment magic");
  auto version = r.get<uint32_t>("version");
  if (version != kFormatVersion)
    throw storage::IntegrityError(what + " has unsupported full-text segment version " + std::to_string(version));
  InvertedSegment seg;
  seg.rows_ = r.get<uint32_t>("header");
  auto terms = r.get<uint32_t>("header");
  auto term_bytes = r.get<uint64_t>("header");
  auto postings = r.get<uint64_t>("header");
  auto posting_bytes = r.get<uint64_t>("header");
  seg.nulls_ = r.array<uint8_t>((static_cast<uint64_t>(seg.rows_) + 7) / 8, "null bitmap");
  seg.term_off_ = r.array<uint32_t>(static_cast<uint64_t>(terms) + 1, "term offsets");
  seg.term_bytes_ = std::string(r.take(term_bytes, "term bytes"));
  std::string_view packed = r.take(posting_bytes, "postings");
  if (r.left() != 0) throw storage::IntegrityError(what + " has " + std::to_string(r.left()) + " trailing bytes");
  if (postings > posting_bytes / 2)  // each posting takes at least two bytes
    throw storage::IntegrityError(what + " claims " + std::to_string(postings) + " postings in " +
                                  std::to_string(posting_bytes) + " bytes");
  if ((seg.rows_ & 7) != 0 && (seg.nulls_.back() >> (seg.rows_ & 7)) != 0)
    throw storage::IntegrityError(what + " null bitmap has bits set past the last row");

  // Structure: term offsets monotone and spanning the term bytes, terms non-empty and strictly
  // ascending; per term ≥ 1 posting, rows strictly ascending and in range, frequencies ≥ 1;
  // null rows have no postings; the counts add up to the header's and the bytes are consumed.
  if (seg.term_off_.front() != 0 || seg.term_off_.back() != term_bytes)
    throw storage::IntegrityError(what + " term offsets do not span the term bytes");
  seg.post_off_.assign(static_cast<size_t>(terms) + 1, 0);
  seg.post_rows_.resize(static_cast<size_t>(postings));
  seg.post_tf_.resize(static_cast<size_t>(postings));
  seg.doc_len_.assign(seg.rows_, 0);
  size_t pos = 0;
  auto next = [&](const char* part) -> uint32_t {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (pos >= packed.size()) throw storage::IntegrityError(what + " postings are truncated in " + part);
      auto b = static_cast<uint8_t>(packed[pos++]);
      if (shift == 28 && b > 0x0F) throw storage::IntegrityError(what + " has an overlong varint in " + part);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return static_cast<uint32_t>(v);
    }
  };
  uint64_t filled = 0;
  for (uint32_t t = 0; t < terms; ++t) {
    if (seg.term_off_[t + 1] <= seg.term_off_[t] || seg.term_off_[t + 1] > term_bytes)
      throw storage::IntegrityError(what + " term " + std::to_string(t) + " is empty or out of bounds");
    if (t > 0 && !(seg.term(t - 1) < seg.term(t)))
      throw storage::IntegrityError(what + " term dictionary is not strictly sorted at term " + std::to_string(t));
    uint32_t count = next("a posting count");
    if (count == 0 || count > postings - filled)
      throw storage::IntegrityError(what + " term '" + std::string(seg.term(t)) + "' has " + std::to_string(count) +
                                    " postings (none, or more than the header's total)");
    uint64_t row = 0;
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t delta = next("a posting row");
      uint32_t tf = next("a term frequency");
      row = i == 0 ? delta : row + delta;
      if ((i > 0 && delta == 0) || row >= seg.rows_ || tf == 0 || seg.is_null(static_cast<uint32_t>(row)))
        throw storage::IntegrityError(what + " postings of term '" + std::string(seg.term(t)) +
                                      "' are out of order, out of range, on a null row or zero");
      if (tf > UINT32_MAX - seg.doc_len_[row])
        throw storage::IntegrityError(what + " row " + std::to_string(row) + " has an impossible length");
      seg.post_rows_[filled] = static_cast<uint32_t>(row);
      seg.post_tf_[filled] = tf;
      seg.doc_len_[row] += tf;
      ++filled;
    }
    seg.post_off_[t + 1] = static_cast<uint32_t>(filled);
  }
  if (filled != postings || pos != packed.size())
    throw storage::IntegrityError(what + " postings do not add up to the header (" + std::to_string(filled) + " of " +
                                  std::to_string(postings) + " postings, " + std::to_string(pos) + " of " +
                                  std::to_string(packed.size()) + " bytes)");
  seg.finish_stats();
  return seg;
}

}  // namespace omnigraph::engine::search
