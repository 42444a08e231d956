// Substring (trigram) segment: build postings from a fragment column, candidate rows.
#include "engine/index/substring_segment.h"

#include <algorithm>
#include <iterator>

#include "common/error.h"

namespace omnigraph::engine::index {

namespace {

uint32_t gram_at(std::string_view s, size_t i) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[i])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[i + 1])) << 8) | static_cast<uint8_t>(s[i + 2]);
}

std::vector<uint32_t> grams_of(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i + SubstringSegment::kGram <= s.size(); ++i) out.push_back(gram_at(s, i));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::shared_ptr<const SubstringSegment> SubstringSegment::build(const storage::Column& column) {
  if (column.type.kind != storage::TypeKind::kString && column.type.kind != storage::TypeKind::kEnum)
    throw Error::bad_request("a substring index cannot be built on a " + column.type.to_string() + " column");
  const uint64_t values = column.length - column.null_count();
  if (values > 0 && column.data.size() > kMaxAverageBytes * values) return nullptr;
  // (trigram << 32 | row) pairs, sorted once: grouped by trigram, rows ascending within.
  std::vector<uint64_t> pairs;
  for (uint64_t r = 0; r < column.length; ++r) {
    if (column.is_null(r)) continue;
    for (uint32_t g : grams_of(column.bytes_at(r))) pairs.push_back((uint64_t{g} << 32) | r);
  }
  std::sort(pairs.begin(), pairs.end());
  auto seg = std::make_shared<SubstringSegment>();
  seg->rows_.reserve(pairs.size());
  for (uint64_t p : pairs) {
    auto g = static_cast<uint32_t>(p >> 32);
    if (seg->grams_.empty() || seg->grams_.back() != g) {
      seg->grams_.push_back(g);
      seg->offsets_.push_back(seg->rows_.size());
    }
    seg->rows_.push_back(static_cast<uint32_t>(p));
  }
  seg->offsets_.push_back(seg->rows_.size());
  return seg;
}

std::span<const uint32_t> SubstringSegment::postings(uint32_t gram) const {
  auto it = std::lower_bound(grams_.begin(), grams_.end(), gram);
  if (it == grams_.end() || *it != gram) return {};
  size_t i = static_cast<size_t>(it - grams_.begin());
  return {rows_.data() + offsets_[i], rows_.data() + offsets_[i + 1]};
}

size_t SubstringSegment::estimate(std::string_view pattern) const {
  size_t best = rows_.size();
  for (uint32_t g : grams_of(pattern)) best = std::min(best, postings(g).size());
  return best;
}

std::vector<uint32_t> SubstringSegment::candidates(std::string_view pattern) const {
  std::vector<std::span<const uint32_t>> lists;
  for (uint32_t g : grams_of(pattern)) lists.push_back(postings(g));
  std::sort(lists.begin(), lists.end(), [](auto a, auto b) { return a.size() < b.size(); });
  if (lists.empty() || lists[0].empty()) return {};
  std::vector<uint32_t> out(lists[0].begin(), lists[0].end()), next;
  for (size_t i = 1; i < lists.size() && !out.empty(); ++i) {
    next.clear();
    std::set_intersection(out.begin(), out.end(), lists[i].begin(), lists[i].end(), std::back_inserter(next));
    out.swap(next);
  }
  return out;
}

}  // namespace omnigraph::engine::index
