// The configuration file HOME/jimu.conf, read only here in cli/ (STYLE.md): an INI file with the
// sections [store], [files], [limits], [kpi], [calendar] and [mail.NAME] (one per mail account;
// its password, like the store's, lives in the secrets file, secrets.h). Unknown sections or keys
// are errors naming the line, so a typo never silently leaves a default in force.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu::cli {

struct Config {
  std::string path;
  std::map<std::string, std::string> values;  // "section.key" -> value
  std::map<std::string, int> lines;           // "section.key" -> line in the file

  std::string get(const std::string& key, const std::string& fallback = "") const;
  // A list separated by ';' or ',' with blanks trimmed.
  std::vector<std::string> list(const std::string& key) const;
};

// The file written on first use, with every setting explained.
extern const char* const kDefaultConfig;

Result<Config> load_config(const std::string& path);

}  // namespace jimu::cli
