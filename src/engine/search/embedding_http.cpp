// HTTP embedding client (data-plane §13.1/§13.2): wire shapes, timeouts, retries with backoff,
// and the reusable EmbeddingClient (one kept-alive libcurl handle, a query-embedding cache).
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/error.h"
#include "engine/search/embedding.h"
#include "engine/search/embedding_client.h"

namespace omnigraph::engine::search {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct HttpReply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
};

// libcurl's global state must be initialised once, before any handle, and not concurrently.
void ensure_curl_global() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// An easy handle: reused across requests when owned by an EmbeddingClient (keep-alive).
struct CurlHandle {
  CURL* curl = nullptr;
  CurlHandle() {
    ensure_curl_global();
    curl = curl_easy_init();
    if (!curl) throw Error::internal("curl_easy_init failed");
  }
  ~CurlHandle() { curl_easy_cleanup(curl); }
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;
};

HttpReply post(CURL* curl, const std::string& url, const std::vector<std::string>& headers, const std::string& body,
               int64_t timeout_ms) {
  HttpReply r;
  curl_easy_reset(curl);  // keeps the connection cache, drops the previous request's options
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(timeout_ms, 1)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  r.code = curl_easy_perform(curl);
  if (r.code == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(list);
  return r;
}

std::vector<float> parse_vector(const json& arr) {
  if (!arr.is_array()) throw Error::bad_request("embedding response has no vector");
  std::vector<float> v;
  v.reserve(arr.size());
  for (const auto& x : arr) {
    if (!x.is_number()) throw Error::bad_request("embedding response vector has a non-numeric component");
    v.push_back(x.get<float>());
  }
  return v;
}

std::vector<float> embed_with(CurlHandle* handle, const EmbeddingConfig& config, std::string_view text,
                              uint32_t dimension, bool query_role, const EmbedClientOptions& options);

}  // namespace

std::vector<float> embed_text(const EmbeddingConfig& config, std::string_view text, uint32_t dimension,
                              bool query_role, const EmbedClientOptions& options) {
  return embed_with(nullptr, config, text, dimension, query_role, options);
}

namespace {

// `handle` null = a fresh handle for this call.
std::vector<float> embed_with(CurlHandle* handle, const EmbeddingConfig& config, std::string_view text,
                              uint32_t dimension, bool query_role, const EmbedClientOptions& options) {
  if (config.provider == "mock") return mock_embedding(text, dimension);
  std::unique_ptr<CurlHandle> own;
  if (!handle) handle = (own = std::make_unique<CurlHandle>()).get();
  const bool gemini = config.provider == "gemini";
  std::string url;
  std::vector<std::string> headers = {"Content-Type: application/json"};
  json body;
  if (gemini) {
    url = config.base_url + "/models/" + config.model + ":embedContent";
    headers.push_back("x-goog-api-key: " + config.api_key);
    body = {{"model", "models/" + config.model},
            {"content", {{"parts", json::array({{{"text", std::string(text)}}})}}},
            {"taskType", query_role ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT"},
            {"outputDimensionality", dimension}};
  } else {
    url = config.base_url + "/embeddings";
    headers.push_back("Authorization: Bearer " + config.api_key);
    body = {{"model", config.model}, {"input", json::array({std::string(text)})}, {"dimensions", dimension}};
  }
  const std::string payload = body.dump();
  const auto start = Clock::now();
  auto remaining_ms = [&]() -> int64_t {
    if (options.deadline_ms == 0) return INT64_MAX;
    return options.deadline_ms -
           std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  };
  const std::string who = "embedding provider " + config.provider;
  std::string last_error;
  for (int attempt = 1; attempt <= std::max(1, options.attempts); ++attempt) {
    if (attempt > 1) {
      int64_t delay = options.backoff_ms << std::min(attempt - 2, 10);
      if (delay >= remaining_ms()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    }
    int64_t left = remaining_ms();
    if (left <= 0) break;
    HttpReply r = post(handle->curl, url, headers, payload, std::min(options.timeout_ms, left));
    if (r.code != CURLE_OK) {
      last_error = curl_easy_strerror(r.code);
      continue;  // connect / timeout / send errors are retried
    }
    if (r.status == 429 || r.status >= 500) {
      last_error = "HTTP " + std::to_string(r.status);
      continue;
    }
    if (r.status < 200 || r.status >= 300)
      throw Error::bad_request(who + " failed: HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200));
    json doc = json::parse(r.body, nullptr, false);
    if (doc.is_discarded()) throw Error::bad_request(who + " returned an undecodable body");
    std::vector<float> v;
    if (gemini) {
      if (!doc.contains("embedding") || !doc["embedding"].contains("values"))
        throw Error::bad_request(who + " response has no embedding.values");
      v = parse_vector(doc["embedding"]["values"]);
    } else {
      const json* found = nullptr;
      if (doc.contains("data") && doc["data"].is_array())
        for (const auto& d : doc["data"])
          if (d.value("index", -1) == 0 && d.contains("embedding")) found = &d["embedding"];
      if (!found) throw Error::bad_request(who + " response has no data[index=0].embedding");
      v = parse_vector(*found);
    }
    validate_and_normalize(v, dimension);
    return v;
  }
  throw Error::bad_request(who + " failed after retries: " + (last_error.empty() ? "deadline exceeded" : last_error));
}

constexpr size_t kQueryCacheEntries = 256;

}  // namespace

constexpr size_t kIdleHandles = 4;

struct EmbeddingClient::Impl {
  // Kept-alive handles not in use: a request takes one (or opens one) and gives it back, so
  // concurrent requests never wait on each other; at most kIdleHandles stay open.
  std::mutex idle_mu;
  std::vector<std::unique_ptr<CurlHandle>> idle;
  std::mutex cache_mu;
  std::map<std::pair<uint32_t, std::string>, std::vector<float>> cache;  // cleared when full

  std::vector<float> request(const EmbeddingConfig& config, std::string_view text, uint32_t dimension,
                             bool query_role, const EmbedClientOptions& options) {
    std::unique_ptr<CurlHandle> handle;
    {
      std::lock_guard lock(idle_mu);
      if (!idle.empty()) {
        handle = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (!handle) handle = std::make_unique<CurlHandle>();
    std::vector<float> v = embed_with(handle.get(), config, text, dimension, query_role, options);
    std::lock_guard lock(idle_mu);  // a handle whose request threw is dropped, not reused
    if (idle.size() < kIdleHandles) idle.push_back(std::move(handle));
    return v;
  }
};

EmbeddingClient::EmbeddingClient(EmbeddingConfig config, EmbedClientOptions options)
    : config_(std::move(config)), options_(options), impl_(std::make_unique<Impl>()) {}
EmbeddingClient::~EmbeddingClient() = default;

std::unique_ptr<EmbeddingClient> EmbeddingClient::from_env() {
  return std::make_unique<EmbeddingClient>(resolve_embedding_config(), EmbedClientOptions::from_env());
}

std::vector<float> EmbeddingClient::embed_document(std::string_view text, uint32_t dimension) {
  if (config_.provider == "mock") return mock_embedding(text, dimension);
  return impl_->request(config_, text, dimension, /*query_role=*/false, options_);
}

std::vector<float> EmbeddingClient::embed_query(std::string_view text, uint32_t dimension) {
  auto key = std::make_pair(dimension, std::string(text));
  {
    std::lock_guard lock(impl_->cache_mu);
    auto it = impl_->cache.find(key);
    if (it != impl_->cache.end()) return it->second;
  }
  std::vector<float> v;
  if (config_.provider == "mock") {
    v = mock_embedding(text, dimension);
  } else {
    v = impl_->request(config_, text, dimension, /*query_role=*/true, options_);
  }
  std::lock_guard lock(impl_->cache_mu);
  if (impl_->cache.size() >= kQueryCacheEntries) impl_->cache.clear();
  impl_->cache.emplace(std::move(key), v);
  return v;
}

}  // namespace omnigraph::engine::search
