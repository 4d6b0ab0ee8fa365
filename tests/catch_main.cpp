// Catch2's main, in its own file: it takes seconds to compile (DEPENDENCIES.md).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
