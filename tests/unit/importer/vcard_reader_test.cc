#include "importer/vcard_reader.h"

#include <gtest/gtest.h>

#include "importer/mapping.h"

namespace dialbook::importer {
namespace {

std::string Cell(const VcardTable& t, size_t row, const std::string& column) {
  for (size_t i = 0; i < t.header.size(); ++i)
    if (t.header[i] == column) return t.rows.at(row).at(i);
  ADD_FAILURE() << "no column " << column;
  return "";
}

TEST(Vcard, Version3And4WithSeveralPhonesAndEmails) {
  const char* text =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\n"
      "TEL;TYPE=WORK,VOICE:+44 20 7946 0958\r\nTEL;TYPE=CELL:+44 7911 123456\r\n"
      "EMAIL;TYPE=INTERNET:ada@example.com\r\nEMAIL:ada@work.example\r\n"
      "ORG:Analytical Engines\\, Ltd;R&D\r\nADR;TYPE=WORK:;;12 St James\\'s Sq;London;;SW1Y 4JH;UK\r\n"
      "NOTE:Met at the\\nconference\\; call back\r\nCATEGORIES:vip,speaker\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\nVERSION:4.0\nFN:Zoë Ng\nN:Ng;Zoë;;;\nTEL;VALUE=uri;TYPE=cell:tel:+1-415-555-2671\n"
      "item1.EMAIL:zoe@example.com\nNOTE:a long note that is\n  folded over two lines\nEND:VCARD\n";
  auto t = ReadVcards(text);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(Cell(*t, 0, "First Name"), "Ada");
  EXPECT_EQ(Cell(*t, 0, "Last Name"), "Lovelace");
  EXPECT_EQ(Cell(*t, 0, "Phone"), "+44 7911 123456");  // the mobile comes first
  EXPECT_EQ(Cell(*t, 0, "Phone 2"), "+44 20 7946 0958");
  EXPECT_EQ(Cell(*t, 0, "Email 2"), "ada@work.example");
  EXPECT_EQ(Cell(*t, 0, "Company"), "Analytical Engines, Ltd");
  EXPECT_EQ(Cell(*t, 0, "Street"), "12 St James's Sq");
  EXPECT_EQ(Cell(*t, 0, "City"), "London");
  EXPECT_EQ(Cell(*t, 0, "Postal Code"), "SW1Y 4JH");
  EXPECT_EQ(Cell(*t, 0, "Notes"), "Met at the\nconference; call back");
  EXPECT_EQ(Cell(*t, 0, "Categories"), "vip,speaker");
  EXPECT_EQ(Cell(*t, 1, "First Name"), "Zoë");
  EXPECT_EQ(Cell(*t, 1, "Phone"), "+1-415-555-2671");
  EXPECT_EQ(Cell(*t, 1, "Email"), "zoe@example.com");
  EXPECT_EQ(Cell(*t, 1, "Notes"), "a long note that is folded over two lines");
  EXPECT_EQ(t->line_of_row, (std::vector<int64_t>{1, 14}));
}

TEST(Vcard, Version21QuotedPrintableAndLatin1) {
  const char* text =
      "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=ISO-8859-1:M\xFCller;J\xFCrgen\n"
      "NOTE;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 owner=0D=0Asecond =\nline\nTEL;CELL:0171 1234567\nEND:VCARD\n";
  auto t = ReadVcards(text);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(Cell(*t, 0, "Last Name"), "Müller");
  EXPECT_EQ(Cell(*t, 0, "First Name"), "Jürgen");
  EXPECT_EQ(Cell(*t, 0, "Notes"), "Café owner\r\nsecond line");
  EXPECT_EQ(Cell(*t, 0, "Phone"), "0171 1234567");
}

TEST(Vcard, TheTableMapsLikeASpreadsheet) {
  auto t = ReadVcards("BEGIN:VCARD\nFN:Ann Lee\nN:Lee;Ann\nTEL:(415) 555-2671\nTEL:(415) 555-2672\n"
                      "EMAIL:ann@x.com\nORG:Acme\nEND:VCARD\n");
  ASSERT_TRUE(t);
  auto s = SuggestMapping(t->header, t->rows, "US");
  std::vector<std::string> fields;
  for (auto& c : s) fields.push_back(c.field);
  EXPECT_EQ(fields[0], "first_name");
  EXPECT_EQ(fields[1], "last_name");
  EXPECT_EQ(fields[2], "name");
  EXPECT_EQ(fields[3], "phone");
  EXPECT_EQ(fields[4], "phones");
  EXPECT_EQ(fields[5], "email");
  EXPECT_EQ(fields[6], "company");
}

TEST(Vcard, ClearErrors) {
  auto none = ReadVcards("name,phone\nAnn,1\n");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no contact card"), std::string::npos);
  auto open = ReadVcards("BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\n");
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message.find("line 4"), std::string::npos);
}

}  // namespace
}  // namespace dialbook::importer
