#include "importer/mapping.h"

#include <gtest/gtest.h>

namespace dialbook::importer {
namespace {

std::vector<std::string> Fields(const std::vector<ColumnSuggestion>& s) {
  std::vector<std::string> out;
  for (auto& c : s) out.push_back(c.field);
  return out;
}

TEST(Mapping, HeadersInSeveralLanguages) {
  EXPECT_EQ(FieldForHeader("First Name"), "first_name");
  EXPECT_EQ(FieldForHeader("  PRÉNOM "), "first_name");
  EXPECT_EQ(FieldForHeader("Nom"), "last_name");
  EXPECT_EQ(FieldForHeader("Nachname"), "last_name");
  EXPECT_EQ(FieldForHeader("Teléfono"), "phone");
  EXPECT_EQ(FieldForHeader("Handynummer"), "phone");
  EXPECT_EQ(FieldForHeader("E-mail Address"), "email");
  EXPECT_EQ(FieldForHeader("Correo electrónico"), "email");
  EXPECT_EQ(FieldForHeader("Code postal"), "zip");
  EXPECT_EQ(FieldForHeader("Opt-In"), "consent");
  EXPECT_EQ(FieldForHeader("DNC"), "do_not_call");
  EXPECT_EQ(FieldForHeader("Favourite colour"), "");
}

TEST(Mapping, GoogleContactsExport) {
  std::vector<std::string> header = {"First Name", "Last Name", "Organization Name", "E-mail 1 - Value",
                                     "Phone 1 - Value", "Phone 2 - Value", "Address 1 - City", "Labels", "Notes"};
  std::vector<std::vector<std::string>> rows = {
      {"Ada", "Lovelace", "Engines Ltd", "ada@example.com", "+44 20 7946 0958", "+44 7911 123456", "London",
       "vip ::: myContacts", ""}};
  EXPECT_EQ(Fields(SuggestMapping(header, rows, "US")),
            (std::vector<std::string>{"first_name", "last_name", "company", "email", "phone", "phones", "city",
                                      "tags", "notes"}));
}

TEST(Mapping, OutlookExportPicksTheMobileAsThePhone) {
  std::vector<std::string> header = {"First Name", "Last Name", "Company", "Business Phone", "Mobile Phone",
                                     "E-mail Address", "Business Street", "Business City", "Business State",
                                     "Business Postal Code", "Business Country/Region", "Categories"};
  std::vector<std::vector<std::string>> rows = {
      {"Jo", "Ng", "Acme", "(212) 555-0100", "(917) 555-0147", "jo@acme.com", "1 Main St", "New York", "NY",
       "10001", "United States", "Clients"}};
  auto s = SuggestMapping(header, rows, "US");
  EXPECT_EQ(s[3].field, "phones");
  EXPECT_EQ(s[4].field, "phone");
  EXPECT_EQ(s[8].field, "state");
  EXPECT_EQ(s[10].field, "country");
  EXPECT_EQ(s[11].field, "tags");
}

TEST(Mapping, TheDataFindsPhoneEmailAndConsentColumns) {
  std::vector<std::string> header = {"Who", "Col B", "Col C", "Col D", "Col E"};
  std::vector<std::vector<std::string>> rows = {
      {"Ann", "(415) 555-2671", "ann@x.com", "yes", "2026-01-02"},
      {"Bob", "415.555.2672", "bob@x.com", "no", "2026-01-03"},
      {"Cy", "", "cy@x.com", "Y", "2026-02-03"},
      {"Di", "+1 415 555 2673", "", "N", "2026-03-04"},
  };
  auto s = SuggestMapping(header, rows, "US");
  EXPECT_EQ(s[0].field, "");
  EXPECT_EQ(s[1].field, "phone");
  EXPECT_NE(s[1].reason.find("100% valid phone numbers"), std::string::npos);
  EXPECT_DOUBLE_EQ(s[1].filled_share, 0.75);
  EXPECT_EQ(s[2].field, "email");
  EXPECT_EQ(s[3].field, "consent");
  EXPECT_EQ(s[4].field, "");
  EXPECT_NE(s[4].reason.find("dates"), std::string::npos);
}

TEST(Mapping, OneColumnPerSingleField) {
  auto s = SuggestMapping({"Email", "E-mail", "Phone", "Mobile"},
                          {{"a@x.com", "b@x.com", "(415) 555-2671", "(415) 555-2672"}}, "US");
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"email", "", "phone", "phones"}));
  EXPECT_NE(s[1].reason.find("already maps to email"), std::string::npos);
}

TEST(Mapping, MostlyInvalidPhoneColumnLosesToAGoodOne) {
  // "Phone" is mostly junk; an unlabelled column holds the real numbers.
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 10; ++i)
    rows.push_back({i < 2 ? "(415) 555-2671" : "n/a", "(415) 555-26" + std::to_string(10 + i)});
  auto s = SuggestMapping({"Phone", "Contact #"}, rows, "US");
  EXPECT_LT(s[0].phone_share, 0.5);
  EXPECT_DOUBLE_EQ(s[1].phone_share, 1.0);
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"", "phone"}));
  EXPECT_NE(s[0].reason.find("mostly not phone numbers (20% valid)"), std::string::npos);
  // With no better column, the named one stays (the review reports its bad rows).
  auto alone = SuggestMapping({"Phone"}, {{"n/a"}, {"(415) 555-2671"}}, "US");
  EXPECT_EQ(alone[0].field, "phone");
}

}  // namespace
}  // namespace dialbook::importer
