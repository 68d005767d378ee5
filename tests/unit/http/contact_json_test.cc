// The contact's JSON text is written by hand (http/codec.cc); a JSON parser must read back
// every value as it was, whatever characters it holds.
#include <gtest/gtest.h>

#include "http/codec.h"

namespace dialbook::http {
namespace {

TEST(ContactJsonText, EveryCharacterReadsBack) {
  std::string every;  // each byte below 0x80, then some UTF-8
  for (int ch = 1; ch < 0x80; ++ch) every += static_cast<char>(ch);
  every += "Zoë 😀 O'Brien \"quoted\" back\\slash";
  Contact c;
  c.id = 42;
  c.first_name = every;
  c.last_name = "";
  c.notes = "line 1\nline 2\r\n\ttabbed \x01\x1f end";
  c.company = "plain";
  c.phone = "+14155550100";
  c.tags = {"a\"b", "c\\d"};
  c.custom_fields = {{"note", "x\ny"}, {"score", "12"}};
  c.created_at = 1795392000123;
  c.updated_at = 1795392000000;
  c.consent.status = "granted";
  c.consent.at = -500;
  FieldDef score;
  score.key = "score";
  score.type = FieldType::kInteger;
  const std::string text = ContactJsonText(c, {score});
  json j = json::parse(text);  // throws on a malformed escape
  EXPECT_EQ(j["id"], 42);
  EXPECT_EQ(j["first_name"], every);
  EXPECT_EQ(j["last_name"], "");
  EXPECT_EQ(j["notes"], c.notes);
  EXPECT_EQ(j["company"], "plain");
  EXPECT_EQ(j["tags"], json::array({"a\"b", "c\\d"}));
  EXPECT_EQ(j["custom_fields"]["note"], "x\ny");
  EXPECT_EQ(j["custom_fields"]["score"], 12);
  EXPECT_EQ(j["created_at"], "2026-11-23T00:00:00.123Z");
  EXPECT_EQ(j["updated_at"], "2026-11-23T00:00:00.000Z");
  EXPECT_EQ(j["consent"]["at"], "1969-12-31T23:59:59.500Z");
  EXPECT_TRUE(j["deleted_at"].is_null());
  EXPECT_TRUE(j["department"].is_null());
  // Control characters are escaped, never written raw.
  for (char ch : text) EXPECT_GE(static_cast<unsigned char>(ch), 0x20) << text;
}

}  // namespace
}  // namespace dialbook::http
