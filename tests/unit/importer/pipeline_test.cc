#include "importer/pipeline.h"

#include <gtest/gtest.h>

namespace dialbook::importer {
namespace {

RowPlan Plan(std::vector<std::string> fields, int consent = -1) {
  RowPlan p;
  p.header.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    p.header[i] = "H" + std::to_string(i);
    if (fields[i] != "consent") p.columns.push_back({fields[i], nullptr});
    else p.columns.push_back({"", nullptr});
  }
  p.consent_column = consent;
  return p;
}

TEST(PrepareRow, NormalisesPhonesAndSplitsNames) {
  RowPlan p = Plan({"name", "phone", "phones", "tags"});
  auto r = PrepareRow(p, {"Ana María López", "(415) 555-2671", "+1 415 555 2672", "vip|west; vip"}, 2);
  EXPECT_EQ(r.status, RowStatus::kReady);
  EXPECT_EQ(r.contact.first_name, "Ana María");
  EXPECT_EQ(r.contact.last_name, "López");
  EXPECT_EQ(r.contact.phone, "+14155552671");
  ASSERT_EQ(r.contact.phones.size(), 1u);
  EXPECT_EQ(r.contact.phones[0].number, "+14155552672");
  EXPECT_EQ(r.contact.tags, (std::vector<std::string>{"vip", "west"}));
  EXPECT_EQ(r.contact.source, "import");
}

TEST(PrepareRow, ReasonsNameTheColumn) {
  RowPlan p = Plan({"first_name", "phone", "email"});
  auto missing = PrepareRow(p, {"A", "", ""}, 3);
  EXPECT_EQ(missing.status, RowStatus::kIncomplete);
  EXPECT_EQ(missing.reason, "missing_phone");
  auto invalid = PrepareRow(p, {"A", "12", ""}, 4);
  EXPECT_EQ(invalid.status, RowStatus::kNeedsAttention);
  EXPECT_EQ(invalid.reason, "invalid_phone");
  EXPECT_NE(invalid.message.find("column 2 (H1)"), std::string::npos) << invalid.message;
  EXPECT_EQ(PrepareRow(p, {"A", "222-222-2222", ""}, 5).reason, "fake_number");
  auto email = PrepareRow(p, {"A", "(415) 555-2671", "a@@b"}, 6);
  EXPECT_EQ(email.reason, "invalid_email");
}

TEST(PrepareRow, ExtraPhoneStandsInForAnEmptyPrimaryAndGoogleMultiValues) {
  RowPlan p = Plan({"phone", "phones"});
  auto r = PrepareRow(p, {"", "(212) 555-2763"}, 2);
  EXPECT_EQ(r.status, RowStatus::kReady);
  EXPECT_EQ(r.contact.phone, "+12125552763");
  auto g = PrepareRow(p, {"+1 415-555-2755 ::: +1 415-555-2756", ""}, 3);
  EXPECT_EQ(g.contact.phone, "+14155552755");
  ASSERT_EQ(g.contact.phones.size(), 1u);
  EXPECT_EQ(g.contact.phones[0].number, "+14155552756");
}

TEST(PrepareRow, ConsentColumnAndCountryOfTheRow) {
  RowPlan p = Plan({"phone", "consent", "country"}, 1);
  EXPECT_EQ(PrepareRow(p, {"(415) 555-2671", "opted-in", ""}, 2).status, RowStatus::kReady);
  auto no = PrepareRow(p, {"(415) 555-2671", "no", ""}, 3);
  EXPECT_EQ(no.status, RowStatus::kSkip);
  EXPECT_EQ(no.reason, "no_consent");
  EXPECT_EQ(PrepareRow(p, {"(415) 555-2671", "", ""}, 4).reason, "no_consent");
  auto de = PrepareRow(p, {"030 901820", "yes", "DE"}, 5);
  EXPECT_EQ(de.contact.phone, "+4930901820");
}

TEST(PrepareRow, TypedCustomFieldsAreValidated) {
  RowPlan p = Plan({"phone", ""});
  FieldDef age;
  age.key = "age";
  age.label = "Age";
  age.type = FieldType::kInteger;
  p.fields.push_back(age);
  p.columns[1].custom = &p.fields[0];
  EXPECT_EQ(PrepareRow(p, {"(415) 555-2671", "42"}, 2).contact.custom_fields.at("age"), "42");
  auto bad = PrepareRow(p, {"(415) 555-2671", "forty"}, 3);
  EXPECT_EQ(bad.reason, "invalid_field");
  EXPECT_NE(bad.message.find("Age"), std::string::npos) << bad.message;
}

}  // namespace
}  // namespace dialbook::importer
