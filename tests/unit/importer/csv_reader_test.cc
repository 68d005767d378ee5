#include "importer/csv_reader.h"

#include <gtest/gtest.h>

namespace dialbook::importer {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Parsed {
  Rows rows;
  std::vector<int64_t> row_numbers;
  char delimiter = 0;
  Encoding encoding = Encoding::kUtf8;
};

Parsed Parse(const std::string& data, CsvOptions options = {}) {
  auto r = CsvReader::Open(StringSource(data), options);
  EXPECT_TRUE(r) << r.error().message;
  Parsed p;
  p.delimiter = (*r)->delimiter();
  p.encoding = (*r)->encoding();
  std::vector<std::string> fields;
  for (;;) {
    auto more = (*r)->Next(fields);
    EXPECT_TRUE(more) << more.error().message;
    if (!more || !*more) break;
    p.rows.push_back(fields);
    p.row_numbers.push_back((*r)->row());
  }
  return p;
}

// A plain byte-at-a-time reading of the same rules (quotes open only at a cell's start, a
// quote inside an unquoted cell is kept, CR, LF and CRLF end a record, blank lines are
// skipped): the reader, which skips through runs of bytes 8 at a time, must agree with it.
Rows Reference(const std::string& s, char d, bool& unclosed) {
  Rows rows;
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false, quoted = false;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') field += '"', i += 2;
      else if (c == '"') in_quotes = false, ++i;
      else field += c, ++i;
    } else if (c == d) {
      fields.push_back(field), field.clear(), quoted = false, ++i;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      ++i;
      if (fields.empty() && field.empty() && !quoted) continue;
      fields.push_back(field), rows.push_back(fields);
      fields.clear(), field.clear(), quoted = false;
    } else if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = true, ++i;
    } else {
      field += c, ++i;
    }
  }
  unclosed = in_quotes;
  if (!fields.empty() || !field.empty() || quoted) fields.push_back(field), rows.push_back(fields);
  return rows;
}

TEST(CsvReader, AgreesWithAByteAtATimeReadingOnRandomText) {
  // Long runs of letters (the 8-byte steps), every byte the reader stops at, in any place.
  const std::vector<std::string> pieces = {"a", "bcdefghijklmnop", "qrstuvwxyz0123456789", ",", ",", "\"", "\"\"",
                                           "\n", "\r", "\r\n", " ", "\xc3\xa9", ";", "\t", "12345678"};
  uint64_t state = 42;
  auto next = [&] { return state = state * 6364136223846793005ull + 1442695040888963407ull, state >> 33; };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (size_t n = next() % 60; n > 0; --n) text += pieces[next() % pieces.size()];
    if (round % 500 == 0)  // a few long ones, read in several chunks
      while (text.size() < 200000) text += pieces[next() % pieces.size()];
    bool unclosed = false;
    const Rows want = Reference(text, ',', unclosed);
    CsvOptions options;
    options.delimiter = ',';
    auto r = CsvReader::Open(StringSource(text), options);
    ASSERT_TRUE(r) << r.error().message;
    Rows got;
    std::vector<std::string> fields;
    bool failed = false;
    for (;;) {
      auto more = (*r)->Next(fields);
      if (!more) {
        failed = true;
        break;
      }
      if (!*more) break;
      got.push_back(fields);
    }
    ASSERT_EQ(failed, unclosed) << "round " << round;
    if (!unclosed) {
      ASSERT_EQ(got, want) << "round " << round;
    }
  }
}

TEST(CsvReader, Rfc4180QuotingAndLineEndings) {
  Parsed p = Parse("name,phone,notes\r\n\"Doe, Jane\",\"(415) 555-2671\",\"said \"\"hi\"\"\nthen left\"\r\nBob,4155552672,\n");
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"Doe, Jane", "(415) 555-2671", "said \"hi\"\nthen left"}));
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"Bob", "4155552672", ""}));
  EXPECT_EQ(p.row_numbers, (std::vector<int64_t>{1, 2, 3}));
}

TEST(CsvReader, BlankLinesCountAsRowsAndAreSkipped) {
  Parsed p = Parse("a,b\n\n1,2\r\n\r\n3,4");
  EXPECT_EQ(p.rows, (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(p.row_numbers, (std::vector<int64_t>{1, 3, 5}));
}

TEST(CsvReader, OldMacLineEndingsAndEmptyQuotedCell) {
  Parsed p = Parse("a,b\r\"\",x\r");
  EXPECT_EQ(p.rows, (Rows{{"a", "b"}, {"", "x"}}));
}

TEST(CsvReader, SniffsTheDelimiter) {
  EXPECT_EQ(Parse("Name;Phone;City\nJan;+31 20 123 4567;Amsterdam, NL\n").delimiter, ';');
  EXPECT_EQ(Parse("Name\tPhone\nA\t1\n").delimiter, '\t');
  EXPECT_EQ(Parse("Name,Notes\n\"x\",\"a;b;c;d\"\n").delimiter, ',');
  EXPECT_EQ(Parse("a;b\n1;2\n", CsvOptions{',', 1 << 20, 2000}).delimiter, ',');
}

TEST(CsvReader, Encodings) {
  Parsed bom = Parse("\xEF\xBB\xBFname\nJos\xC3\xA9\n");
  EXPECT_EQ(bom.encoding, Encoding::kUtf8Bom);
  EXPECT_EQ(bom.rows, (Rows{{"name"}, {"José"}}));
  Parsed latin1 = Parse("name\nJos\xE9 M\xFCller \x80 5\n");
  EXPECT_EQ(latin1.encoding, Encoding::kWindows1252);
  EXPECT_EQ(latin1.rows[1][0], "José Müller € 5");
  // UTF-16 LE and BE with BOM, including a character outside the BMP.
  std::u16string text = u"name,phone\nZoë 😀,1\n";
  std::string le = "\xFF\xFE", be = "\xFE\xFF";
  for (char16_t u : text) {
    le += static_cast<char>(u & 0xFF);
    le += static_cast<char>(u >> 8);
    be += static_cast<char>(u >> 8);
    be += static_cast<char>(u & 0xFF);
  }
  for (auto& [data, enc] : {std::pair{le, Encoding::kUtf16Le}, std::pair{be, Encoding::kUtf16Be}}) {
    Parsed p = Parse(data);
    EXPECT_EQ(p.encoding, enc);
    EXPECT_EQ(p.rows, (Rows{{"name", "phone"}, {"Zoë 😀", "1"}}));
  }
}

TEST(CsvReader, ValidUtf8StartWithLatin1BytesLaterStillReadsThem) {
  std::string data = "name\n";
  for (int i = 0; i < 10000; ++i) data += "ascii row\n";
  data += "Fran\xE7ois\n";  // Windows-1252 far past the sniffed start
  Parsed p = Parse(data);
  EXPECT_EQ(p.encoding, Encoding::kUtf8);
  EXPECT_EQ(p.rows.back()[0], "François");
}

TEST(CsvReader, StreamsAcrossChunkBoundaries) {
  // Quoted cells, CRLF and multi-byte characters straddling the 64 KiB chunks.
  std::string data = "id,name,notes\r\n";
  for (int i = 0; i < 5000; ++i)
    data += std::to_string(i) + ",\"Łukasz, " + std::to_string(i) + "\",\"line one\r\nline \"\"two\"\"\"\r\n";
  Parsed p = Parse(data);
  ASSERT_EQ(p.rows.size(), 5001u);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(p.rows[i + 1][1], "Łukasz, " + std::to_string(i));
    ASSERT_EQ(p.rows[i + 1][2], "line one\r\nline \"two\"");
  }
  EXPECT_EQ(p.row_numbers.back(), 5001);
}

TEST(CsvReader, QuotesInsideAndAfterCellsAndLongCellsAcrossChunks) {
  // A quote inside an unquoted cell is kept; text after a closing quote joins the cell.
  Parsed odd = Parse("a,b,c\n5'10\" tall,\"ab\"cd,x\"y\"\n");
  ASSERT_EQ(odd.rows.size(), 2u);
  EXPECT_EQ(odd.rows[1], (std::vector<std::string>{"5'10\" tall", "abcd", "x\"y\""}));
  // Cells far longer than the 64 KiB chunks the bytes are read in, quoted and not.
  std::string plain(150000, 'p'), quoted;
  for (int i = 0; i < 30000; ++i) quoted += i % 7 ? "q" : "\"\"";
  std::string expect_quoted;
  for (int i = 0; i < 30000; ++i) expect_quoted += i % 7 ? "q" : "\"";
  Parsed p = Parse("a,b\n" + plain + ",\"" + quoted + "\"\r\nlast,row\n");
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[1][0], plain);
  EXPECT_EQ(p.rows[1][1], expect_quoted);
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"last", "row"}));
  // The cell size limit holds inside quotes too.
  auto big = CsvReader::Open(StringSource("a\n\"" + std::string(5000, 'x') + "\"\n"), CsvOptions{',', 1024, 10});
  ASSERT_TRUE(big);
  std::vector<std::string> f;
  EXPECT_TRUE(*(*big)->Next(f));
  auto too_big = (*big)->Next(f);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().details.at("row"), "2");
}

TEST(CsvReader, ErrorsNameTheRow) {
  auto r = CsvReader::Open(StringSource("a,b\n1,2\n3,\"never closed\n4,5\n"));
  ASSERT_TRUE(r);
  std::vector<std::string> f;
  EXPECT_TRUE(*(*r)->Next(f));
  EXPECT_TRUE(*(*r)->Next(f));
  auto bad = (*r)->Next(f);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().details.at("row"), "3");
  EXPECT_NE(bad.error().message.find("row 3"), std::string::npos);

  auto wide = CsvReader::Open(StringSource("a,b,c,d\n"), CsvOptions{',', 1 << 20, 3});
  ASSERT_TRUE(wide);
  auto too_many = (*wide)->Next(f);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().details.at("row"), "1");

  auto big = CsvReader::Open(StringSource("a\n" + std::string(5000, 'x') + "\n"), CsvOptions{',', 1024, 10});
  ASSERT_TRUE(big);
  EXPECT_TRUE(*(*big)->Next(f));
  auto too_big = (*big)->Next(f);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().details.at("row"), "2");
}

TEST(CsvReader, EmptyInput) {
  EXPECT_TRUE(Parse("").rows.empty());
  EXPECT_TRUE(Parse("\n\n").rows.empty());
}

}  // namespace
}  // namespace dialbook::importer
