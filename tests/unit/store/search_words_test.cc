// How the SQLite backend cuts text into search words (index side and query side).
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace dialbook::sqlite
