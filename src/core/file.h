// Whole-file helpers for the few places that read or write a file at once (vCard uploads,
// error files, templates). Thread-safe.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace dialbook {

// The file's bytes; kNotFound when it cannot be opened, kPayloadTooLarge past max bytes.
Result<std::string> ReadFileBytes(const std::string& path, size_t max);
// Writes data to path (replacing it) and syncs it to disk; false on any failure.
bool WriteFileDurably(const std::string& path, std::string_view data);

}  // namespace dialbook
