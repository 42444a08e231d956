// `omnigraph version`: the release and the storage format's internal schema version.
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/command.h"
#include "common/version.h"

namespace omnigraph::cli {

CommandSpec add_version_command(CLI::App& parent, Io io) {
  CommandSpec spec{"version", Capability::kLocal};
  spec.app = parent.add_subcommand("version", "Print the CLI version and the storage format version");
  spec.run = [io] {
    io.out << "omnigraph " << kReleaseVersion << "\n";
    io.out << "internal-schema " << kStorageFormatVersion << "\n";
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
