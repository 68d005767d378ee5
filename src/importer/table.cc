#include "importer/table.h"

#include "core/file.h"
#include "core/text.h"
#include "domain/phone.h"
#include "domain/query.h"
#include "importer/csv_reader.h"
#include "importer/vcard_reader.h"
#include "importer/xlsx_reader.h"

#include <cstdio>

namespace dialbook::importer {

const char* FormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kCsv: return "csv";
    case FileFormat::kXlsx: return "xlsx";
    case FileFormat::kVcard: return "vcard";
  }
  return "csv";
}

FileFormat ParseFormat(const std::string& name) {
  if (name == "xlsx") return FileFormat::kXlsx;
  if (name == "vcard") return FileFormat::kVcard;
  return FileFormat::kCsv;
}

FileFormat DetectFormat(const std::string& file_name, std::string_view head) {
  if (head.size() >= 4 && head.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return FileFormat::kXlsx;
  std::string start = ToLowerAscii(std::string(head.substr(0, 64)));
  if (start.starts_with("\xef\xbb\xbf")) start = start.substr(3);
  if (start.starts_with("begin:vcard")) return FileFormat::kVcard;
  std::string name = ToLowerAscii(file_name);
  if (name.ends_with(".xlsx")) return FileFormat::kXlsx;
  if (name.ends_with(".vcf") || name.ends_with(".vcard")) return FileFormat::kVcard;
  return FileFormat::kCsv;
}

namespace {

// A header names columns: a first row whose cells are phone numbers or email addresses is
// data, and the file has no header.
std::optional<Error> HeaderProblem(const std::vector<std::string>& header, int64_t row) {
  bool any = false;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string t = Trim(header[i]);
    if (t.empty()) continue;
    any = true;
    std::string digits = DigitsOnly(t);
    bool phone_like = digits.size() >= 7 && digits.size() * 2 >= t.size() && ParsePhone(t, "US", false).ok;
    if (phone_like || IsValidEmail(t))
      return MakeError(ErrorCode::kInvalidArgument,
                       "the first row looks like data, not a header (column " + std::to_string(i + 1) + " holds '" +
                           t + "'); add a header row naming the columns")
          .With("row", std::to_string(row))
          .With("column", std::to_string(i + 1));
  }
  if (!any)
    return MakeError(ErrorCode::kInvalidArgument, "the file has no header row (the first row is empty)")
        .With("row", std::to_string(row));
  return std::nullopt;
}

class CsvTable final : public TableReader {
 public:
  Result<bool> Init(const std::string& path) {
    DB_ASSIGN_OR_RETURN(auto src, FileSource(path));
    DB_ASSIGN_OR_RETURN(csv_, CsvReader::Open(std::move(src)));
    DB_ASSIGN_OR_RETURN(bool has, csv_->Next(header_));
    if (!has) return Fail(ErrorCode::kInvalidArgument, "the file is empty: it needs a header row and at least one row of data");
    header_row_ = csv_->row();
    for (auto& h : header_) h = Trim(h);
    if (auto e = HeaderProblem(header_, header_row_)) return Fail(*e);
    return true;
  }
  Result<bool> Next(int64_t& row_number, std::vector<std::string>& cells) override {
    while (true) {
      DB_ASSIGN_OR_RETURN(bool has, csv_->Next(cells));
      if (!has) return false;
      row_number = csv_->row();
      bool blank = true;
      for (auto& c : cells) blank &= IsBlank(c);
      if (blank) continue;
      if (cells.size() < header_.size()) cells.resize(header_.size());
      return true;
    }
  }
  std::string encoding() const override { return EncodingName(csv_->encoding()); }
  char delimiter() const override { return csv_->delimiter(); }

 private:
  std::unique_ptr<CsvReader> csv_;
};

// XLSX and vCard are read whole (they are small next to what people keep as CSV).
class MemoryTable final : public TableReader {
 public:
  MemoryTable(std::vector<std::string> header, int64_t header_row, std::vector<std::vector<std::string>> rows,
              std::vector<int64_t> numbers)
      : rows_(std::move(rows)), numbers_(std::move(numbers)) {
    header_ = std::move(header);
    header_row_ = header_row;
  }
  Result<bool> Next(int64_t& row_number, std::vector<std::string>& cells) override {
    while (next_ < rows_.size()) {
      cells = std::move(rows_[next_]);
      row_number = numbers_[next_];
      ++next_;
      bool blank = true;
      for (auto& c : cells) blank &= IsBlank(c);
      if (blank) continue;
      if (cells.size() < header_.size()) cells.resize(header_.size());
      return true;
    }
    return false;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<int64_t> numbers_;
  size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<TableReader>> TableReader::Open(const std::string& path, FileFormat format) {
  switch (format) {
    case FileFormat::kCsv: {
      auto t = std::make_unique<CsvTable>();
      DB_TRY(t->Init(path));
      return std::unique_ptr<TableReader>(std::move(t));
    }
    case FileFormat::kXlsx: {
      DB_ASSIGN_OR_RETURN(auto sheet, ReadXlsx(path));
      if (sheet.rows.empty())
        return Fail(ErrorCode::kInvalidArgument, "the first sheet is empty: it needs a header row and at least one row of data");
      std::vector<std::string> header = std::move(sheet.rows[0]);
      for (auto& h : header) h = Trim(h);
      while (!header.empty() && header.back().empty()) header.pop_back();
      if (auto e = HeaderProblem(header, sheet.row_numbers[0])) return Fail(*e);
      int64_t header_row = sheet.row_numbers[0];
      sheet.rows.erase(sheet.rows.begin());
      sheet.row_numbers.erase(sheet.row_numbers.begin());
      return std::unique_ptr<TableReader>(
          new MemoryTable(std::move(header), header_row, std::move(sheet.rows), std::move(sheet.row_numbers)));
    }
    case FileFormat::kVcard: {
      DB_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(path, 256u << 20));
      DB_ASSIGN_OR_RETURN(auto cards, ReadVcards(text));
      return std::unique_ptr<TableReader>(
          new MemoryTable(std::move(cards.header), 0, std::move(cards.rows), std::move(cards.line_of_row)));
    }
  }
  return Fail(ErrorCode::kInvalidArgument, "unknown file format");
}

Result<int64_t> CountRows(TableReader& reader, int64_t max_rows) {
  int64_t n = 0, row = 0;
  std::vector<std::string> cells;
  while (true) {
    DB_ASSIGN_OR_RETURN(bool has, reader.Next(row, cells));
    if (!has) break;
    if (max_rows > 0 && ++n > max_rows)
      return Fail(MakeError(ErrorCode::kPayloadTooLarge, "the file has more than " + std::to_string(max_rows) +
                                                             " rows, the most one import takes here")
                      .With("limit", std::to_string(max_rows)));
    if (max_rows <= 0) ++n;
  }
  if (n == 0) return Fail(ErrorCode::kInvalidArgument, "the file has a header row but no rows of data");
  return n;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") != std::string::npos || (!c.empty() && (c.front() == ' ' || c.back() == ' '))) {
      out += '"';
      for (char ch : c) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    } else {
      out += c;
    }
  }
  out += "\r\n";
  return out;
}

}  // namespace dialbook::importer
