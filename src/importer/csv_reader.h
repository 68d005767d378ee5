// Streaming CSV reader for imports (SPEC S6.1): RFC 4180 (quoted fields with doubled
// quotes, delimiters and line breaks inside quotes, CRLF/LF/CR), any of UTF-8 with or
// without BOM, UTF-16 LE/BE with BOM, or Windows-1252/Latin-1 (chosen when the start of
// the file is not valid UTF-8), delimiter sniffed among comma, semicolon and tab.
// Memory stays flat in the file size: bytes are read in 64 KiB chunks and records are
// produced one at a time. Every error names the record (row) it happened in.
// Not thread-safe: one reader per thread.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

namespace dialbook::importer {

// Where the bytes come from: a file, or a string (tests, small uploads).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to n bytes into buf; 0 at the end.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};
std::unique_ptr<ByteSource> StringSource(std::string data);
Result<std::unique_ptr<ByteSource>> FileSource(const std::string& path);

enum class Encoding { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be, kWindows1252 };
const char* EncodingName(Encoding e);

struct CsvOptions {
  char delimiter = 0;  // 0: sniff among ',', ';' and '\t'
  size_t max_field_bytes = 1 << 20;
  size_t max_fields = 2000;
};

class CsvReader {
 public:
  static Result<std::unique_ptr<CsvReader>> Open(std::unique_ptr<ByteSource> source, CsvOptions options = {});
  ~CsvReader();

  // The next record into `fields` (UTF-8); false at the end of the file. Blank lines are
  // skipped. row() is then the 1-based number of that record in the file.
  Result<bool> Next(std::vector<std::string>& fields);
  int64_t row() const { return row_; }
  char delimiter() const { return delimiter_; }
  Encoding encoding() const { return encoding_; }
  uint64_t bytes_consumed() const { return raw_consumed_; }

 private:
  CsvReader() = default;
  // Refills text_ (UTF-8) from the source; false at the end.
  Result<bool> Fill();
  void Decode(const std::string& raw, bool last);

  std::unique_ptr<ByteSource> source_;
  CsvOptions options_;
  Encoding encoding_ = Encoding::kUtf8;
  char delimiter_ = ',';
  // Bytes that end a run of an unquoted cell: the delimiter, line breaks and the quote.
  bool stops_[256] = {};
  std::string text_;  // decoded, not yet parsed
  size_t pos_ = 0;
  std::string pending_raw_;  // undecoded tail (a split UTF-16 unit or UTF-8 sequence)
  bool eof_ = false;
  int64_t row_ = 0;
  uint64_t raw_consumed_ = 0;
};

}  // namespace dialbook::importer
