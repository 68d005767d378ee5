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

// Strings are scanned eight bytes at a time for a byte to escape: each such byte, at every
// offset of a long string and beside multi-byte characters, is still found.
TEST(ContactJsonText, AnEscapeIsFoundAtEveryOffset) {
  const std::string ascii = "abcdefgh ijklmnopqrstu";
  const std::string e_acute = "\xc3\xa9", smile = "\xf0\x9f\x98\x80";
  for (char esc : {'"', '\\', '\n', '\x01', '\x1f', '\t'}) {
    for (size_t at = 0; at <= 20; ++at) {
      const std::string head = ascii.substr(0, at), tail = ascii.substr(at);
      Contact c;
      c.first_name = head + esc + tail;
      c.last_name = e_acute + head + smile + esc + e_acute + tail + esc;  // beside multi-byte characters
      const std::string text = ContactJsonText(c, {});
      json j = json::parse(text);
      EXPECT_EQ(j["first_name"], c.first_name) << at << " " << int(esc);
      EXPECT_EQ(j["last_name"], c.last_name) << at << " " << int(esc);
      for (char ch : text) ASSERT_GE(static_cast<unsigned char>(ch), 0x20) << text;
    }
  }
  // 0x20 and 0x7f need no escape and are written as they are.
  Contact c;
  c.first_name = "12345678 \x7f 12345678";
  EXPECT_NE(ContactJsonText(c, {}).find("\"12345678 \x7f 12345678\""), std::string::npos);
}

}  // namespace
}  // namespace dialbook::http
