// Property test: random small graphs and random queries from a generator; the executor's
// results must equal a naive reference evaluator written here from the spec (§6.1–§6.8).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "fake_graph.h"
#include "query_test_util.h"

namespace omnigraph::engine::testing {
namespace {

const char* kSchema = "node P { name: String @key  age: I32?  grp: String? }\nedge K: P -> P { w: I32? }\n";

struct RNode {
  std::string name;
  std::optional<int> age;
  std::optional<std::string> grp;
};
struct REdge {
  size_t src, dst;
  std::optional<int> w;
  std::string id;
};

struct World {
  std::vector<RNode> nodes;
  std::vector<REdge> edges;
};

// One generated query: its text and how the reference evaluates it.
struct Spec {
  std::optional<int> inline_age;      // $a: P { age: N }
  int a_filter = -1, a_filter_n = 0;  // 0: age > n, 1: grp = "x", 2: age != n, 3: name starts_with "n1"
  int trav = -1;  // 0 out, 1 undirected, 2 reverse, 3 edge-bound out, 4 edge-bound undirected
  int min_h = 1, max_h = 1;
  int w_filter = -1;                  // edge-bound: $e.w >= w_filter
  int b_filter = -1, b_filter_n = 0;  // 0: age < n, 1: grp = "y", 2: $b: P { name: "n<n>" }
  int neg = -1, neg_n = 0;            // 0: not { $a k $_ }, 1: not { $a.age > n }, 2: not { $b k $a }
  int ret = 0;                        // 0 rows, 1 group count, 2 global count
  bool order = false;
  int limit = 0;
};

std::string query_text(const Spec& s) {
  std::string m = "$a: P";
  if (s.inline_age) m += " { age: " + std::to_string(*s.inline_age) + " }";
  switch (s.a_filter) {
    case 0:
      m += "  $a.age > " + std::to_string(s.a_filter_n);
      break;
    case 1:
      m += "  $a.grp = \"x\"";
      break;
    case 2:
      m += "  $a.age != " + std::to_string(s.a_filter_n);
      break;
    case 3:
      m += "  $a.name starts_with \"n1\"";
      break;
  }
  std::string hops = "{" + std::to_string(s.min_h) + "," + std::to_string(s.max_h) + "}";
  switch (s.trav) {
    case 0:
      m += "  $a k" + hops + " $b";
      break;
    case 1:
      m += "  $a <k>" + hops + " $b";
      break;
    case 2:
      m += "  $b k" + hops + " $a";
      break;
    case 3:
      m += "  $a $e:k $b";
      break;
    case 4:
      m += "  $a $e:<k> $b";
      break;
  }
  if (s.w_filter >= 0) m += "  $e.w >= " + std::to_string(s.w_filter);
  if (s.trav >= 0) {
    if (s.b_filter == 0) m += "  $b.age < " + std::to_string(s.b_filter_n);
    if (s.b_filter == 1) m += "  $b.grp = \"y\"";
    if (s.b_filter == 2)
      m += "  $b: P { name: \"n" + std::to_string(s.b_filter_n) + "\" }";  // a key probe on $b
  }
  if (s.neg == 0) m += "  not { $a k $_ }";
  if (s.neg == 1) m += "  not { $a.age > " + std::to_string(s.neg_n) + " }";
  if (s.neg == 2) m += "  not { $b k $a }";
  std::string r;
  bool has_b = s.trav >= 0;
  if (s.ret == 0) r = has_b ? "$a.name, $b.name" : "$a.name, $a.age";
  if (s.ret == 1) r = has_b ? "$a.name, count($b) as c" : "$a.grp, count($a) as c";
  if (s.ret == 2) r = "count($a) as c";
  std::string q = "query q() { match { " + m + " } return { " + r + " }";
  if (s.order) q += " order { $a.age desc }";
  if (s.limit > 0) q += " limit " + std::to_string(s.limit);
  return q + " }";
}

// §6.3 reachability, written directly from the spec's pseudo-code.
std::vector<size_t> reach(const World& w, size_t s, int dir, int min_h, int max_h) {
  std::set<size_t> visited{s}, emitted;
  std::vector<size_t> out, frontier{s};
  for (int hop = 1; hop <= max_h && !frontier.empty(); ++hop) {
    std::vector<size_t> next;
    for (size_t node : frontier) {
      std::vector<size_t> nbrs;
      for (const auto& e : w.edges) {
        if ((dir == 0 || dir == 1) && e.src == node) nbrs.push_back(e.dst);
        if ((dir == 2 || dir == 1) && e.dst == node) nbrs.push_back(e.src);
      }
      for (size_t n : nbrs) {
        if (n == node) {
          if (hop >= min_h && emitted.insert(n).second) out.push_back(n);
          continue;
        }
        if (visited.insert(n).second) {
          next.push_back(n);
          if (hop >= min_h && emitted.insert(n).second) out.push_back(n);
        }
      }
    }
    frontier = next;
  }
  return out;
}

std::string jstr(const std::string& s) {
  return "\"" + s + "\"";
}
std::string jopt(const std::optional<int>& v) {
  return v ? std::to_string(*v) : "null";
}

Rows reference(const World& w, const Spec& s) {
  struct Row {
    size_t a;
    std::optional<size_t> b, e;
  };
  std::vector<Row> rows;
  for (size_t a = 0; a < w.nodes.size(); ++a) {
    const RNode& n = w.nodes[a];
    if (s.inline_age && n.age != s.inline_age) continue;
    if (s.a_filter == 0 && !(n.age && *n.age > s.a_filter_n)) continue;
    if (s.a_filter == 1 && n.grp != std::optional<std::string>("x")) continue;
    if (s.a_filter == 2 && !(n.age && *n.age != s.a_filter_n)) continue;
    if (s.a_filter == 3 && n.name.rfind("n1", 0) != 0) continue;
    if (s.trav < 0) {
      rows.push_back({a, {}, {}});
    } else if (s.trav == 3 || s.trav == 4) {
      for (size_t i = 0; i < w.edges.size(); ++i) {
        if (w.edges[i].src == a)
          rows.push_back({a, w.edges[i].dst, i});
        else if (s.trav == 4 && w.edges[i].dst == a)
          rows.push_back({a, w.edges[i].src, i});
      }
    } else {
      int dir = s.trav == 0 ? 0 : s.trav == 1 ? 1 : 2;
      for (size_t b : reach(w, a, dir, s.min_h, s.max_h)) rows.push_back({a, b, {}});
    }
  }
  std::vector<Row> kept;
  for (const auto& r : rows) {
    if (s.w_filter >= 0 && !(w.edges[*r.e].w && *w.edges[*r.e].w >= s.w_filter)) continue;
    if (r.b && s.b_filter == 0 && !(w.nodes[*r.b].age && *w.nodes[*r.b].age < s.b_filter_n)) continue;
    if (r.b && s.b_filter == 1 && w.nodes[*r.b].grp != std::optional<std::string>("y")) continue;
    if (r.b && s.b_filter == 2 && w.nodes[*r.b].name != "n" + std::to_string(s.b_filter_n)) continue;
    if (s.neg == 0 && !reach(w, r.a, 0, 1, 1).empty()) continue;
    if (s.neg == 1 && w.nodes[r.a].age && *w.nodes[r.a].age > s.neg_n) continue;
    if (s.neg == 2) {
      auto from_b = reach(w, *r.b, 0, 1, 1);
      if (std::find(from_b.begin(), from_b.end(), r.a) != from_b.end()) continue;
    }
    kept.push_back(r);
  }
  if (s.order) {
    std::stable_sort(kept.begin(), kept.end(), [&](const Row& x, const Row& y) {
      const auto& ax = w.nodes[x.a].age;
      const auto& ay = w.nodes[y.a].age;
      if (ax != ay) return ay < ax;  // desc: nulls last (std::optional: nullopt is smallest)
      if (w.nodes[x.a].name != w.nodes[y.a].name) return w.nodes[x.a].name < w.nodes[y.a].name;
      if (x.b && w.nodes[*x.b].name != w.nodes[*y.b].name) return w.nodes[*x.b].name < w.nodes[*y.b].name;
      if (x.e) return w.edges[*x.e].id < w.edges[*y.e].id;
      return false;
    });
  }
  Rows out;
  if (s.ret == 0) {
    for (const auto& r : kept)
      out.push_back({jstr(w.nodes[r.a].name), r.b ? jstr(w.nodes[*r.b].name) : jopt(w.nodes[r.a].age)});
  } else if (s.ret == 1) {
    std::map<std::string, int64_t> groups;
    for (const auto& r : kept) {
      std::string key = r.b ? jstr(w.nodes[r.a].name) : (w.nodes[r.a].grp ? jstr(*w.nodes[r.a].grp) : "null");
      ++groups[key];
    }
    for (const auto& [k, c] : groups) out.push_back({k, std::to_string(c)});
  } else {
    out.push_back({std::to_string(kept.size())});
  }
  if (s.limit > 0 && out.size() > static_cast<size_t>(s.limit)) out.resize(static_cast<size_t>(s.limit));
  return out;
}

TEST(QueryProperty, RandomQueriesMatchTheReferenceEvaluator) {
  std::mt19937 rng(20261124);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int compared = 0, nonempty = 0;
  for (int round = 0; round < 300; ++round) {
    World w;
    FakeGraph g(kSchema);
    int n = pick(0, 7);
    for (int i = 0; i < n; ++i) {
      RNode node{"n" + std::to_string(i), {}, {}};
      if (pick(0, 3)) node.age = pick(0, 5);
      if (pick(0, 2)) node.grp = pick(0, 1) ? "x" : "y";
      std::map<std::string, Value> props{{"name", Value{node.name}}};
      if (node.age) props["age"] = Value{int64_t{*node.age}};
      if (node.grp) props["grp"] = Value{*node.grp};
      g.node("P", props);
      w.nodes.push_back(node);
    }
    int m = n ? pick(0, 12) : 0;
    for (int i = 0; i < m; ++i) {
      REdge e{static_cast<size_t>(pick(0, n - 1)), static_cast<size_t>(pick(0, n - 1)), {}, ""};
      if (pick(0, 2)) e.w = pick(0, 3);
      e.id = "e" + std::to_string(1000 + i);
      std::map<std::string, Value> props;
      if (e.w) props["w"] = Value{int64_t{*e.w}};
      g.edge("K", w.nodes[e.src].name, w.nodes[e.dst].name, props, e.id);
      w.edges.push_back(e);
    }
    g.freeze();
    for (int k = 0; k < 10; ++k) {
      Spec s;
      if (pick(0, 4) == 0) s.inline_age = pick(0, 5);
      if (pick(0, 1)) {
        s.a_filter = pick(0, 3);
        s.a_filter_n = pick(0, 5);
      }
      if (pick(0, 3)) {
        s.trav = pick(0, 4);
        if (s.trav < 3) {
          s.min_h = pick(1, 3);
          s.max_h = s.min_h + pick(0, 2);
        } else if (pick(0, 1)) {
          s.w_filter = pick(0, 3);
        }
        if (pick(0, 1)) {
          s.b_filter = pick(0, 2);
          s.b_filter_n = pick(0, 5);
        }
      }
      if (pick(0, 2) == 0) {
        s.neg = pick(0, s.trav >= 0 ? 2 : 1);
        s.neg_n = pick(0, 5);
      }
      s.ret = pick(0, 2);
      if (s.ret == 0 && pick(0, 1)) {
        s.order = true;
        if (pick(0, 1)) s.limit = pick(1, 4);
      }
      std::string q = query_text(s);
      Rows expected = reference(w, s);
      Rows actual = run(g, q);
      if (!s.order) {
        expected = sorted(expected);
        actual = sorted(actual);
      }
      ASSERT_EQ(actual, expected) << "query: " << q << "\nround " << round;
      ++compared;
      if (!expected.empty() && expected[0][0] != "0") ++nonempty;
    }
  }
  EXPECT_EQ(compared, 3000);
  EXPECT_GT(nonempty, 700);  // the generator exercises real results, not only empty ones
  std::printf("compared %d queries, %d with non-empty results\n", compared, nonempty);
}

}  // namespace
}  // namespace omnigraph::engine::testing
