#include "domain/query.h"

#include <gtest/gtest.h>

namespace dialbook {
namespace {

TEST(Query, ParsesEveryFilter) {
  auto q = ParseContactQuery({{"q", " jo "}, {"tag", "vip,lead"}, {"tag", "new"}, {"tag_mode", "all"},
                              {"group", "Boston"}, {"created_after", "2026-01-01"},
                              {"created_before", "2026-02-01T10:00:00Z"}, {"starred", "true"},
                              {"dnc", "false"}, {"consent", "granted"}, {"source", "import"},
                              {"department", "Sales"}, {"cf.age.gte", "18"}, {"cf.plan", "gold"},
                              {"cf.notes.contains", "x"}, {"cf.score.empty", "true"},
                              {"sort", "-name"}, {"limit", "20"}, {"cursor", "abc"}});
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->filter.q, "jo");
  EXPECT_EQ(q->filter.tags, (std::vector<std::string>{"vip", "lead", "new"}));
  EXPECT_EQ(q->filter.tag_mode, TagMode::kAll);
  EXPECT_EQ(q->filter.groups, std::vector<std::string>{"Boston"});
  EXPECT_EQ(*q->filter.created_after, 1767225600000);
  EXPECT_TRUE(*q->filter.starred);
  EXPECT_FALSE(*q->filter.dnc);
  ASSERT_EQ(q->filter.cf.size(), 4u);
  EXPECT_EQ(q->filter.cf[0].key, "age");
  EXPECT_EQ(q->filter.cf[0].op, CfOp::kGte);
  EXPECT_EQ(q->filter.cf[1].op, CfOp::kEquals);
  EXPECT_EQ(q->filter.cf[2].op, CfOp::kContains);
  EXPECT_EQ(q->filter.cf[3].op, CfOp::kEmpty);
  EXPECT_EQ(q->sort, SortKey::kName);
  EXPECT_TRUE(q->descending);
  EXPECT_EQ(q->limit, 20);
  EXPECT_EQ(q->cursor, "abc");
}

TEST(Query, ErrorsNameTheParameter) {
  struct Case { const char* key; const char* value; };
  for (auto c : {Case{"limit", "0"}, Case{"limit", "501"}, Case{"limit", "x"}, Case{"sort", "phone"},
                 Case{"starred", "maybe"}, Case{"created_after", "yesterday"}, Case{"tag_mode", "some"},
                 Case{"consent", "yes"}, Case{"bogus", "1"}, Case{"cf.age.between", "1"},
                 Case{"source", "fax"}}) {
    auto q = ParseContactQuery({{c.key, c.value}});
    ASSERT_FALSE(q) << c.key;
    EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(q.error().details.at("field"), c.key);
  }
}

TEST(Query, PagingIsRefusedWhereNotAllowed) {
  EXPECT_FALSE(ParseContactQuery({{"limit", "5"}}, false));
  EXPECT_TRUE(ParseContactQuery({{"q", "x"}}, false));
}

TEST(Query, FilterRoundTripsThroughParams) {
  auto q = ParseContactQuery({{"q", "jo"}, {"tag", "a"}, {"tag", "b"}, {"tag_mode", "none"}, {"starred", "true"},
                              {"cf.age.lte", "3"}});
  ASSERT_TRUE(q);
  auto again = ParseContactQuery(FilterToParams(q->filter), false);
  ASSERT_TRUE(again);
  EXPECT_EQ(FilterToParams(again->filter), FilterToParams(q->filter));
}

TEST(Query, SplitName) {
  EXPECT_EQ(SplitName("Mary Ann Smith"), (std::pair<std::string, std::string>{"Mary Ann", "Smith"}));
  EXPECT_EQ(SplitName("Smith, John"), (std::pair<std::string, std::string>{"John", "Smith"}));
  EXPECT_EQ(SplitName("  Cher "), (std::pair<std::string, std::string>{"Cher", ""}));
}

TEST(Query, Emails) {
  EXPECT_TRUE(IsValidEmail("a.b+c@example.co.uk"));
  for (const char* bad : {"", "a", "a@", "@b.com", "a@b", "a b@c.com", "a@@b.com", "a@b..com", "a@.b.com"})
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
}

}  // namespace
}  // namespace dialbook
