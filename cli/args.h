// A small command-line parser for jimu's subcommands: declared options, --help text generated
// from the same declarations, and usage errors that name the option.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu::cli {

struct OptSpec {
  std::string name;        // "param" for --param
  std::string value_name;  // "K=V"; empty for a flag
  std::string help;
  bool repeat = false;
};

struct CmdSpec {
  std::string name;   // "run", "operations add"
  std::string usage;  // "FILE.lua [options]"
  std::string summary;
  std::vector<OptSpec> options;
  std::string details;  // printed after the options
  size_t min_positional = 0;
  size_t max_positional = 0;
};

class Args {
 public:
  bool help = false;
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;

  bool has(const std::string& name) const { return values.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  const std::vector<std::string>& all(const std::string& name) const;
};

// Parses args (after the command words). --home and --help are accepted by every command.
Result<Args> parse_args(const CmdSpec& spec, const std::vector<std::string>& args);
std::string help_text(const CmdSpec& spec);

}  // namespace jimu::cli
