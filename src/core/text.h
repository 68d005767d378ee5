// Small text utilities shared by the domain, store and importer. Pure, thread-safe.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dialbook {

std::string Trim(std::string_view s);
// True when s is empty or only what Trim removes (spaces, tabs, line breaks).
bool IsBlank(std::string_view s);
std::string ToLowerAscii(std::string_view s);
// Lower-cases and strips Latin diacritics (é → e, ß → ss, and combining marks of decomposed
// text) for sort keys and matching.
std::string FoldForSearch(std::string_view utf8);
bool IsValidUtf8(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);
std::string DigitsOnly(std::string_view s);
// Decodes "<escape>XX" hex escapes (%41 in URLs, =41 in quoted-printable); with
// plus_is_space, '+' becomes ' ' (form encoding). Malformed escapes are kept as they are.
std::string DecodeHexEscapes(std::string_view s, char escape, bool plus_is_space);
// Appends the code point cp to out as UTF-8.
void AppendUtf8(uint32_t cp, std::string& out);

}  // namespace dialbook
