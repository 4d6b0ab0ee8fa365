// Saving received attachments: only inside a given folder, under safe names, never overwriting.
//
// A sender controls attachment names, so a name is reduced to its last path component (both '/'
// and '\' count), control and Windows-reserved characters become '_', "." and ".." and leading
// dots are refused, and an existing file is never replaced: "a.csv" becomes "a-1.csv", "a-2.csv".
// Files are created with O_EXCL, so two savers cannot take the same name. Thread-safe.
#pragma once

#include <string>

#include "engine/core/status.h"

namespace jimu::mail {

// "../../etc/passwd" -> "passwd"; "" or ".." -> "attachment".
std::string safe_attachment_name(const std::string& name);

// Writes data to dir/safe_name (dir is created); returns the path written.
Result<std::string> save_attachment(const std::string& dir, const std::string& name,
                                    const std::string& data);

}  // namespace jimu::mail
