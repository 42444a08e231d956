// The HTTP embedding client against a local cpp-httplib server on 127.0.0.1 speaking the
// OpenAI and Gemini shapes: success, retries on 5xx/429, no retry on 4xx, slow responses
// (per-request timeout), invalid vectors. Never the real internet.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/error.h"
#include "engine/search/embedding.h"
#include "engine/search/embedding_client.h"

namespace omnigraph::engine::search {
namespace {

using nlohmann::json;

class EmbedServer : public ::testing::Test {
 protected:
  void SetUp() override {
    server.Post("/v1/embeddings", [this](const httplib::Request& req, httplib::Response& res) {
      int n = ++calls;
      {
        std::lock_guard lock(mu);  // requests can be served concurrently
        last_auth = req.get_header_value("Authorization");
        last_body = req.body;
        remote_ports.push_back(req.remote_port);
      }
      if (n <= fail_first) {
        res.status = fail_status;
        return;
      }
      if (slow_ms) std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms));
      if (slow_text_ms && req.body.find("\"slow\"") != std::string::npos)
        std::this_thread::sleep_for(std::chrono::milliseconds(slow_text_ms));
      res.set_content(reply.dump(), "application/json");
    });
    server.Post("/gem/models/gm:embedContent", [this](const httplib::Request& req, httplib::Response& res) {
      ++calls;
      last_auth = req.get_header_value("x-goog-api-key");
      last_body = req.body;
      res.set_content(json{{"embedding", {{"values", {0.0, 2.0}}}}}.dump(), "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    config = {"openai-compatible", "m1", "http://127.0.0.1:" + std::to_string(port) + "/v1", "k"};
    options.backoff_ms = 1;
    options.attempts = 3;
    options.timeout_ms = 5000;
  }
  void TearDown() override {
    server.stop();
    thread.join();
  }
  std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.message();
    }
    return "";
  }
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<int> calls{0};
  int fail_first = 0;
  int fail_status = 500;
  std::atomic<int> slow_ms{0};
  std::atomic<int> slow_text_ms{0};  // delay for requests embedding the text "slow" only
  json reply = {{"data", {{{"index", 0}, {"embedding", {3.0, 4.0}}}}}};
  std::string last_auth, last_body;
  std::mutex mu;                  // guards last_auth, last_body, remote_ports
  std::vector<int> remote_ports;  // the client's port per request: equal ports = reused connection
  size_t recorded() {
    std::lock_guard lock(mu);
    return remote_ports.size();
  }
  EmbeddingConfig config;
  EmbedClientOptions options;
};

TEST_F(EmbedServer, OpenAiShapeAndNormalisation) {
  auto v = embed_text(config, "hello", 2, true, options);
  EXPECT_FLOAT_EQ(v[0], 0.6f);
  EXPECT_FLOAT_EQ(v[1], 0.8f);
  EXPECT_EQ(last_auth, "Bearer k");
  EXPECT_EQ(json::parse(last_body), (json{{"model", "m1"}, {"input", {"hello"}}, {"dimensions", 2}}));
}

TEST_F(EmbedServer, GeminiShape) {
  EmbeddingConfig g{"gemini", "gm", "http://127.0.0.1:" + std::to_string(port) + "/gem", "gk"};
  auto v = embed_text(g, "doc", 2, false, options);
  EXPECT_EQ(v, (std::vector<float>{0.0f, 1.0f}));
  EXPECT_EQ(last_auth, "gk");
  json b = json::parse(last_body);
  EXPECT_EQ(b["taskType"], "RETRIEVAL_DOCUMENT");
  EXPECT_EQ(b["model"], "models/gm");
  EXPECT_EQ(b["outputDimensionality"], 2);
  EXPECT_EQ(b["content"]["parts"][0]["text"], "doc");
}

TEST_F(EmbedServer, RetriesServerErrorsAnd429) {
  fail_first = 2;
  EXPECT_EQ(embed_text(config, "x", 2, true, options).size(), 2u);
  EXPECT_EQ(calls, 3);
  calls = 0;
  fail_status = 429;
  EXPECT_EQ(embed_text(config, "x", 2, true, options).size(), 2u);
  EXPECT_EQ(calls, 3);
  calls = 0;
  fail_first = 5;  // more failures than attempts
  EXPECT_NE(error_of([&] { embed_text(config, "x", 2, true, options); }).find("failed after retries: HTTP 429"),
            std::string::npos);
  EXPECT_EQ(calls, 3);
}

TEST_F(EmbedServer, NoRetryOnClientErrorOrInvalidVector) {
  fail_first = 1;
  fail_status = 401;
  EXPECT_NE(error_of([&] { embed_text(config, "x", 2, true, options); }).find("HTTP 401"), std::string::npos);
  EXPECT_EQ(calls, 1);
  calls = 0;
  fail_first = 0;
  reply = {{"data", {{{"index", 0}, {"embedding", {0.0, 0.0}}}}}};
  EXPECT_EQ(error_of([&] { embed_text(config, "x", 2, true, options); }), "embedding is an all-zero vector");
  EXPECT_EQ(calls, 1);
  calls = 0;
  EXPECT_NE(error_of([&] { embed_text(config, "x", 3, true, options); }).find("expected 3"), std::string::npos);
}

TEST_F(EmbedServer, SlowResponsesTimeOutPerRequestAndAreRetried) {
  slow_ms = 800;  // far beyond the per-request timeout, so loaded machines do not matter
  options.timeout_ms = 150;
  options.attempts = 2;
  EXPECT_NE(error_of([&] { embed_text(config, "x", 2, true, options); }).find("failed after retries"),
            std::string::npos);
  EXPECT_EQ(calls, 2);
}

TEST_F(EmbedServer, ConnectionRefusedIsRetriedThenReported) {
  EmbeddingConfig dead{"openai", "m", "http://127.0.0.1:1/v1", "k"};
  EXPECT_NE(error_of([&] { embed_text(dead, "x", 2, true, options); }).find("embedding provider openai failed after retries"),
            std::string::npos);
}

TEST(EmbedOptions, FromEnv) {
  auto env = [](const char* n) -> const char* {
    std::string s = n;
    if (s == "OMNIGRAPH_EMBED_TIMEOUT_MS") return "0";  // invalid → default
    if (s == "OMNIGRAPH_EMBED_RETRY_ATTEMPTS") return " 7 ";
    if (s == "OMNIGRAPH_EMBED_DEADLINE_MS") return "0";  // unbounded
    if (s == "OMNIGRAPH_EMBED_RETRY_BACKOFF_MS") return "abc";
    return nullptr;
  };
  auto o = EmbedClientOptions::from_env(env);
  EXPECT_EQ(o.timeout_ms, 30000);
  EXPECT_EQ(o.attempts, 7);
  EXPECT_EQ(o.deadline_ms, 0);
  EXPECT_EQ(o.backoff_ms, 200);
}

TEST_F(EmbedServer, ClientCachesQueryEmbeddingsButNotDocuments) {
  EmbeddingClient client(config, options);
  auto a = client.embed_query("hello", 2);
  auto b = client.embed_query("hello", 2);
  EXPECT_EQ(a, b);
  EXPECT_EQ(calls.load(), 1);
  client.embed_query("other", 2);
  EXPECT_EQ(calls.load(), 2);
  client.embed_document("hello", 2);
  client.embed_document("hello", 2);
  EXPECT_EQ(calls.load(), 4);
}

TEST_F(EmbedServer, ClientReusesOneConnection) {
  EmbeddingClient client(config, options);
  client.embed_document("a", 2);
  client.embed_document("b", 2);
  client.embed_query("c", 2);
  ASSERT_EQ(remote_ports.size(), 3u);
  EXPECT_EQ(remote_ports[0], remote_ports[1]);
  EXPECT_EQ(remote_ports[1], remote_ports[2]);
  // Without a client each call opens its own connection.
  embed_text(config, "d", 2, true, options);
  embed_text(config, "e", 2, true, options);
  ASSERT_EQ(remote_ports.size(), 5u);
  EXPECT_NE(remote_ports[3], remote_ports[4]);
}

TEST_F(EmbedServer, ConcurrentRequestsDoNotWaitForASlowOne) {
  EmbeddingClient client(config, options);
  client.embed_document("warm", 2);  // one idle kept-alive handle
  slow_text_ms = 300;
  std::thread slow([&] { client.embed_document("slow", 2); });
  while (recorded() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // The slow request holds the kept handle; this one opens its own instead of queueing, so
  // the server sees it (from another port) while the slow one is still being served.
  client.embed_document("fast", 2);
  EXPECT_EQ(calls.load(), 3);
  slow.join();
  ASSERT_EQ(remote_ports.size(), 3u);
  EXPECT_EQ(remote_ports[0], remote_ports[1]);
  EXPECT_NE(remote_ports[2], remote_ports[1]);
}

TEST_F(EmbedServer, ClientDoesNotCacheFailures) {
  EmbeddingClient client(config, options);
  fail_first = 3;  // all three attempts fail
  EXPECT_NE(error_of([&] { client.embed_query("x", 2); }).find("failed after retries"), std::string::npos);
  auto v = client.embed_query("x", 2);  // the fourth request succeeds
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(calls.load(), 4);
}

}  // namespace
}  // namespace omnigraph::engine::search
