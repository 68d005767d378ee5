// One way to read any import source row by row (SPEC S6.1): CSV/TSV (streaming, memory
// flat in the file size), XLSX (first sheet) and vCard files all become a header plus
// numbered rows of text cells. Row numbers are the file's: the header is row 1 of a
// spreadsheet, and a CSV record's number counts records as a spreadsheet shows them.
// Not thread-safe: one reader per thread.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

namespace dialbook::importer {

enum class FileFormat { kCsv, kXlsx, kVcard };
const char* FormatName(FileFormat f);
FileFormat ParseFormat(const std::string& name);  // FormatName's inverse (csv when unknown)
// From the file's first bytes (a ZIP is XLSX, "BEGIN:VCARD" is vCard), else its name.
FileFormat DetectFormat(const std::string& file_name, std::string_view head);

class TableReader {
 public:
  virtual ~TableReader() = default;
  // Opens the file and reads its header. Refuses a file with no header (the first row
  // looks like data) or nothing in it, naming what is wrong.
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path, FileFormat format);

  const std::vector<std::string>& header() const { return header_; }
  // The next data row (cells padded to the header's width); false at the end.
  virtual Result<bool> Next(int64_t& row_number, std::vector<std::string>& cells) = 0;
  // "UTF-8", "Windows-1252" … ("" for XLSX) and the CSV delimiter (0 otherwise).
  virtual std::string encoding() const { return ""; }
  virtual char delimiter() const { return 0; }
  int64_t header_row() const { return header_row_; }

 protected:
  std::vector<std::string> header_;
  int64_t header_row_ = 1;
};

// Counts the data rows (reads the whole file; memory stays flat for CSV).
Result<int64_t> CountRows(TableReader& reader, int64_t max_rows);

// CSV text of one record (RFC 4180 quoting, CRLF end) — for error files and templates.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace dialbook::importer
