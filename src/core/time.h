// Time helpers: the library stores times as Unix milliseconds (int64) and shows them as
// RFC 3339 UTC strings. Thread-safe.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dialbook {

int64_t NowMillis();
// 2026-11-23T10:00:00.000Z: always the milliseconds, so that times compare as strings.
std::string FormatTime(int64_t millis);
// Accepts RFC 3339 (with Z or ±hh:mm offset, optional fraction) or YYYY-MM-DD (midnight UTC).
std::optional<int64_t> ParseTime(std::string_view text);
bool IsValidDate(std::string_view yyyy_mm_dd);

}  // namespace dialbook
