// The import's own files: templates (CSV and XLSX with the workspace's fields) and the
// Google Sheets fetch (SPEC S6.1, S6.3).
#include <curl/curl.h>
#include <xlsxwriter.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "core/file.h"
#include "core/text.h"
#include "core/time.h"
#include "importer/table.h"
#include "service/imports.h"

namespace dialbook {

namespace {

struct TemplateColumn {
  std::string header, example;
};

Result<std::vector<TemplateColumn>> TemplateColumns(Service& svc, const Caller& caller) {
  std::vector<TemplateColumn> cols = {
      {"First Name", "Maria"},       {"Last Name", "Lopez"},         {"Phone", "+1 415 555 2671"},
      {"Email", "maria@example.com"}, {"Company", "Acme Dental"},     {"Street", "1 Market St"},
      {"City", "San Francisco"},      {"State", "CA"},                {"Zip", "94105"},
      {"Country", "US"},              {"Notes", "Prefers mornings"}, {"Tags", "vip|west"},
      {"Groups", "Patients"},         {"Do Not Call", "no"},          {"Consent", "yes"}};
  DB_ASSIGN_OR_RETURN(auto fields, svc.VisibleFields(caller, false));
  for (auto& f : fields) {
    std::string example;
    switch (f.type) {
      case FieldType::kInteger: example = "42"; break;
      case FieldType::kDecimal: example = "12.5"; break;
      case FieldType::kDate: example = FormatTime(NowMillis()).substr(0, 10); break;
      case FieldType::kCheckbox: example = "yes"; break;
      case FieldType::kDropdown: example = f.options.empty() ? "" : f.options[0]; break;
      default: example = "";
    }
    cols.push_back({f.label, example});
  }
  return cols;
}

size_t CollectBody(char* data, size_t size, size_t n, void* user) {
  auto* ctx = static_cast<std::pair<std::string*, size_t>*>(user);
  if (ctx->first->size() + size * n > ctx->second) return 0;  // over the limit: abort
  ctx->first->append(data, size * n);
  return size * n;
}

// scheme://host[:port] of a URL, lower-case.
std::string Origin(const std::string& url) {
  static const std::regex kOrigin(R"(^(https?://[^/?#]+))", std::regex::icase);
  std::smatch m;
  if (!std::regex_search(url, m, kOrigin)) return "";
  return ToLowerAscii(m[1].str());
}

}  // namespace

Result<std::string> Imports::TemplateCsv(const Caller& caller) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto cols, TemplateColumns(svc_, caller));
  std::vector<std::string> header, example;
  for (auto& c : cols) header.push_back(c.header), example.push_back(c.example);
  return "\xef\xbb\xbf" + importer::CsvLine(header) + importer::CsvLine(example);
}

Result<std::string> Imports::TemplateXlsx(const Caller& caller) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto cols, TemplateColumns(svc_, caller));
  static std::atomic<uint64_t> counter{0};  // libxlsxwriter writes to a file: one per request
  std::string path = ImportDir(caller.workspace_id) + "/template-" + std::to_string(::getpid()) + "-" +
                     std::to_string(++counter) + ".xlsx";
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Fail(ErrorCode::kInternal, "cannot write the template");
  lxw_worksheet* sheet = workbook_add_worksheet(wb, "Contacts");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* text = workbook_add_format(wb);
  format_set_num_format(text, "@");  // phones and zips stay text
  for (size_t i = 0; i < cols.size(); ++i) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(i), cols[i].header.c_str(), bold);
    worksheet_write_string(sheet, 1, static_cast<lxw_col_t>(i), cols[i].example.c_str(), text);
    worksheet_set_column(sheet, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i), 18, text);
  }
  if (workbook_close(wb) != LXW_NO_ERROR) return Fail(ErrorCode::kInternal, "cannot write the template");
  auto data = ReadFileBytes(path, SIZE_MAX);
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!data || data->empty()) return Fail(ErrorCode::kInternal, "cannot write the template");
  return *data;
}

Result<ImportView> Imports::CreateFromSheet(const Caller& caller, const std::string& url) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  // https://docs.google.com/spreadsheets/d/ID/edit#gid=N (or ?gid=N): only the id and the
  // sheet number are taken from the link; the export URL is built here, on the allowlisted
  // host, so a link can never make the server fetch anything else.
  static const std::regex kSheet(R"(^https?://[^/?#]+/spreadsheets/d/([A-Za-z0-9_-]{10,100})(?:[/?#].*)?$)");
  std::smatch m;
  if (url.size() > 2000 || !std::regex_match(url, m, kSheet))
    return Fail(FieldError("sheet_url", "this is not a Google Sheets link (https://docs.google.com/spreadsheets/d/…)"));
  const std::string allowed = Origin(config_.sheets_base);
  if (Origin(url) != allowed && Origin(url) != "https://docs.google.com")
    return Fail(FieldError("sheet_url", "only links to " + allowed + " are accepted"));
  std::string id = m[1].str();
  std::string gid = "0";
  static const std::regex kGid(R"([#?&]gid=([0-9]{1,15}))");
  std::smatch g;
  if (std::regex_search(url, g, kGid)) gid = g[1].str();
  std::string next = config_.sheets_base + "/spreadsheets/d/" + id + "/export?format=csv&gid=" + gid;
  std::string body;
  long status = 0;
  for (int hop = 0; hop < 5; ++hop) {
    CURL* curl = curl_easy_init();
    if (!curl) return Fail(ErrorCode::kInternal, "cannot fetch the sheet");
    body.clear();
    std::pair<std::string*, size_t> ctx{&body, static_cast<size_t>(config_.max_upload_bytes)};
    curl_easy_setopt(curl, CURLOPT_URL, next.c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are checked below
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config_.max_upload_bytes));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ctx);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "Dialbook-import/1");
    CURLcode rc = curl_easy_perform(curl);
    char* location = nullptr;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    std::string loc = location ? location : "";
    curl_easy_cleanup(curl);
    if (rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED)
      return Fail(MakeError(ErrorCode::kPayloadTooLarge, "the sheet is larger than the upload limit of " +
                                                             std::to_string(config_.max_upload_bytes >> 20) + " MB"));
    if (rc != CURLE_OK)
      return Fail(MakeError(ErrorCode::kUnavailable, std::string("cannot fetch the sheet: ") + curl_easy_strerror(rc))
                      .With("field", "sheet_url"));
    if (status >= 300 && status < 400 && !loc.empty()) {
      // Google answers the export with a redirect to its content host; anything else is refused.
      std::string origin = Origin(loc);
      bool ok = origin == allowed || origin == "https://docs.google.com" ||
                (origin.starts_with("https://") && origin.ends_with(".googleusercontent.com"));
      if (!ok) return Fail(FieldError("sheet_url", "the sheet redirected to " + origin + ", which is not allowed"));
      next = loc;
      continue;
    }
    break;
  }
  if (status == 401 || status == 403 || status == 404)
    return Fail(FieldError("sheet_url", "the sheet cannot be read (HTTP " + std::to_string(status) +
                                    "): share it as \"Anyone with the link can view\""));
  if (status != 200) return Fail(FieldError("sheet_url", "the sheet could not be fetched (HTTP " + std::to_string(status) + ")"));
  if (body.starts_with("<!DOCTYPE") || body.starts_with("<html"))
    return Fail(FieldError("sheet_url", "the link answered a web page, not the sheet: share it as \"Anyone with the link can view\""));
  return CreateFromBytes(caller, "Google Sheet " + id.substr(0, 12) + ".csv", body);
}

}  // namespace dialbook
