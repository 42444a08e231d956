// `omnigraph embed` (cli-and-cluster.md §A12.3): the offline JSONL embedding helper. Resolves the
// input/output/spec from a --seed manifest or from --input/--output/--spec and runs the pipeline.
#include <yaml-cpp/yaml.h>
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "common/yaml_util.h"
#include "engine/search/embed_pipeline.h"
#include "engine/search/embedding_client.h"

namespace omnigraph::cli {

namespace {

namespace fs = std::filesystem;
namespace search = omnigraph::engine::search;

struct EmbedFlags {
  std::string seed, input, output, spec;
  bool clean = false, reembed_all = false, json = false;
  std::vector<std::string> types, selects;
};

struct EmbedJob {
  std::string input, output, spec_json;
};

std::string read_text(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::not_found(std::string("cannot read ") + what + " '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A manifest path is relative to the manifest's directory.
std::string relative_to(const fs::path& base, const std::string& p) {
  fs::path path(p);
  return (path.is_absolute() ? path : base / path).lexically_normal().string();
}

EmbedJob job_from_manifest(const std::string& manifest_path) {
  YAML::Node root = yaml::load_file(manifest_path);
  const nlohmann::json doc = yaml::to_json(root);
  const fs::path base = fs::path(manifest_path).parent_path();
  auto string_at = [&](const char* a, const char* b) -> std::string {
    if (!doc.is_object() || !doc.contains(a) || !doc[a].is_object() || !doc[a].contains(b)) return {};
    const auto& v = doc[a][b];
    if (!v.is_string())
      throw Error::bad_request("embed manifest '" + manifest_path + "': " + a + "." + b +
                               " must be a string");
    return v.get<std::string>();
  };
  EmbedJob job;
  std::string raw = string_at("sources", "raw_seed");
  if (raw.empty()) raw = string_at("seed", "data");
  if (raw.empty())
    throw Error::bad_request("embed manifest '" + manifest_path +
                             "' needs sources.raw_seed (or legacy seed.data)");
  std::string out = string_at("artifacts", "embedded_seed");
  if (out.empty()) out = "./build/seed.embedded.jsonl";
  if (!doc.contains("embeddings") || !doc["embeddings"].is_object())
    throw Error::bad_request("embed manifest '" + manifest_path + "' needs an `embeddings` mapping");
  job.input = relative_to(base, raw);
  job.output = relative_to(base, out);
  job.spec_json = doc["embeddings"].dump();
  return job;
}

}  // namespace

CommandSpec add_embed_command(CLI::App& parent, Io io) {
  CommandSpec spec{"embed", Capability::kLocal};
  auto flags = std::make_shared<EmbedFlags>();
  auto* app =
      parent.add_subcommand("embed", "Offline JSONL embedding helper (fill, re-embed or clean vectors)");
  app->add_option("--seed", flags->seed,
                  "YAML seed manifest (sources.raw_seed, artifacts.embedded_seed, embeddings)");
  app->add_option("--input", flags->input, "Input JSONL (with --output and --spec)");
  app->add_option("--output", flags->output, "Output JSONL (written to <out>.tmp, then renamed)");
  app->add_option("--spec", flags->spec, "Embedding spec JSON: {dimension, types: {T: {target, fields}}}");
  app->add_flag("--clean", flags->clean, "Remove the target vector field instead of embedding");
  app->add_flag("--reembed-all", flags->reembed_all, "Re-embed every selected record");
  app->add_option("--type", flags->types, "Only records of this type (repeatable)");
  app->add_option("--select", flags->selects, "Re-embed records matching [Type:]field=value (repeatable)");
  app->add_flag("--json", flags->json, "Print the summary as JSON");
  spec.app = app;
  spec.run = [io, flags] {
    const EmbedFlags& f = *flags;
    if (f.clean && f.reembed_all) throw UsageError("--clean conflicts with --reembed-all");
    const bool any_direct = !f.input.empty() || !f.output.empty() || !f.spec.empty();
    EmbedJob job;
    if (!f.seed.empty()) {
      if (any_direct) throw UsageError("--seed conflicts with --input/--output/--spec");
      job = job_from_manifest(f.seed);
    } else {
      if (f.input.empty() || f.output.empty() || f.spec.empty())
        throw UsageError("embed needs --seed <PATH>, or --input, --output and --spec together");
      job.input = f.input;
      job.output = f.output;
      job.spec_json = read_text(f.spec, "spec file");
    }
    search::EmbedPipelineOptions options;
    options.mode = f.clean         ? search::EmbedMode::kClean
                   : f.reembed_all ? search::EmbedMode::kReembedAll
                                   : search::EmbedMode::kFillMissing;
    options.types = f.types;
    options.selects = f.selects;

    std::string model;
    search::Embedder embedder;
    if (options.mode != search::EmbedMode::kClean) {
      std::shared_ptr<search::EmbeddingClient> client = search::EmbeddingClient::from_env();
      model = client->config().model;
      embedder = [client](const std::string& text, uint32_t dimension) {
        return client->embed_document(text, dimension);
      };
    }
    const fs::path out_parent = fs::path(job.output).parent_path();
    if (!out_parent.empty()) fs::create_directories(out_parent);
    const search::EmbedSummary s =
        search::run_embed_pipeline(job.input, job.output, job.spec_json, options, model, embedder);
    if (f.json) {
      nlohmann::json doc = {{"input", s.input},
                            {"output", s.output},
                            {"records", s.records},
                            {"selected_records", s.selected_records},
                            {"embedded_records", s.embedded_records},
                            {"cleaned_records", s.cleaned_records},
                            {"mode", s.mode},
                            {"dimension", s.dimension},
                            {"model", s.model}};
      io.out << doc.dump() << "\n";
    } else {
      io.out << "embedded " << s.embedded_records << " records (selected " << s.selected_records
             << ", cleaned " << s.cleaned_records << ") from " << s.input << " -> " << s.output << " ["
             << s.mode << " " << s.dimension << "d]\n";
    }
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
