#include "cli/args.h"

#include <sstream>

namespace jimu::cli {

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& Args::all(const std::string& name) const {
  static const std::vector<std::string> empty;
  auto it = values.find(name);
  return it == values.end() ? empty : it->second;
}

Result<Args> parse_args(const CmdSpec& spec, const std::vector<std::string>& args) {
  Args out;
  std::vector<OptSpec> options = spec.options;
  options.push_back({"home", "DIR", ""});
  const std::string see = " (see 'jimu " + spec.name + " --help')";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
      continue;
    }
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2);
      std::optional<std::string> inline_value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      const OptSpec* opt = nullptr;
      for (const auto& o : options) {
        if (o.name == name) opt = &o;
      }
      if (opt == nullptr) return Status::invalid("unknown option '--" + name + "'" + see);
      if (opt->value_name.empty()) {
        if (inline_value) return Status::invalid("option '--" + name + "' takes no value" + see);
        out.values[name].push_back("true");
        continue;
      }
      std::string value;
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return Status::invalid("option '--" + name + "' needs a value (" + opt->value_name + ")" + see);
      }
      if (!opt->repeat && out.values.count(name) && name != "home") {
        return Status::invalid("option '--" + name + "' given twice" + see);
      }
      out.values[name].push_back(value);
      continue;
    }
    out.positional.push_back(a);
  }
  if (out.help) return out;
  if (out.positional.size() < spec.min_positional) {
    return Status::invalid("missing argument: usage: jimu " + spec.name + " " + spec.usage + see);
  }
  if (out.positional.size() > spec.max_positional) {
    return Status::invalid("unexpected argument '" + out.positional[spec.max_positional] +
                           "': usage: jimu " + spec.name + " " + spec.usage + see);
  }
  return out;
}

std::string help_text(const CmdSpec& spec) {
  std::ostringstream o;
  o << "usage: jimu " << spec.name << " " << spec.usage << "\n\n" << spec.summary << "\n";
  std::vector<OptSpec> options = spec.options;
  options.push_back({"home", "DIR", "jimu's home folder (store, configuration, run outputs); "
                                    "default $JIMU_HOME, else ~/.local/share/jimu"});
  options.push_back({"help", "", "show this help"});
  o << "\noptions:\n";
  for (const auto& opt : options) {
    std::string left = "  --" + opt.name + (opt.value_name.empty() ? "" : " " + opt.value_name);
    if (left.size() < 26) left += std::string(26 - left.size(), ' ');
    else left += "\n" + std::string(26, ' ');
    o << left << opt.help << (opt.repeat ? " (repeatable)" : "") << "\n";
  }
  if (!spec.details.empty()) o << "\n" << spec.details << "\n";
  return o.str();
}

}  // namespace jimu::cli
