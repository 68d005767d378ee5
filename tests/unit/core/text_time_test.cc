#include <gtest/gtest.h>

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
  EXPECT_EQ(FormatTime(1795392000000 + 36000000), "2026-11-23T10:00:00Z");
  EXPECT_EQ(FormatTime(-500), "1969-12-31T23:59:59.500Z");  // before 1970: floor, not truncation
  EXPECT_EQ(FormatTime(*ParseTime("1969-07-20T20:17:40Z")), "1969-07-20T20:17:40Z");
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026-11-23T10:00", "2026-11-23T10:00:00", "tomorrow",
                          "2026-11-23T25:00:00Z"})
    EXPECT_FALSE(ParseTime(bad)) << bad;
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
}

}  // namespace
}  // namespace dialbook
