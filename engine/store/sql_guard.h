// store_guard: runs a store method's body and turns an SqlError into its Status (sql_error_status:
// conflict for a unique or serialization failure, else io naming the store), so no SQL exception
// leaves the store. Internal to engine/store.
#pragma once

#include <string>

#include "engine/core/status.h"
#include "engine/store/sql_db.h"

namespace jimu {

template <typename F>
auto store_guard(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SqlError& e) {
    return sql_error_status(e);
  }
}

}  // namespace jimu
