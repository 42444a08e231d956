// Scalar (BTREE) index: the per-fragment segment (order, nulls, NaN, encoding, corruption),
// the planner's index filters and EXPLAIN, and a randomized differential test — the same
// writes into a graph with @index and one without must give identical rows for random
// equality / range / starts_with queries (nulls, deletions, updates, several fragments,
// negative numbers, floats with NaN/±inf/-0.0, dates, mixed numeric kinds, parameters).
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include "common/error.h"
#include "common/time_util.h"
#include "compiler/lowering.h"
#include "engine/column_mapping.h"
#include "engine/exec/planner.h"
#include "engine/exec/scalar_index_probe.h"
#include "engine/graph.h"
#include "engine/index/fragment_segment.h"
#include "engine/index/scalar_segment.h"
#include "engine/index/segment_writer.h"
#include "engine/index/substring_segment.h"
#include "engine/table_data_impl.h"
#include "engine/write_txn.h"
#include "engine_test_util.h"
#include "query_test_util.h"
#include "storage/storage_error.h"

namespace omnigraph::engine::testing {
namespace {

using index::ScalarSegment;
using storage::Column;
using storage::ColumnType;
using storage::TypeKind;

Column i32_column(std::initializer_list<std::optional<int32_t>> values) {
  Column c(ColumnType::scalar(TypeKind::kI32));
  for (auto v : values) v ? c.append(*v) : c.append_null();
  return c;
}

std::vector<std::pair<Value, uint32_t>> entries(const ScalarSegment& s) {
  std::vector<std::pair<Value, uint32_t>> out;
  for (size_t i = 0; i < s.size(); ++i) out.emplace_back(s.key(i), s.row(i));
  return out;
}

TEST(ScalarSegmentTest, SortsNonNullValuesStableByRow) {
  auto seg = ScalarSegment::build(i32_column({5, std::nullopt, -3, 5, 0, -3, std::nullopt}));
  EXPECT_EQ(seg->fragment_rows(), 7u);
  std::vector<std::pair<Value, uint32_t>> want = {{Value{int64_t{-3}}, 2},
                                                  {Value{int64_t{-3}}, 5},
                                                  {Value{int64_t{0}}, 4},
                                                  {Value{int64_t{5}}, 0},
                                                  {Value{int64_t{5}}, 3}};
  EXPECT_EQ(entries(*seg), want);
}

TEST(ScalarSegmentTest, FloatsLeaveOutNaNAndMergeSignedZero) {
  Column c(ColumnType::scalar(TypeKind::kF64));
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  for (double d : {1.5, nan, -0.0, inf, 0.0, -inf, -2.25}) c.append(d);
  auto seg = ScalarSegment::build(c);
  std::vector<uint32_t> rows;
  for (size_t i = 0; i < seg->size(); ++i) rows.push_back(seg->row(i));
  EXPECT_EQ(rows, (std::vector<uint32_t>{5, 6, 2, 4, 0, 3}));  // -inf, -2.25, -0.0 & 0.0 by row, 1.5, inf
  EXPECT_FALSE(std::signbit(std::get<double>(seg->key(2).v)));
  EXPECT_EQ(std::get<double>(seg->key(5).v), inf);
}

TEST(ScalarSegmentTest, EnumKeysAreBytewiseAndUnsignedKeepFullRange) {
  Column e(ColumnType::scalar(TypeKind::kEnum));
  for (const char* s : {"sad", "happy", "angry", "happy"}) e.append_bytes(s);
  auto seg = ScalarSegment::build(e);
  ASSERT_TRUE(seg->has_bytes_keys());
  EXPECT_EQ(seg->key_bytes(0), "angry");
  EXPECT_EQ(seg->row(1), 1u);
  EXPECT_EQ(seg->row(2), 3u);
  EXPECT_EQ(seg->key_bytes(3), "sad");

  Column u(ColumnType::scalar(TypeKind::kU64));
  for (uint64_t v : {std::numeric_limits<uint64_t>::max(), uint64_t{0}, uint64_t{1} << 63}) u.append(v);
  auto useg = ScalarSegment::build(u);
  EXPECT_EQ(useg->row(0), 1u);
  EXPECT_EQ(useg->row(2), 0u);
  EXPECT_EQ(std::get<uint64_t>(useg->key(2).v), std::numeric_limits<uint64_t>::max());
}

TEST(ScalarSegmentTest, RejectsUnsupportedColumnsNamingTheType) {
  Column l(ColumnType::list(TypeKind::kI32));
  try {
    ScalarSegment::build(l);
    FAIL() << "built a scalar index on a list";
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::kBadRequest);
    EXPECT_NE(err.message().find("List<I32>"), std::string::npos) << err.message();
  }
}

TEST(ScalarSegmentTest, EncodeDecodeRoundTripsEveryKind) {
  Column e(ColumnType::scalar(TypeKind::kString));
  for (const char* s : {"b", "", "a\0z", "b"}) e.append_bytes(s);
  e.append_null();
  Column f(ColumnType::scalar(TypeKind::kF32));
  for (float x : {2.5f, -1.0f, std::numeric_limits<float>::quiet_NaN()}) f.append(x);
  Column b(ColumnType::scalar(TypeKind::kBool));
  for (uint8_t x : {1, 0, 1}) b.append(x);
  Column d(ColumnType::scalar(TypeKind::kDateTime));
  for (int64_t x : {int64_t{-5}, std::numeric_limits<int64_t>::min(), int64_t{7}}) d.append(x);
  for (const Column* c : {&e, &f, &b, &d}) {
    auto seg = ScalarSegment::build(*c);
    auto back = ScalarSegment::decode(seg->encode());
    EXPECT_EQ(back->column_kind(), c->type.kind);
    EXPECT_EQ(back->fragment_rows(), c->length);
    EXPECT_EQ(entries(*back), entries(*seg)) << c->type.to_string();
  }
  auto empty = ScalarSegment::decode(ScalarSegment::build(i32_column({std::nullopt}))->encode());
  EXPECT_EQ(empty->size(), 0u);
  EXPECT_EQ(empty->fragment_rows(), 1u);
}

std::string decode_error(std::string_view bytes) {
  try {
    ScalarSegment::decode(bytes);
  } catch (const Error& err) {
    return err.message();
  }
  return "";
}

TEST(ScalarSegmentTest, CorruptSegmentsFailWithAClearError) {
  std::string good = ScalarSegment::build(i32_column({3, 1, 2}))->encode();
  std::string flipped = good;
  flipped[30] ^= 0x40;
  EXPECT_NE(decode_error(flipped).find("scalar index segment: checksum mismatch"), std::string::npos)
      << decode_error(flipped);
  EXPECT_NE(decode_error(good.substr(0, 20)).find("scalar index segment: truncated"), std::string::npos);
  EXPECT_NE(decode_error(good.substr(0, good.size() - 1)).find("scalar index segment"), std::string::npos);
  std::string magic = good;
  magic[0] = 'X';
  EXPECT_NE(decode_error(magic).find("bad magic"), std::string::npos);
  EXPECT_EQ(decode_error(""), "integrity error: scalar index segment: truncated (0 bytes)");
}

TEST(ScalarSegmentTest, EveryBitFlipAndTruncationIsRejected) {
  Column e(ColumnType::scalar(TypeKind::kEnum));
  for (const char* v : {"sad", "happy", "angry"}) e.append_bytes(v);
  for (const std::string& good :
       {ScalarSegment::build(e)->encode(), ScalarSegment::build(i32_column({4, -1}))->encode()}) {
    for (size_t i = 0; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
      EXPECT_THROW(ScalarSegment::decode(bad), storage::IntegrityError) << "flip at byte " << i;
    }
    for (size_t n = 0; n < good.size(); ++n)
      EXPECT_THROW(ScalarSegment::decode(good.substr(0, n)), storage::IntegrityError) << "truncated to " << n;
    EXPECT_THROW(ScalarSegment::decode(good + "x"), storage::IntegrityError);
  }
}

TEST(ScalarSegmentTest, RegisteredAsTheBtreeWriterForScalarIndexes) {
  const index::SegmentWriter* btree = nullptr;
  for (const auto& w : index::segment_writers())
    if (w.kind == "btree") btree = &w;
  ASSERT_NE(btree, nullptr);
  EXPECT_EQ(btree->serves, compiler::IndexKind::kScalar);
  auto seg = ScalarSegment::decode(btree->encode(i32_column({9, std::nullopt, -9})));
  EXPECT_EQ(entries(*seg),
            (std::vector<std::pair<Value, uint32_t>>{{Value{int64_t{-9}}, 2}, {Value{int64_t{9}}, 0}}));
}

// ---------------------------------------------------------------------------------------
// Differential test over real graphs.

const char* kProps[][2] = {{"age", "I32"},     {"big", "I64"},   {"u", "U64"},
                           {"score", "F64"},   {"small", "F32"}, {"born", "Date"},
                           {"at", "DateTime"}, {"flag", "Bool"}, {"mood", "enum(angry, calm, happy, sad)"},
                           {"note", "String"}};
const char* kMoods[] = {"angry", "calm", "happy", "sad"};

std::string schema(bool indexed) {
  std::string s = "node T {\n  name: String @key\n  city: String?\n";
  for (const auto& p : kProps)
    s += std::string("  ") + p[0] + ": " + p[1] + "?" + (indexed ? " @index" : "") + "\n";
  return s + "}\n";
}

class ScalarIndexDiffTest : public ::testing::Test {
 protected:
  // One value of property `p` (or null), from small domains so equalities hit.
  Value random_value(const std::string& p) {
    if (rng() % 8 == 0) return {};
    auto pick = [&](int lo, int hi) {
      return static_cast<int64_t>(lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1)));
    };
    if (p == "age") return Value{pick(-30, 30)};
    if (p == "big") {
      switch (rng() % 10) {
        case 0:
          return Value{std::numeric_limits<int64_t>::min()};
        case 1:
          return Value{std::numeric_limits<int64_t>::max()};
        default:
          return Value{pick(-50, 50) * 1000000007};
      }
    }
    if (p == "u")
      return rng() % 10 == 0 ? Value{(uint64_t{1} << 63) + rng() % 3}
                             : Value{static_cast<uint64_t>(pick(0, 60))};
    if (p == "score" || p == "small") {
      switch (rng() % 16) {
        case 0:
          return Value{std::numeric_limits<double>::quiet_NaN()};
        case 1:
          return Value{std::numeric_limits<double>::infinity()};
        case 2:
          return Value{-std::numeric_limits<double>::infinity()};
        case 3:
          return Value{-0.0};
        default:
          return Value{static_cast<double>(pick(-40, 40)) / 4.0};
      }
    }
    if (p == "born") return Value{pick(-60, 60)};
    if (p == "at") return Value{pick(-60, 60) * 86400000 + pick(0, 2) * 1000};
    if (p == "flag") return Value{rng() % 2 == 0};
    if (p == "mood") return Value{std::string(kMoods[rng() % 4])};
    if (p == "note") return Value{random_text(rng() % 10)};
    return Value{prefixed("c", static_cast<int>(rng() % 5))};  // city
  }

  // Text over a 4-letter alphabet: 3-byte patterns occur in a few % of the rows.
  std::string random_text(size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += static_cast<char>('a' + rng() % 4);
    return out;
  }

  Entity random_entity(const compiler::TypeDef& type, const std::string& name) {
    Entity e{name, "", "", std::vector<Value>(type.properties.size())};
    for (size_t i = 0; i < type.properties.size(); ++i) {
      const auto& p = type.properties[i];
      e.values[i] = p.name == "name" ? Value{name} : random_value(p.name);
    }
    return e;
  }

  static std::string prefixed(const char* prefix, int i) {
    std::string out = prefix;
    out += std::to_string(i);
    return out;
  }
  static std::string name_of(int batch, int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "t%d_%d", batch, i);
    return buf;
  }

  // Applies the same random batch to both graphs: inserts, then (after the first batch)
  // updates (delete + insert in a new fragment) and deletes of earlier rows.
  void random_batch(int batch) {
    std::vector<Entity> puts;
    std::vector<std::string> removes;
    const auto& type = *graphs[0]->snapshot()->catalog().find_node("T");
    for (int i = 0; i < 150; ++i) puts.push_back(random_entity(type, name_of(batch, i)));
    for (int b = 0; b < batch; ++b)
      for (int i = 0; i < 150; ++i) {
        unsigned r = rng() % 20;
        std::string name = name_of(b, i);
        if (r == 0) puts.push_back(random_entity(type, name));
        if (r == 1) removes.push_back(name);
      }
    for (auto& g : graphs) {
      g->write({}, [&](const GraphSnapshot& base, WriteTxn& txn) {
        const auto& t = *base.catalog().find_node("T");
        for (const auto& e : puts) txn.put(t, e);
        for (const auto& n : removes) txn.remove(t, n);
      });
    }
  }

  // A JSON parameter value comparable with property `p`, of declared type `decl`.
  nlohmann::json random_param(const std::string& p, std::string& decl) {
    Value v = random_value(p);
    while (v.is_null() || (std::holds_alternative<double>(v.v) && !std::isfinite(std::get<double>(v.v))))
      v = random_value(p);
    if (p == "age" || p == "big") {
      if (rng() % 4 == 0) {  // mixed kinds: a fractional F64 against an integer column
        decl = "F64";
        return static_cast<double>(std::get<int64_t>(v.v)) + 0.5;
      }
      decl = p == "age" ? "I32" : "I64";
      return std::to_string(std::get<int64_t>(v.v));
    }
    if (p == "u") {
      uint64_t u = std::get<uint64_t>(v.v);
      if (u > uint64_t{std::numeric_limits<int64_t>::max()} ||
          rng() % 5 == 0) {  // beyond the U64 param range
        decl = "I64";
        return rng() % 2 ? int64_t{-1} : int64_t{25};
      }
      decl = "U64";
      return u;
    }
    if (p == "score" || p == "small") {
      if (rng() % 4 == 0) {
        decl = "I32";
        return static_cast<int64_t>(std::floor(std::get<double>(v.v)));
      }
      decl = "F64";
      return std::get<double>(v.v);
    }
    if (p == "born") {
      decl = "Date";
      return format_date(std::get<int64_t>(v.v));
    }
    if (p == "at") {
      decl = "DateTime";
      return format_datetime_ms(std::get<int64_t>(v.v));
    }
    if (p == "flag") {
      decl = "Bool";
      return std::get<bool>(v.v);
    }
    decl = "String";
    if (p == "mood" && rng() % 3 == 0) return std::string("zzz");  // not a variant: still comparable
    return std::get<std::string>(v.v);
  }

  struct Query {
    std::string text;
    nlohmann::json params = nlohmann::json::object();
  };

  Query random_query() {
    static const char* ops[] = {"=", "<", "<=", ">", ">=", "!="};
    Query q;
    std::string decls, clauses;
    int n = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < n; ++k) {
      std::string c = prefixed("c", k);
      if (rng() % 6 == 0) {  // a residual, unindexed filter
        decls += ", $" + c + ": String";
        q.params[c] = prefixed("c", static_cast<int>(rng() % 5));
        clauses += "  $t.city = $" + c;
        continue;
      }
      if (rng() % 5 == 0) {    // substring: trigram-narrowed when the pattern has 3+ bytes
        if (rng() % 4 == 0) {  // positional: the literal contains the property (never indexed)
          clauses += "  \"" + random_text(rng() % 8) + "\" contains $t.note";
          continue;
        }
        decls += ", $" + c + ": String";
        q.params[c] = random_text(rng() % 6);
        clauses += "  $t.note contains $" + c;
        continue;
      }
      std::string p = kProps[rng() % std::size(kProps)][0];
      std::string decl;
      nlohmann::json value = random_param(p, decl);
      if (p == "mood" && rng() % 3 == 0) {
        static const char* prefixes[] = {"", "a", "ha", "happy", "s", "sadder", "b"};
        decls += ", $" + c + ": String";
        q.params[c] = prefixes[rng() % std::size(prefixes)];
        clauses += "  $t.mood starts_with $" + c;
        continue;
      }
      bool nullable = rng() % 12 == 0;
      decls += ", $" + c + ": " + decl + (nullable ? "?" : "");
      q.params[c] = nullable ? nlohmann::json(nullptr) : value;
      std::string op = ops[rng() % std::size(ops)];
      if (rng() % 3 == 0)  // constant on the left
        clauses += "  $" + c + " " + op + " $t." + p;
      else
        clauses += "  $t." + p + " " + op + " $" + c;
    }
    q.text = "query q(" + (decls.empty() ? std::string() : decls.substr(2)) + ") { match { $t: T" + clauses +
             " } return { $t.name } }";
    return q;
  }

  // Whether the indexed graph answers `q` through the index probe (not a full scan).
  bool probes(const GraphSnapshot& snap, const Query& q) {
    auto compiled = compiler::compile_query(q.text, snap.catalog());
    auto steps = exec::plan_match(compiled.plan.read.match, snap.catalog());
    exec::ExecContext ctx{snap, exec::bind_param_values(compiled.plan.params, q.params), 0};
    const auto& table = snap.table(*snap.catalog().find_node("T"));
    return exec::probe_scalar_index(steps.at(0), table, ctx).has_value();
  }

  std::mt19937 rng{20261124};
  test::TempGraphDir dirs[2];
  std::unique_ptr<Graph> graphs[2] = {Graph::init(dirs[0].uri(), schema(true)),
                                      Graph::init(dirs[1].uri(), schema(false))};
};

TEST_F(ScalarIndexDiffTest, IndexedAndUnindexedGraphsReturnIdenticalRows) {
  int probed = 0, total = 0;
  for (int batch = 0; batch < 4; ++batch) {
    random_batch(batch);
    auto indexed = graphs[0]->snapshot();
    auto plain = graphs[1]->snapshot();
    ASSERT_EQ(indexed->table(*indexed->catalog().find_node("T")).row_count(),
              plain->table(*plain->catalog().find_node("T")).row_count());
    for (int i = 0; i < 150; ++i) {
      Query q = random_query();
      SCOPED_TRACE(q.text + " " + q.params.dump());
      Rows want = run(*plain, q.text, q.params.dump());
      EXPECT_EQ(run(*indexed, q.text, q.params.dump()), want);
      ++total;
      if (probes(*indexed, q)) ++probed;
    }
  }
  // Both paths of the probe rule were exercised.
  EXPECT_GT(probed, total / 5);
  EXPECT_LT(probed, total);
}

TEST_F(ScalarIndexDiffTest, ExplainShowsIndexFiltersAndTheProbeRule) {
  random_batch(0);
  auto snap = graphs[0]->snapshot();
  const char* text =
      "query q($a: I32, $m: String) { match { $t: T  $t.age >= $a  $a > $t.age  $t.mood starts_with $m  "
      "$t.city = \"c1\"  $t.age != 3 } return { $t.name } }";
  auto steps =
      exec::plan_match(compiler::compile_query(text, snap->catalog()).plan.read.match, snap->catalog());
  EXPECT_EQ(exec::explain_physical(steps),
            "NodeScan t: T filters=5 btree[age >=, age <, mood starts_with] probe-if-est<=1/10\n");
  auto plain = graphs[1]->snapshot();
  EXPECT_EQ(exec::explain_physical(exec::plan_match(
                compiler::compile_query(text, plain->catalog()).plan.read.match, plain->catalog())),
            "NodeScan t: T filters=5\n");
}

TEST_F(ScalarIndexDiffTest, ContainsOnAStringIndexIsNarrowedByTrigrams) {
  random_batch(0);
  random_batch(1);
  auto snap = graphs[0]->snapshot();
  const char* text =
      "query q($s: String) { match { $t: T  $t.note contains $s  \"abcd\" contains $t.note  $t.age = 1 } "
      "return { $t.name } }";
  auto steps =
      exec::plan_match(compiler::compile_query(text, snap->catalog()).plan.read.match, snap->catalog());
  EXPECT_EQ(exec::explain_physical(steps),
            "NodeScan t: T filters=3 btree[age =] trigram[note contains] probe-if-est<=1/10\n");
  Query q{"query q($s: String) { match { $t: T  $t.note contains $s } return { $t.name, $t.note } }",
          {{"s", "dca"}}};
  EXPECT_TRUE(probes(*snap, q));
  Rows rows = run(*snap, q.text, q.params.dump());
  ASSERT_FALSE(rows.empty());
  for (const auto& r : rows) EXPECT_NE(r[1].find("dca"), std::string::npos) << r[1];
  EXPECT_EQ(rows, run(*graphs[1]->snapshot(), q.text, q.params.dump()));
  Query shorter{"query q($s: String) { match { $t: T  $t.note contains $s } return { $t.name } }",
                {{"s", "dc"}}};
  EXPECT_FALSE(probes(*snap, shorter));  // no trigram in a 2-byte pattern
}

TEST(SubstringSegmentTest, CandidatesHoldEveryTrigramOfThePattern) {
  Column c(ColumnType::scalar(TypeKind::kString));
  for (const char* s : {"abcd", "xbcdx", "", "bcd", "abc", "abcabc"}) c.append_bytes(s);
  c.append_null();
  auto seg = index::SubstringSegment::build(c);
  EXPECT_EQ(seg->candidates("bcd"), (std::vector<uint32_t>{0, 1, 3}));
  EXPECT_EQ(seg->candidates("abcd"), (std::vector<uint32_t>{0}));
  EXPECT_EQ(seg->candidates("cabc"), (std::vector<uint32_t>{5}));
  // "abcbc" needs abc, bcb, cbc: no row has bcb.
  EXPECT_TRUE(seg->candidates("abcbc").empty());
  EXPECT_EQ(seg->estimate("abc"), 3u);
  EXPECT_EQ(seg->estimate("zzz"), 0u);
  Column text(ColumnType::scalar(TypeKind::kString));
  text.append_bytes(std::string(40, 'x'));
  text.append_bytes(std::string(30, 'y'));
  text.append_null();
  EXPECT_EQ(index::SubstringSegment::build(text), nullptr);  // averages 35 bytes: left to the scan
  try {
    index::SubstringSegment::build(i32_column({1}));
    FAIL() << "built a substring index on I32";
  } catch (const Error& err) {
    EXPECT_NE(err.message().find("I32"), std::string::npos) << err.message();
  }
}

TEST_F(ScalarIndexDiffTest, SelectiveEqualityProbesAndWideRangeScans) {
  random_batch(0);
  random_batch(1);
  auto snap = graphs[0]->snapshot();
  Query narrow{"query q($a: I32) { match { $t: T  $t.age = $a } return { $t.name } }", {{"a", 7}}};
  Query wide{"query q($a: I32) { match { $t: T  $t.age > $a } return { $t.name } }", {{"a", -25}}};
  EXPECT_TRUE(probes(*snap, narrow));
  EXPECT_FALSE(probes(*snap, wide));
  // Two wide one-sided ranges on the same property narrow one key range: probed.
  Query between{
      "query q($a: I32, $b: I32) { match { $t: T  $t.age >= $a  $b >= $t.age } return { $t.name } }",
      {{"a", 3}, {"b", 4}}};
  Query one_side{"query q($a: I32) { match { $t: T  $t.age >= $a } return { $t.name } }", {{"a", 3}}};
  EXPECT_TRUE(probes(*snap, between));
  EXPECT_FALSE(probes(*snap, one_side));
  Rows rows = run(*snap, between.text, between.params.dump());
  EXPECT_FALSE(rows.empty());
  EXPECT_EQ(rows, run(*graphs[1]->snapshot(), between.text, between.params.dump()));
  EXPECT_EQ(run(*snap, narrow.text, narrow.params.dump()),
            run(*graphs[1]->snapshot(), narrow.text, narrow.params.dump()));
}

// A table snapshot that lists a persisted btree segment: the probe reads it (a damaged one is
// an integrity error, proving the persisted path), and a valid one gives the in-memory rows.
TEST_F(ScalarIndexDiffTest, PersistedSegmentsAreReadAndVerified) {
  random_batch(0);
  random_batch(1);
  auto snap = graphs[0]->snapshot();
  const auto& impl = static_cast<const TableDataImpl&>(snap->table(*snap->catalog().find_node("T")));
  auto schema_object =
      std::make_shared<const SchemaObject>(SchemaObject{"test", schema(true), snap->catalog()});
  const compiler::TypeDef& type = *schema_object->catalog.find_node("T");
  const compiler::Property& age = *type.find_property("age");
  const std::string column = property_column(age);
  const storage::ColumnType ctype = column_type(age.type);
  storage::ObjectStore& store = graphs[0]->store();

  // Persist every fragment's segment (and a damaged copy of the first one).
  storage::TableSnapshot good = *impl.table_snapshot(), bad = good;
  ASSERT_GE(good.fragments.size(), 2u);
  for (size_t f = 0; f < good.fragments.size(); ++f) {
    std::string bytes = ScalarSegment::build(*index::fragment_column(impl, f, column, ctype))->encode();
    storage::IndexEntry entry{
        "btree", column, storage::index_key(good.table_id, "btree"), {good.fragments[f].fragment.key}};
    store.put(entry.key, bytes);
    good.indexes.push_back(entry);
    if (f == 0) {
      bytes[bytes.size() / 2] ^= 1;
      entry.key = storage::index_key(good.table_id, "btree");
      store.put(entry.key, bytes);
      bad.indexes.push_back(entry);
    }
  }
  index::SegmentCache good_cache, bad_cache;
  TableDataImpl persisted(schema_object, type, store, nullptr, good, &good_cache);
  TableDataImpl damaged(schema_object, type, store, nullptr, bad, &bad_cache);
  ASSERT_NE(index::find_segment_entry(*persisted.table_snapshot(), 0, "btree", column), nullptr);

  Query q{"query q($a: I32) { match { $t: T  $t.age = $a } return { $t.name } }", {{"a", -4}}};
  auto compiled = compiler::compile_query(q.text, snap->catalog());
  auto steps = exec::plan_match(compiled.plan.read.match, snap->catalog());
  exec::ExecContext ctx{*snap, exec::bind_param_values(compiled.plan.params, q.params), 0};
  auto from_memory = exec::probe_scalar_index(steps.at(0), impl, ctx);
  auto from_store = exec::probe_scalar_index(steps.at(0), persisted, ctx);
  ASSERT_TRUE(from_memory && from_store);
  EXPECT_FALSE(from_store->rows.empty());
  EXPECT_EQ(from_store->rows, from_memory->rows);
  try {
    exec::probe_scalar_index(steps.at(0), damaged, ctx);
    FAIL() << "a damaged persisted segment was accepted";
  } catch (const storage::IntegrityError& err) {
    EXPECT_NE(err.message().find("scalar index segment: checksum mismatch"), std::string::npos)
        << err.message();
  }
}

}  // namespace
}  // namespace omnigraph::engine::testing
