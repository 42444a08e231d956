// Shared helpers for engine unit tests: a temp graph directory and a small schema.
#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace omnigraph::engine::test {

class TempGraphDir {
 public:
  TempGraphDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("og-engine-" + std::to_string(rd()) + std::to_string(rd()));
  }
  ~TempGraphDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string uri() const { return (path_ / "g.omni").string(); }

 private:
  std::filesystem::path path_;
};

inline const char* kPeopleSchema = R"(
node Person {
  name: String @key
  age: I32?
  mood: enum(happy, sad)?
  email: String? @unique
  @range(age, 0..150)
  @check(email, "@")
}
node Company {
  name: String @key
}
edge WorksAt: Person -> Company @card(0..1)
edge Knows: Person -> Person
)";

}  // namespace omnigraph::engine::test
