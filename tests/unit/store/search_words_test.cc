// How the SQLite backend cuts text into search words (index side and query side).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/text.h"
#include "store/sqlite/internal.h"

namespace dialbook::sqlite {
namespace {

using Words = std::vector<std::string>;

TEST(SearchWords, FoldsAndCutsAtNonWordCharacters) {
  EXPECT_EQ(SearchWords("José  Müller-Smith"), (Words{"jose", "muller", "smith"}));
  EXPECT_EQ(SearchWords("pepe@example.com"), (Words{"pepe", "example", "com"}));
  EXPECT_EQ(SearchWords("§ t1 \xC2\xA7t2"), (Words{"t1", "t2"}));  // § is never part of a word
}

TEST(SearchWords, ApostrophesJoinPartsForTheIndexAndTheQuery) {
  EXPECT_EQ(SearchWords("O'Connor"), (Words{"o", "connor", "oconnor"}));
  EXPECT_EQ(SearchWords("D\u2019Angelo Dell'Acqua"), (Words{"d", "angelo", "dangelo", "dell", "acqua", "dellacqua"}));
  EXPECT_EQ(SearchWords("O'C", WordsFor::kQuery), (Words{"oc"}));
  EXPECT_EQ(SearchWords("o\u2019conn smith", WordsFor::kQuery), (Words{"oconn", "smith"}));
  // Not between word characters: an ordinary separator.
  EXPECT_EQ(SearchWords("rock 'n' roll"), (Words{"rock", "n", "roll"}));
  EXPECT_EQ(SearchWords("O'", WordsFor::kQuery), (Words{"o"}));
  EXPECT_EQ(SearchWords("O''Connor"), (Words{"o", "connor"}));
}

TEST(SearchWords, AsciiWordCharactersAreLettersAndDigitsOnly) {
  // ASCII is classified without ICU: every other printable character separates words.
  std::string all;
  for (char ch = 0x21; ch < 0x7F; ++ch)
    if (ch != '\'') all += std::string("x") + ch + "y ";
  Words expected;
  for (char ch = 0x21; ch < 0x7F; ++ch) {
    if (ch == '\'') continue;
    const bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    const char folded = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    if (word) expected.push_back(std::string("x") + folded + "y");
    else expected.insert(expected.end(), {"x", "y"});
  }
  EXPECT_EQ(SearchWords(all), expected);
  EXPECT_EQ(SearchWords("a_b~c\x7F"), (Words{"a", "b", "c"}));
  // Beyond ASCII, ICU's classes: ß folds to ss; ² (a number) and Ⅰ (a letter number) are word characters.
  EXPECT_EQ(SearchWords("\xC3\x9F" "e 2\xC2\xB2 \xE2\x85\xA0x \xC2\xA1"), (Words{"sse", "2\xC2\xB2", "\xE2\x85\xA0x"}));
}

// The phone row of a contact holds the tokens of every number's digits (PhoneIndexTokens),
// each once, and the numbers' digits.
TEST(SearchRows, PhoneRowHoldsEveryNumbersTokensOnce) {
  Contact c;
  c.phone = "+14155550123";
  c.phones = {{"work", "+442071838750", "", "", ""}, {"old", "+14155550123", "", "", ""}, {"x", "+123", "", "", ""},
              {"y", "+12", "", "", ""}};
  const int64_t ws = 1234567;
  const SearchRows rows = DeriveSearchRows(ws, c);
  std::multiset<std::string> got;
  for (auto& t : Split(rows.phone_body, ' '))
    if (!t.empty()) got.insert(t);
  std::set<std::string> want;
  for (const std::string& n : {c.phone, c.phones[0].number, c.phones[1].number, c.phones[2].number})
    for (auto& t : PhoneIndexTokens(ws, DigitsOnly(n))) want.insert(t);
  EXPECT_EQ(got, std::multiset<std::string>(want.begin(), want.end()));
  EXPECT_TRUE(got.contains(SearchTokenPrefix(ws) + "0123"));
  EXPECT_TRUE(got.contains(SearchTokenPrefix(ws) + "123"));  // the last 3 digits, and the 3-digit number
  EXPECT_EQ(rows.digits, "14155550123 442071838750 14155550123 123");
}

// The words row holds each word once, in the order first seen, also past the short-list
// path (notes of many words); the prefixes counted are those of the distinct words.
TEST(SearchRows, WordsRowHoldsEachWordOnce) {
  const int64_t ws = 42;
  const std::string p = SearchTokenPrefix(ws);
  Contact c;
  c.first_name = "Anna";
  c.last_name = "Lee";
  c.email = "anna.lee@lee.example";
  c.state = "CA";
  c.notes = "";
  EXPECT_EQ(DeriveSearchRows(ws, c).words, p + "anna " + p + "lee " + p + "example " + p + "ca ");
  std::string many;  // 60 words, each twice, then "anna"
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 30; ++i) many += "w" + std::to_string(i) + " ";
  c.notes = many + "anna";
  std::string want = p + "anna " + p + "lee " + p + "example " + p + "ca ";
  for (int i = 0; i < 30; ++i) want += p + "w" + std::to_string(i) + " ";
  const SearchRows rows = DeriveSearchRows(ws, c);
  EXPECT_EQ(rows.words, want);
  std::multiset<std::string> keys;
  for (auto& k : Split(rows.prefix_keys, ' '))
    if (!k.empty()) keys.insert(k);
  EXPECT_EQ(keys.count(p + "a"), 1u);
  EXPECT_EQ(keys.count(p + "w1"), 1u);
}

}  // namespace
}  // namespace dialbook::sqlite
