// The secrets file HOME/secrets: passwords of mail accounts and the like, kept out of jimu.conf,
// workflow files, logs and the store. One "NAME=value" per line; the file is written with mode
// 0600 and refused when group or others may read it, so only jimu's user can. Managed with
// `jimu secret set|list|remove`. Read only by cli/. Not safe against concurrent writers (the
// last writer wins; writes are atomic renames, so a reader never sees half a file).
#pragma once

#include <map>
#include <string>

#include "engine/core/status.h"

namespace jimu::cli {

// The secrets by name; empty when the file does not exist. denied when its mode lets group or
// others read it; parse for a line without '='.
Result<std::map<std::string, std::string>> read_secrets(const std::string& path);

// Replaces the file atomically with mode 0600.
Status write_secrets(const std::string& path, const std::map<std::string, std::string>& secrets);

// A secret name: letters, digits, '.', '-', '_' (e.g. "mail.inbox").
bool valid_secret_name(const std::string& name);

}  // namespace jimu::cli
