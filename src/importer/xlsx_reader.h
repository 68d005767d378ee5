// XLSX reader for imports (SPEC S6.1): the first worksheet of a workbook, as rows of
// text cells the way a spreadsheet shows them — shared and inline strings, numbers
// without exponent noise (a phone typed as a number stays 4155552671), booleans, and
// dates (cells with a date format) as YYYY-MM-DD (with time when it has one). Empty
// cells between filled ones are kept so columns line up; row numbers are the sheet's.
// Reads the whole sheet part into memory (pugixml): fine for the sizes people upload as
// XLSX; CSV is the streaming path for very large files. Pure and thread-safe.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"

namespace dialbook::importer {

struct SheetTable {
  std::string sheet_name;
  std::vector<std::vector<std::string>> rows;  // rows[0] is the first non-empty row
  std::vector<int64_t> row_numbers;            // the sheet's row number of each row
};

Result<SheetTable> ReadXlsx(const std::string& path);

}  // namespace dialbook::importer
