#include "importer/xlsx_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>

namespace dialbook::importer {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("dialbook-xlsx-" + std::to_string(::getpid()) + "-" + name)).string();
}

// A workbook like a customer's: strings, a phone typed as a number, a decimal, a date
// cell, a boolean, an empty cell in the middle, a blank row, and a second sheet.
std::string WriteWorkbook() {
  std::string path = TempPath("contacts.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Leads");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  const char* header[] = {"Name", "Phone", "Score", "Signed up", "VIP", "Notes"};
  for (int c = 0; c < 6; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
  worksheet_write_string(ws, 1, 0, "José Álvarez", nullptr);
  worksheet_write_number(ws, 1, 1, 4155552671.0, nullptr);
  worksheet_write_number(ws, 1, 2, 4.25, nullptr);
  lxw_datetime d = {2026, 1, 31, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 3, &d, date);
  worksheet_write_boolean(ws, 1, 4, 1, nullptr);
  worksheet_write_string(ws, 1, 5, "likes \"quotes\", commas\nand lines", nullptr);
  // row 3 (index 2) left blank
  worksheet_write_string(ws, 3, 0, "Bob", nullptr);
  worksheet_write_string(ws, 3, 1, "+44 20 7946 0958", nullptr);
  worksheet_write_number(ws, 3, 2, 10, nullptr);
  lxw_worksheet* other = workbook_add_worksheet(wb, "Other");
  worksheet_write_string(other, 0, 0, "not read", nullptr);
  EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
  return path;
}

TEST(Xlsx, ReadsTheFirstSheetAsShown) {
  std::string path = WriteWorkbook();
  auto t = ReadXlsx(path);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->sheet_name, "Leads");
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0], (std::vector<std::string>{"Name", "Phone", "Score", "Signed up", "VIP", "Notes"}));
  EXPECT_EQ(t->rows[1], (std::vector<std::string>{"José Álvarez", "4155552671", "4.25", "2026-01-31", "TRUE",
                                                  "likes \"quotes\", commas\nand lines"}));
  EXPECT_EQ(t->rows[2], (std::vector<std::string>{"Bob", "+44 20 7946 0958", "10", "", "", ""}));
  EXPECT_EQ(t->row_numbers, (std::vector<int64_t>{1, 2, 4}));
  std::filesystem::remove(path);
}

TEST(Xlsx, ClearErrors) {
  std::string not_zip = TempPath("plain.xlsx");
  std::ofstream(not_zip) << "name,phone\nAnn,1\n";
  auto a = ReadXlsx(not_zip);
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("not an .xlsx workbook"), std::string::npos);
  std::filesystem::remove(not_zip);

  std::string empty = TempPath("empty.xlsx");
  lxw_workbook* wb = workbook_new(empty.c_str());
  workbook_add_worksheet(wb, "Sheet1");
  workbook_close(wb);
  auto b = ReadXlsx(empty);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("empty"), std::string::npos);
  std::filesystem::remove(empty);
}

}  // namespace
}  // namespace dialbook::importer
