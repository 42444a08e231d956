// Canonical key rendering (data-plane §1.1).
#include "engine/key_id.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/error.h"
#include "compiler/catalog.h"

namespace omnigraph::engine {
namespace {

compiler::ValueType scalar(compiler::ScalarKind k) {
  compiler::ValueType t;
  t.scalar = k;
  return t;
}

TEST(KeyId, RendersScalarsCanonically) {
  using compiler::ScalarKind;
  EXPECT_EQ(render_key_component(Value(1.0), scalar(ScalarKind::kF64)), "1");
  EXPECT_EQ(render_key_component(Value(-0.0), scalar(ScalarKind::kF64)), "0");
  EXPECT_EQ(render_key_component(Value(static_cast<double>(0.1f)), scalar(ScalarKind::kF32)), "0.1");
  EXPECT_EQ(render_key_component(Value(0.1), scalar(ScalarKind::kF64)), "0.1");
  EXPECT_EQ(render_key_component(Value(1e21), scalar(ScalarKind::kF64)), "1000000000000000000000");
  EXPECT_EQ(render_key_component(Value(2.5e-7), scalar(ScalarKind::kF64)), "0.00000025");
  EXPECT_FALSE(render_key_component(Value(std::nan("")), scalar(ScalarKind::kF64)));
  EXPECT_EQ(render_key_component(Value(int64_t{19723}), scalar(ScalarKind::kDate)), "19723");
  EXPECT_EQ(render_key_component(Value(uint64_t{18446744073709551615ull}), scalar(ScalarKind::kU64)),
            "18446744073709551615");
  EXPECT_EQ(render_key_component(Value(true), scalar(ScalarKind::kBool)), "true");
  EXPECT_FALSE(render_key_component(Value(), scalar(ScalarKind::kString)));
}

TEST(KeyId, CompositeKeyOrdersByPropertyIdAndEscapes) {
  auto catalog = compiler::compile_schema("node Membership { tenant: String  slot: U32  @key(tenant, slot) }");
  const auto& t = *catalog.find_node("Membership");
  EXPECT_EQ(derive_key_id(t, {Value(std::string("acme")), Value(uint64_t{7})}), R"(["7","acme"])");
  EXPECT_EQ(derive_key_id(t, {Value(std::string("a\"b\\c\n\x01/é")), Value(uint64_t{1})}),
            "[\"1\",\"a\\\"b\\\\c\\n\\u0001/é\"]");
  try {
    derive_key_id(t, {Value(), Value(uint64_t{1})});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "node Membership is missing a non-null @key value");
  }
}

}  // namespace
}  // namespace omnigraph::engine
