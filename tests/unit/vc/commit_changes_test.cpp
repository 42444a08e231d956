// Commit changes (§8.1/§8.2): classification, images, order, filters, pages and refusals.
#include "engine/vc/commit_changes.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/error.h"
#include "engine/vc/branch_ops.h"
#include "engine/vc/merge.h"
#include "engine/vc/table_delta.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

class CommitChangesTest : public ::testing::Test {
 protected:
  void SetUp() override { graph = Graph::init(dir.uri(), kPeopleSchema); }
  const compiler::TypeDef& type(const GraphSnapshot& s, const char* name) {
    auto* n = s.catalog().find_node(name);
    return n ? *n : *s.catalog().find_edge(name);
  }
  Entity person(const std::string& n, Value age = {}) {
    return Entity{n, "", "", {Value(n), std::move(age), {}, {}}};
  }
  storage::GraphCommit write(const std::function<void(const GraphSnapshot&, WriteTxn&)>& fn,
                             const std::string& branch = "main") {
    Graph::WriteOptions o;
    o.branch = branch;
    o.actor = "act";
    return *graph->write(o, fn);
  }
  std::vector<std::string> summary(const nlohmann::json& page) {
    std::vector<std::string> out;
    for (const auto& c : page["changes"])
      out.push_back(c["op"].get<std::string>() + " " + c["type"]["name"].get<std::string>() + " " +
                    c["id"].get<std::string>());
    return out;
  }
  Error error_of(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return Error::internal("none");
  }

  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(CommitChangesTest, ClassifiesWithImagesInFrozenOrder) {
  auto c1 = write([&](const GraphSnapshot& b, WriteTxn& t) {
    t.put(type(b, "Person"), person("Ada", int64_t{36}));
    t.put(type(b, "Person"), person("Grace"));
    t.put(type(b, "Person"), person("Linus", int64_t{50}));
  });
  auto c2 = write([&](const GraphSnapshot& b, WriteTxn& t) {
    t.put(type(b, "Person"), person("Ada", int64_t{37}));    // update
    t.remove(type(b, "Person"), "Grace");                    // delete
    t.put(type(b, "Person"), person("Linus", int64_t{50}));  // identical rewrite: never surfaces
    t.put(type(b, "Person"), person("Bob"));                 // insert
    t.put(type(b, "Knows"), Entity{"k1", "Ada", "Bob", {}});
  });
  auto page = commit_changes_page(*graph, c2.id, {});
  EXPECT_EQ(summary(page), (std::vector<std::string>{"update Person Ada", "insert Person Bob",
                                                     "delete Person Grace", "insert Knows k1"}));
  EXPECT_EQ(page["cause"], (nlohmann::json{{"graph_commit_id", c2.id},
                                           {"parent_commit_id", c1.id},
                                           {"authored_branch", "main"},
                                           {"actor_id", "act"},
                                           {"authored_at", c2.created_at_us}}));
  const auto& ada = page["changes"][0];
  EXPECT_EQ(ada["kind"], "node");
  EXPECT_EQ(ada["before"],
            (nlohmann::json{
                {"properties", {{"name", "Ada"}, {"age", 36}, {"mood", nullptr}, {"email", nullptr}}}}));
  EXPECT_EQ(ada["after"]["properties"]["age"], 37);
  EXPECT_FALSE(page["changes"][1].contains("before"));
  EXPECT_FALSE(page["changes"][2].contains("after"));
  const auto& k = page["changes"][3];
  EXPECT_EQ(k["kind"], "edge");
  EXPECT_EQ(k["after"], (nlohmann::json{{"properties", nlohmann::json::object()},
                                        {"endpoints", {{"from", "Ada"}, {"to", "Bob"}}}}));
  EXPECT_FALSE(page.contains("next_page_token"));
}

TEST_F(CommitChangesTest, FiltersSelectKindTypeOp) {
  write([&](const GraphSnapshot& b, WriteTxn& t) { t.put(type(b, "Person"), person("Ada", int64_t{1})); });
  auto c = write([&](const GraphSnapshot& b, WriteTxn& t) {
    t.put(type(b, "Person"), person("Ada", int64_t{2}));
    t.put(type(b, "Person"), person("Bob"));
    t.put(type(b, "Company"), Entity{"Acme", "", "", {Value(std::string("Acme"))}});
    t.put(type(b, "WorksAt"), Entity{"w", "Bob", "Acme", {}});
  });
  EXPECT_EQ(summary(commit_changes_page(*graph, c.id, {.kinds = {"edge"}})),
            (std::vector<std::string>{"insert WorksAt w"}));
  EXPECT_EQ(summary(commit_changes_page(*graph, c.id, {.types = {"Person"}, .ops = {"insert"}})),
            (std::vector<std::string>{"insert Person Bob"}));
  EXPECT_TRUE(summary(commit_changes_page(*graph, c.id, {.types = {"Nope"}})).empty());
  EXPECT_EQ(
      commit_changes_page(*graph, c.id, {.kinds = {"node", "edge"}, .ops = {"insert", "update", "delete"}}),
      commit_changes_page(*graph, c.id, {}));
  EXPECT_EQ(error_of([&] { commit_changes_page(*graph, c.id, {.ops = {"upsert"}}); }).message(),
            "invalid op 'upsert': expected insert, update or delete");
}

TEST_F(CommitChangesTest, PagesWithOpaqueTokens) {
  auto c = write([&](const GraphSnapshot& b, WriteTxn& t) {
    for (const char* n : {"A", "B", "C", "D", "E"}) t.put(type(b, "Person"), person(n));
  });
  auto full = summary(commit_changes_page(*graph, c.id, {}));
  std::vector<std::string> paged;
  std::optional<std::string> token;
  int pages = 0;
  do {
    auto p = commit_changes_page(*graph, c.id, {}, 2, token);
    for (auto& s : summary(p)) paged.push_back(s);
    token = p.contains("next_page_token")
                ? std::optional<std::string>(p["next_page_token"].get<std::string>())
                : std::nullopt;
    ++pages;
  } while (token);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, full);

  auto first = commit_changes_page(*graph, c.id, {}, 2);
  auto tok = first["next_page_token"].get<std::string>();
  auto tampered = tok;
  tampered[0] = tampered[0] == 'e' ? 'f' : 'e';
  EXPECT_EQ(error_of([&] { commit_changes_page(*graph, c.id, {}, 2, tampered); }).message(),
            "change cursor rejected: token signature does not verify (tampered, forged or issued by another graph)");
  EXPECT_EQ(error_of([&] { commit_changes_page(*graph, c.id, {.ops = {"insert"}}, 2, tok); }).message(),
            "change cursor rejected: token belongs to another filter scope");
  auto limit0 = error_of([&] { commit_changes_page(*graph, c.id, {}, 0); });
  EXPECT_EQ(limit0.http_status(), 400);
  auto big = error_of([&] { commit_changes_page(*graph, c.id, {}, 8193); });
  EXPECT_EQ(big.http_status(), 413);
  ASSERT_TRUE(std::holds_alternative<ResourceLimitDetail>(big.detail()));
  EXPECT_EQ(std::get<ResourceLimitDetail>(big.detail()).resource, "commit_changes_page_changes");
}

TEST_F(CommitChangesTest, PagesAreBoundedByBytesToo) {
  auto c = write([&](const GraphSnapshot& b, WriteTxn& t) {
    for (char n : std::string("ABCDE"))
      t.put(type(b, "Person"),
            Entity{std::string(1, n),
                   "",
                   "",
                   {Value(std::string(1, n)), {}, {}, Value(std::string(1500000, n) + "@x")}});
  });
  std::vector<size_t> sizes;
  std::optional<std::string> token;
  do {
    auto p = commit_changes_page(*graph, c.id, {}, kMaxChangePageLimit, token);
    sizes.push_back(p["changes"].size());
    token = p.contains("next_page_token")
                ? std::optional<std::string>(p["next_page_token"].get<std::string>())
                : std::nullopt;
  } while (token);
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));  // ~1.5 MB per change, 4 MiB per page
}

TEST_F(CommitChangesTest, RefusesGenesisAndUnknownCommits) {
  auto genesis = graph->refs().head("main").commit_id;
  auto e = error_of([&] { commit_changes_page(*graph, genesis, {}); });
  EXPECT_EQ(e.code(), ErrorCode::kConflict);
  ASSERT_TRUE(std::holds_alternative<ChangeDiffRefusalDetail>(e.detail()));
  EXPECT_EQ(std::get<ChangeDiffRefusalDetail>(e.detail()).reason, ChangeDiffRefusalReason::kParentlessCommit);
  EXPECT_EQ(error_of([&] { commit_changes_page(*graph, "01ARZ3NDEKTSV4RRFFQ69G5FAV", {}); }).code(),
            ErrorCode::kNotFound);
}

TEST_F(CommitChangesTest, MergeCommitIsDiffedAgainstItsFirstParent) {
  write([&](const GraphSnapshot& b, WriteTxn& t) { t.put(type(b, "Person"), person("Ada")); });
  create_branch(*graph, "f", "main", {});
  write([&](const GraphSnapshot& b, WriteTxn& t) { t.put(type(b, "Person"), person("Src")); }, "f");
  write([&](const GraphSnapshot& b, WriteTxn& t) { t.put(type(b, "Person"), person("Tgt")); });
  auto m = merge_branches(*graph, "f", "main", {});
  auto page = commit_changes_page(*graph, m.commit->id, {});
  EXPECT_EQ(summary(page), (std::vector<std::string>{"insert Person Src"}));
  EXPECT_EQ(page["cause"]["merged_parent_commit_id"], m.commit->parents[1]);
}

}  // namespace
}  // namespace omnigraph::engine::vc

namespace omnigraph::engine::vc {
namespace {

// Identical rewrites never surface (§8.1): a NaN copied unchanged is the same stored value,
// while -0.0 → +0.0 is a real change.
TEST(SameEntity, ComparesFloatsByStoredBits) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Entity a{"e", "", "", {Value(nan), Value(std::vector<float>{1.0f, std::numeric_limits<float>::quiet_NaN()}),
                         Value(ValueList{Value(nan)})}};
  Entity b = a;
  EXPECT_TRUE(same_entity(a, b));
  b.values[0] = Value(-0.0);
  Entity c = a;
  c.values[0] = Value(0.0);
  EXPECT_FALSE(same_entity(b, c));
  c.values[0] = Value(int64_t{0});
  EXPECT_FALSE(same_entity(b, c));
}

}  // namespace
}  // namespace omnigraph::engine::vc
