#include "importer/csv_reader.h"

#include "core/text.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace dialbook::importer {

namespace {

constexpr size_t kChunk = 64 * 1024;

class StringByteSource final : public ByteSource {
 public:
  explicit StringByteSource(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class FileByteSource final : public ByteSource {
 public:
  explicit FileByteSource(std::FILE* f) : f_(f) {}
  ~FileByteSource() override { std::fclose(f_); }
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::fread(buf, 1, n, f_);
    if (k < n && std::ferror(f_)) return Fail(ErrorCode::kUnavailable, std::string("cannot read the file: ") + std::strerror(errno));
    return k;
  }

 private:
  std::FILE* f_;
};

// Windows-1252 0x80–0x9F (the rest of the byte range is Latin-1 = U+0000–U+00FF).
const uint16_t kCp1252[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                              0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                              0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                              0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

uint32_t Cp1252(unsigned char b) { return b >= 0x80 && b < 0xA0 ? kCp1252[b - 0x80] : b; }

// Length of the valid UTF-8 sequence at s[i] (0 = invalid, -1 = cut off by the end).
int Utf8Len(const std::string& s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || (n == 2 && b < 0xC2) || (n == 4 && b > 0xF4)) return 0;
  for (int k = 1; k < n; ++k) {
    if (i + k >= s.size()) return -1;
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  if (n == 3) {
    uint32_t cp = ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  }
  if (n == 4 && (b == 0xF0 && (static_cast<unsigned char>(s[i + 1]) < 0x90))) return 0;
  return n;
}

bool LooksUtf8(const std::string& s, bool complete) {
  for (size_t i = 0; i < s.size();) {
    int n = Utf8Len(s, i);
    if (n == -1) return !complete;
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Picks the delimiter whose count per line is the same on most of the first lines.
char Sniff(const std::string& text) {
  const char candidates[] = {',', ';', '\t'};
  std::vector<std::vector<int>> counts(3);
  std::vector<int> line(3, 0);
  bool in_quotes = false;
  int lines = 0;
  for (size_t i = 0; i < text.size() && lines < 30; ++i) {
    char ch = text[i];
    if (ch == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    for (int k = 0; k < 3; ++k) line[k] += ch == candidates[k];
    if (ch == '\n') {
      for (int k = 0; k < 3; ++k) counts[k].push_back(line[k]), line[k] = 0;
      ++lines;
    }
  }
  if (lines == 0)
    for (int k = 0; k < 3; ++k) counts[k].push_back(line[k]);
  char best = ',';
  long best_score = 0;
  for (int k = 0; k < 3; ++k) {
    int header = counts[k][0];
    if (header == 0) continue;
    long same = 0;
    for (int c : counts[k]) same += c == header;
    long score = same * 1000 + header;
    if (score > best_score) best_score = score, best = candidates[k];
  }
  return best;
}

Error RowError(int64_t row, const std::string& message) {
  Error e = MakeError(ErrorCode::kInvalidArgument, "row " + std::to_string(row) + ": " + message);
  e.details["row"] = std::to_string(row);
  return e;
}

}  // namespace

std::unique_ptr<ByteSource> StringSource(std::string data) { return std::make_unique<StringByteSource>(std::move(data)); }

Result<std::unique_ptr<ByteSource>> FileSource(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Fail(ErrorCode::kNotFound, "cannot open " + path + ": " + std::strerror(errno));
  return std::unique_ptr<ByteSource>(new FileByteSource(f));
}

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kUtf8: return "UTF-8";
    case Encoding::kUtf8Bom: return "UTF-8 (BOM)";
    case Encoding::kUtf16Le: return "UTF-16 LE";
    case Encoding::kUtf16Be: return "UTF-16 BE";
    case Encoding::kWindows1252: return "Windows-1252";
  }
  return "UTF-8";
}

CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::Open(std::unique_ptr<ByteSource> source, CsvOptions options) {
  std::unique_ptr<CsvReader> r(new CsvReader());
  r->source_ = std::move(source);
  r->options_ = options;
  // The first chunk decides the encoding.
  std::string head(kChunk, '\0');
  size_t got = 0;
  while (got < head.size()) {
    DB_ASSIGN_OR_RETURN(size_t n, r->source_->Read(head.data() + got, head.size() - got));
    if (n == 0) {
      r->eof_ = true;
      break;
    }
    got += n;
  }
  head.resize(got);
  r->raw_consumed_ = got;
  auto starts = [&](const char* bom, size_t n) { return head.size() >= n && head.compare(0, n, bom, n) == 0; };
  if (starts("\xEF\xBB\xBF", 3)) {
    r->encoding_ = Encoding::kUtf8Bom;
    head.erase(0, 3);
  } else if (starts("\xFF\xFE", 2)) {
    r->encoding_ = Encoding::kUtf16Le;
    head.erase(0, 2);
  } else if (starts("\xFE\xFF", 2)) {
    r->encoding_ = Encoding::kUtf16Be;
    head.erase(0, 2);
  } else {
    r->encoding_ = LooksUtf8(head, r->eof_) ? Encoding::kUtf8 : Encoding::kWindows1252;
  }
  r->Decode(head, r->eof_);
  r->delimiter_ = options.delimiter ? options.delimiter : Sniff(r->text_);
  for (unsigned char stop : {static_cast<unsigned char>(r->delimiter_), static_cast<unsigned char>('\n'),
                             static_cast<unsigned char>('\r'), static_cast<unsigned char>('"')})
    r->stops_[stop] = true;
  return r;
}

void CsvReader::Decode(const std::string& raw, bool last) {
  std::string in = pending_raw_ + raw;
  pending_raw_.clear();
  switch (encoding_) {
    case Encoding::kUtf8:
    case Encoding::kUtf8Bom:
      for (size_t i = 0; i < in.size();) {
        // A run of ASCII bytes at once: most of any file.
        size_t ascii = i;
        for (uint64_t word; ascii + 8 <= in.size(); ascii += 8) {  // 8 bytes at a time
          std::memcpy(&word, in.data() + ascii, 8);
          if (word & 0x8080808080808080ull) break;
        }
        while (ascii < in.size() && static_cast<unsigned char>(in[ascii]) < 0x80) ++ascii;
        if (ascii > i) {
          text_.append(in, i, ascii - i);
          i = ascii;
          continue;
        }
        int n = Utf8Len(in, i);
        if (n == -1 && !last) {
          pending_raw_ = in.substr(i);
          break;
        }
        if (n <= 0) {  // a stray byte of another encoding: read it as Windows-1252
          AppendUtf8(Cp1252(static_cast<unsigned char>(in[i])), text_);
          ++i;
        } else {
          text_.append(in, i, n);
          i += n;
        }
      }
      break;
    case Encoding::kWindows1252:
      for (unsigned char b : in) AppendUtf8(Cp1252(b), text_);
      break;
    case Encoding::kUtf16Le:
    case Encoding::kUtf16Be: {
      bool le = encoding_ == Encoding::kUtf16Le;
      size_t i = 0;
      auto unit = [&](size_t k) {
        auto a = static_cast<unsigned char>(in[k]), b = static_cast<unsigned char>(in[k + 1]);
        return static_cast<uint32_t>(le ? (b << 8 | a) : (a << 8 | b));
      };
      for (; i + 1 < in.size(); i += 2) {
        uint32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF) {
          if (i + 3 >= in.size()) {
            if (!last) break;  // the low half is in the next chunk
            AppendUtf8(0xFFFD, text_);
            continue;
          }
          uint32_t lo = unit(i + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), text_);
            i += 2;
          } else {
            AppendUtf8(0xFFFD, text_);
          }
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
          AppendUtf8(0xFFFD, text_);
        } else {
          AppendUtf8(u, text_);
        }
      }
      if (i < in.size() && !last) pending_raw_ = in.substr(i);
      break;
    }
  }
}

Result<bool> CsvReader::Fill() {
  if (eof_) return false;
  std::string raw(kChunk, '\0');
  DB_ASSIGN_OR_RETURN(size_t n, source_->Read(raw.data(), raw.size()));
  raw.resize(n);
  raw_consumed_ += n;
  if (n == 0) eof_ = true;
  Decode(raw, eof_);
  return true;
}

Result<bool> CsvReader::Next(std::vector<std::string>& fields) {
  const char d = delimiter_;
  for (;;) {
    fields.clear();
    std::string field;
    bool in_quotes = false, quoted = false;
    size_t i = pos_;
    const int64_t row = row_ + 1;
    auto more = [&]() -> Result<bool> {  // text_ ran out inside the record
      text_.erase(0, pos_);
      i -= pos_;
      pos_ = 0;
      return Fill();
    };
    auto too_big = [&] {
      return Fail(RowError(row, "a cell is larger than " + std::to_string(options_.max_field_bytes >> 10) + " KiB"));
    };
    auto push = [&]() -> Status {
      if (field.size() > options_.max_field_bytes) return too_big();
      if (fields.size() >= options_.max_fields)
        return Fail(RowError(row, "more than " + std::to_string(options_.max_fields) + " columns"));
      fields.push_back(std::move(field));
      field.clear();
      quoted = false;
      return {};
    };
    for (;;) {
      if (i >= text_.size()) {
        if (!eof_ || !pending_raw_.empty()) {
          DB_ASSIGN_OR_RETURN(bool filled, more());
          if (filled || i < text_.size()) continue;
        }
        // End of the file.
        if (in_quotes) return Fail(RowError(row, "a quoted cell is never closed (a \" is missing)"));
        pos_ = i;
        if (fields.empty() && field.empty() && !quoted) return false;
        DB_TRY(push());
        row_ = row;
        return true;
      }
      char ch = text_[i];
      if (in_quotes) {
        if (ch == '"') {
          if (i + 1 >= text_.size() && !eof_) {
            DB_ASSIGN_OR_RETURN(bool filled, more());
            if (filled) continue;
          }
          if (i + 1 < text_.size() && text_[i + 1] == '"') {
            field += '"';
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
        } else {
          // The run up to the next quote (or the end of what is decoded) at once.
          const size_t end = std::min(text_.find('"', i), text_.size());
          field.append(text_, i, end - i);
          i = end;
          if (field.size() > options_.max_field_bytes) return too_big();
        }
        continue;
      }
      if (ch == d) {
        DB_TRY(push());
        ++i;
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r') {
          if (i + 1 >= text_.size() && !eof_) {
            DB_ASSIGN_OR_RETURN(bool filled, more());
            if (filled) continue;
          }
          if (i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
        }
        ++i;
        pos_ = i;
        if (fields.empty() && field.empty() && !quoted) {  // a blank line still counts as a row
          ++row_;
          break;
        }
        DB_TRY(push());
        row_ = row;
        return true;
      } else if (ch == '"' && field.empty() && !quoted) {
        in_quotes = quoted = true;
        ++i;
      } else {
        // This character and the run after it up to the next delimiter, line break or quote
        // at once (a quote inside an unquoted cell is kept as it is, one at a time here).
        size_t end = i + 1;
        const size_t size = text_.size();
        const char* text = text_.data();
        // 8 bytes at a time: a byte of the word equals a stop byte where word ^ stop has a
        // zero byte, and the lowest one found this way is exact (a borrow only ever marks
        // bytes above a zero byte).
        constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
        auto zeros = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
        const uint64_t delim = kOnes * static_cast<unsigned char>(d);
        bool found = false;
        for (uint64_t word; end + 8 <= size; end += 8) {
          std::memcpy(&word, text + end, 8);
          const uint64_t hits =
              zeros(word ^ delim) | zeros(word ^ (kOnes * '\n')) | zeros(word ^ (kOnes * '\r')) | zeros(word ^ (kOnes * '"'));
          if (hits) {
            end += static_cast<size_t>(std::countr_zero(hits)) / 8;
            found = true;
            break;
          }
        }
        if (!found)
          while (end < size && !stops_[static_cast<unsigned char>(text[end])]) ++end;
        field.append(text_, i, end - i);
        i = end;
        if (field.size() > options_.max_field_bytes) return too_big();
      }
    }
  }
}

}  // namespace dialbook::importer
