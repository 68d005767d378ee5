#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

#include "core/text.h"
#include "core/time.h"

namespace dialbook {
namespace {

TEST(Text, FoldStripsAccentsAndCase) {
  EXPECT_EQ(FoldForSearch("José ÁLVAREZ"), "jose alvarez");
  EXPECT_EQ(FoldForSearch("Łukasz Żółć"), "lukasz zolc");
  EXPECT_EQ(FoldForSearch("Straße"), "strasse");
  EXPECT_EQ(FoldForSearch("Ærø"), "aero");
  EXPECT_EQ(FoldForSearch("Jose\u0301 Mu\u0308ller"), "jose muller");  // decomposed (NFD)
}

TEST(Text, BlankIsWhatTrimEmpties) {
  for (const char* s : {"", " ", "\t\r\n ", "a", " a ", "\xC2\xA0", "\v"})
    EXPECT_EQ(IsBlank(s), Trim(s).empty()) << s;
  EXPECT_TRUE(IsBlank(" \t\r\n"));
  EXPECT_FALSE(IsBlank(" x"));
}

TEST(Text, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Zoë 😀 \xEF\xBF\xBD"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xE9t\xE9"));  // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // a surrogate
}

TEST(Text, HexEscapes) {
  EXPECT_EQ(DecodeHexEscapes("a%20b+c%zz%4", '%', true), "a b c%zz%4");
  EXPECT_EQ(DecodeHexEscapes("Caf=C3=A9 =3D", '=', false), "Café =");
  EXPECT_EQ(DecodeHexEscapes("1+1", '%', false), "1+1");
}

TEST(Time, ParsesAndFormats) {
  EXPECT_EQ(ParseTime("2026-11-23"), 1795392000000);
  EXPECT_EQ(ParseTime("2026-11-23T10:00:00Z"), 1795392000000 + 36000000);
  EXPECT_EQ(ParseTime("2026-11-23T12:00:00+02:00"), 1795392000000 + 36000000);
  EXPECT_EQ(ParseTime("2026-11-23T10:00:00.250Z"), 1795392000000 + 36000250);
  EXPECT_EQ(FormatTime(1795392000000 + 36000000), "2026-11-23T10:00:00.000Z");
  EXPECT_EQ(FormatTime(-500), "1969-12-31T23:59:59.500Z");  // before 1970: floor, not truncation
  EXPECT_EQ(FormatTime(*ParseTime("1969-07-20T20:17:40Z")), "1969-07-20T20:17:40.000Z");
  // Fixed width: times compare as strings, a whole second before the milliseconds after it
  // (without them, "…:40Z" sorted after "…:40.005Z").
  const int64_t whole = *ParseTime("2026-11-23T10:00:40Z");
  EXPECT_LT(FormatTime(whole), FormatTime(whole + 5));
  EXPECT_LT(FormatTime(whole - 1), FormatTime(whole));
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026-11-23T10:00", "2026-11-23T10:00:00", "tomorrow",
                          "2026-11-23T25:00:00Z"})
    EXPECT_FALSE(ParseTime(bad)) << bad;
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
}
// FormatTime is written by hand; it must print what gmtime_r + snprintf print, from year 0
// to 9999, before and after 1970, on and off whole seconds.
TEST(Time, FormatMatchesGmtime) {
  auto reference = [](int64_t millis) {
    int64_t secs = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000);
    int ms = static_cast<int>(millis - secs * 1000);
    time_t t = static_cast<time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return std::string(buf);
  };
  const int64_t first = -62167219200000;  // 0000-01-01T00:00:00Z
  const int64_t last = 253402300799999;   // 9999-12-31T23:59:59.999Z
  std::vector<int64_t> cases = {first, last, 0, -1, 1, 999, 1000, -1000, -86400000, 86400000 - 1,
                                951782400000 /* 2000-02-29 */, 4107456000000 /* 2100-02-28 */,
                                first - 1, last + 1 /* outside 0000-9999: the fallback */};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> any(first, last);
  for (int i = 0; i < 200000; ++i) {
    int64_t v = any(rng);
    cases.push_back(v);
    cases.push_back(v - v % 1000);  // whole seconds print .000 too
  }
  for (int64_t v : cases) ASSERT_EQ(FormatTime(v), reference(v)) << v;
  EXPECT_EQ(FormatTime(first), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTime(last), "9999-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace dialbook
