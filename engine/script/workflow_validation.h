// Validation of the table a workflow file returns: one Diagnostic per mistake, each with the
// line of the offending key where the source shows it. Internal to the script layer.
#pragma once

#include <lua.hpp>

#include <string>
#include <vector>

#include "engine/script/workflow_def.h"

namespace jimu {

// Reads the table at idx into def, appending a Diagnostic for every mistake.
void validate_workflow_table(lua_State* L, int idx, const std::string& file,
                             const std::string& source, int call_line, WorkflowDef* def,
                             std::vector<Diagnostic>* problems);

// Splits Lua's "file:line: message" into a Diagnostic for file.
Diagnostic diagnostic_from_lua_message(const std::string& file, const std::string& message);

// The line (1-based) at or after from_line where `key =` appears in source; from_line if none.
int line_of_key(const std::string& source, const std::string& key, int from_line);

}  // namespace jimu
