#include "importer/xlsx_reader.h"

#include <zip.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <pugixml.hpp>
#include <set>

#include "core/text.h"

namespace dialbook::importer {

namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;

constexpr zip_uint64_t kMaxPart = 512ull << 20;  // an uncompressed part larger than this is refused

Result<std::string> ReadPart(zip_t* z, const std::string& name, bool required) {
  zip_stat_t st;
  if (zip_stat(z, name.c_str(), 0, &st) != 0) {
    if (!required) return std::string();
    return Fail(FieldError("file", "this is not a valid .xlsx workbook (" + name + " is missing)"));
  }
  if (st.size > kMaxPart) return Fail(ErrorCode::kPayloadTooLarge, "the worksheet is too large (over 512 MiB uncompressed)");
  zip_file_t* f = zip_fopen(z, name.c_str(), 0);
  if (!f) return Fail(FieldError("file", "cannot read " + name + " in the workbook"));
  std::string data(st.size, '\0');
  zip_int64_t n = zip_fread(f, data.data(), st.size);
  zip_fclose(f);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return Fail(FieldError("file", "cannot read " + name + " in the workbook"));
  return data;
}

Result<pugi::xml_document> Parse(const std::string& xml, const std::string& part) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size()))
    return Fail(FieldError("file", "the workbook's " + part + " is not valid XML"));
  return doc;
}

// Built-in number formats that are dates (ECMA-376 18.8.30).
bool BuiltinDate(int id) { return (id >= 14 && id <= 22) || (id >= 45 && id <= 47); }

bool CustomDate(std::string code) {
  // Drop quoted text and [..] sections (colours, locales); then any d, m, y, h or s is a date/time.
  std::string plain;
  bool quoted = false, bracket = false;
  for (char ch : code) {
    if (ch == '"') quoted = !quoted;
    else if (ch == '[') bracket = true;
    else if (ch == ']') bracket = false;
    else if (!quoted && !bracket) plain += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return plain.find_first_of("dmyhs") != std::string::npos && plain.find("general") == std::string::npos;
}

// Excel serial day (1900 system) → "YYYY-MM-DD" or "YYYY-MM-DD HH:MM".
std::string SerialDate(double serial) {
  int64_t days = static_cast<int64_t>(std::floor(serial));
  double frac = serial - static_cast<double>(days);
  time_t secs = static_cast<time_t>((days - 25569) * 86400 + std::llround(frac * 86400));  // 25569 = 1970-01-01
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  if (frac > 1e-9)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

// A number as a spreadsheet shows it in General format: integers in full, others with
// up to 15 significant digits and no trailing zeros.
std::string ShowNumber(const std::string& raw) {
  char* end = nullptr;
  double d = std::strtod(raw.c_str(), &end);
  if (end == raw.c_str()) return raw;
  if (std::fabs(d) < 1e15 && d == std::floor(d)) return std::to_string(static_cast<int64_t>(d));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

// "BC12" → column index 54 (0-based); -1 when there is no column part.
int ColumnOf(const char* ref) {
  int col = 0, letters = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref, ++letters) col = col * 26 + (*ref - 'A' + 1);
  return letters ? col - 1 : -1;
}

std::string InlineText(const pugi::xml_node& node) {
  // <si> / <is>: either <t> or rich-text runs <r><t>…</t></r> (phonetic <rPh> ignored)
  std::string out = node.child("t").text().get();
  for (auto r : node.children("r")) out += r.child("t").text().get();
  return out;
}

}  // namespace

Result<SheetTable> ReadXlsx(const std::string& path) {
  int err = 0;
  Zip z(zip_open(path.c_str(), ZIP_RDONLY, &err));
  if (!z) return Fail(FieldError("file", "this file is not an .xlsx workbook (it is not a zip archive)"));
  // The first sheet, through the workbook's relationships.
  DB_ASSIGN_OR_RETURN(std::string wb_xml, ReadPart(z.get(), "xl/workbook.xml", true));
  DB_ASSIGN_OR_RETURN(auto wb, Parse(wb_xml, "workbook.xml"));
  auto sheet = wb.child("workbook").child("sheets").child("sheet");
  if (!sheet) return Fail(FieldError("file", "the workbook has no worksheet"));
  SheetTable table;
  table.sheet_name = sheet.attribute("name").as_string();
  std::string rid = sheet.attribute("r:id").as_string();
  std::string target = "worksheets/sheet1.xml";
  DB_ASSIGN_OR_RETURN(std::string rels_xml, ReadPart(z.get(), "xl/_rels/workbook.xml.rels", false));
  if (!rels_xml.empty()) {
    DB_ASSIGN_OR_RETURN(auto rels, Parse(rels_xml, "workbook relationships"));
    for (auto rel : rels.child("Relationships").children("Relationship"))
      if (rid == rel.attribute("Id").as_string()) target = rel.attribute("Target").as_string();
  }
  if (target.starts_with("/")) target = target.substr(1);
  else target = "xl/" + target;

  std::vector<std::string> shared;
  DB_ASSIGN_OR_RETURN(std::string ss_xml, ReadPart(z.get(), "xl/sharedStrings.xml", false));
  if (!ss_xml.empty()) {
    DB_ASSIGN_OR_RETURN(auto ss, Parse(ss_xml, "shared strings"));
    for (auto si : ss.child("sst").children("si")) shared.push_back(InlineText(si));
  }
  // Which cell styles show dates.
  std::set<int> date_styles;
  DB_ASSIGN_OR_RETURN(std::string st_xml, ReadPart(z.get(), "xl/styles.xml", false));
  if (!st_xml.empty()) {
    DB_ASSIGN_OR_RETURN(auto st, Parse(st_xml, "styles"));
    std::set<int> date_formats;
    for (auto nf : st.child("styleSheet").child("numFmts").children("numFmt"))
      if (CustomDate(nf.attribute("formatCode").as_string())) date_formats.insert(nf.attribute("numFmtId").as_int());
    int index = 0;
    for (auto xf : st.child("styleSheet").child("cellXfs").children("xf")) {
      int id = xf.attribute("numFmtId").as_int();
      if (BuiltinDate(id) || date_formats.contains(id)) date_styles.insert(index);
      ++index;
    }
  }

  DB_ASSIGN_OR_RETURN(std::string sheet_xml, ReadPart(z.get(), target, true));
  DB_ASSIGN_OR_RETURN(auto doc, Parse(sheet_xml, "worksheet"));
  int64_t next_row = 1;
  for (auto row : doc.child("worksheet").child("sheetData").children("row")) {
    int64_t r = row.attribute("r").as_llong(next_row);
    next_row = r + 1;
    std::vector<std::string> cells;
    int next_col = 0;
    bool any = false;
    for (auto c : row.children("c")) {
      int col = ColumnOf(c.attribute("r").as_string());
      if (col < 0) col = next_col;
      if (col > 16383) return Fail(FieldError("row " + std::to_string(r), "row " + std::to_string(r) + ": a cell beyond column XFD"));
      next_col = col + 1;
      std::string type = c.attribute("t").as_string();
      std::string v = c.child("v").text().get();
      std::string text;
      if (type == "s") {
        size_t i = std::strtoul(v.c_str(), nullptr, 10);
        text = i < shared.size() ? shared[i] : "";
      } else if (type == "inlineStr") {
        text = InlineText(c.child("is"));
      } else if (type == "str" || type == "e") {
        text = v;
      } else if (type == "b") {
        text = v == "1" ? "TRUE" : "FALSE";
      } else if (!v.empty()) {
        text = date_styles.contains(c.attribute("s").as_int(-1)) ? SerialDate(std::strtod(v.c_str(), nullptr)) : ShowNumber(v);
      }
      if (text.empty()) continue;
      if (static_cast<int>(cells.size()) <= col) cells.resize(col + 1);
      cells[col] = std::move(text);
      any = true;
    }
    if (!any) continue;
    table.rows.push_back(std::move(cells));
    table.row_numbers.push_back(r);
  }
  if (table.rows.empty()) return Fail(FieldError("file", "the first worksheet is empty"));
  // Every row as wide as the widest (columns line up with the header).
  size_t width = 0;
  for (auto& r : table.rows) width = std::max(width, r.size());
  for (auto& r : table.rows) r.resize(width);
  return table;
}

}  // namespace dialbook::importer
