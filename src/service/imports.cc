#include "service/imports.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <set>

#include "core/file.h"
#include "core/text.h"
#include "core/time.h"
#include "domain/phone.h"
#include "importer/mapping.h"
#include "importer/pipeline.h"
#include "importer/table.h"
#include "service/import_mapping.h"
#include "service/import_rows.h"

namespace dialbook {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace import_detail;

namespace {

constexpr int kSampleRows = 200;

}  // namespace

// ============================================================================================

Imports::Imports(Service& service, ImportConfig config)
    : svc_(service), store_(service.store()), config_(std::move(config)) {
  if (config_.data_dir.empty()) config_.data_dir = (fs::temp_directory_path() / "dialbook-imports").string();
}

Imports::~Imports() {
  stopping_ = true;
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

std::string Imports::ImportDir(int64_t ws) const {
  std::string dir = config_.data_dir + "/imports/" + std::to_string(ws);
  std::error_code ec;
  fs::create_directories(dir, ec);
  return dir;
}

ImportView Imports::View(int64_t ws, const ImportRecord& rec) {
  ImportView v;
  v.rec = rec;
  v.progress.rows_total = rec.rows_total;
  v.progress.rows_done = rec.rows_done;
  std::shared_ptr<Live> live;
  {
    std::lock_guard lock(mu_);
    if (auto it = live_.find({ws, rec.id}); it != live_.end()) live = it->second;
  }
  if (live && rec.status == "running") {
    int64_t done = live->rows_done.load();
    v.progress.rows_done = std::max(done, rec.rows_done);
    double secs = (NowMillis() - live->started_ms) / 1000.0;
    if (secs > 0.2 && done > live->rows_at_start) {
      v.progress.rate = (done - live->rows_at_start) / secs;
      v.progress.eta_seconds = static_cast<int64_t>((rec.rows_total - v.progress.rows_done) / v.progress.rate + 0.5);
    }
  } else if (rec.status == "completed" || rec.status == "undone") {
    v.progress.eta_seconds = 0;
    if (rec.finished_at > rec.started_at && rec.started_at > 0)
      v.progress.rate = rec.rows_done * 1000.0 / (rec.finished_at - rec.started_at);
  }
  return v;
}

// ---- creating a draft -----------------------------------------------------------------------

Result<ImportView> Imports::CreateFromBytes(const Caller& caller, const std::string& file_name, std::string_view bytes) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  if (static_cast<int64_t>(bytes.size()) > config_.max_upload_bytes)
    return Fail(MakeError(ErrorCode::kPayloadTooLarge, "the file is larger than the upload limit of " +
                                                           std::to_string(config_.max_upload_bytes >> 20) + " MB")
                    .With("limit_bytes", std::to_string(config_.max_upload_bytes)));
  if (bytes.empty()) return Fail(FieldError("file", "the file is empty: it needs a header row and at least one row of data"));
  std::string dir = ImportDir(caller.workspace_id);
  static std::atomic<uint64_t> counter{0};
  std::string path = dir + "/upload-" + std::to_string(NowMillis()) + "-" + std::to_string(::getpid()) + "-" +
                     std::to_string(++counter);
  if (!WriteFileDurably(path, bytes)) return Fail(ErrorCode::kInternal, "cannot store the uploaded file");
  auto r = Create(caller, file_name, path);
  if (!r) fs::remove(path);
  return r;
}

Result<ImportView> Imports::CreateFromFile(const Caller& caller, const std::string& file_name, const std::string& path,
                                           bool keep_original) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Fail(ErrorCode::kNotFound, "cannot read " + path + ": no such file");
  auto size = fs::file_size(path, ec);
  if (ec) return Fail(ErrorCode::kNotFound, "cannot read " + path);
  if (size == 0) return Fail(FieldError("file", path + " is empty: it needs a header row and at least one row of data"));
  if (!keep_original && static_cast<int64_t>(size) > config_.max_upload_bytes)
    return Fail(MakeError(ErrorCode::kPayloadTooLarge, "the file is larger than the upload limit of " +
                                                           std::to_string(config_.max_upload_bytes >> 20) + " MB"));
  // The CLI imports the file where it is (a copy of a large file costs time and disk); the
  // job checks on resume that it has not changed.
  return Create(caller, file_name, fs::absolute(path).string());
}

Result<ImportView> Imports::Create(const Caller& caller, const std::string& file_name, const std::string& stored) {
  std::string head;
  {
    std::FILE* f = std::fopen(stored.c_str(), "rb");
    if (!f) return Fail(ErrorCode::kNotFound, "cannot read the file");
    char buf[256];
    size_t n = std::fread(buf, 1, sizeof buf, f);
    std::fclose(f);
    head.assign(buf, n);
  }
  auto format = importer::DetectFormat(file_name, head);
  // Text files have no NUL bytes (except UTF-16, which starts with its BOM).
  bool utf16 = head.size() >= 2 && ((head[0] == '\xff' && head[1] == '\xfe') || (head[0] == '\xfe' && head[1] == '\xff'));
  if (format == importer::FileFormat::kCsv && !utf16 && head.find('\0') != std::string::npos)
    return Fail(FieldError("file", "this is not a CSV, XLSX or vCard file (it holds binary data)"));
  DB_ASSIGN_OR_RETURN(auto reader, importer::TableReader::Open(stored, format));
  std::vector<std::string> header = reader->header();
  std::vector<std::vector<std::string>> samples;
  std::vector<std::string> cells;
  int64_t row = 0, rows = 0;
  while (true) {
    DB_ASSIGN_OR_RETURN(bool has, reader->Next(row, cells));
    if (!has) break;
    ++rows;
    if (config_.max_rows > 0 && rows > config_.max_rows)
      return Fail(MakeError(ErrorCode::kPayloadTooLarge, "the file has more than " + std::to_string(config_.max_rows) +
                                                             " rows, the most one import takes here")
                      .With("limit", std::to_string(config_.max_rows)));
    if (samples.size() < kSampleRows) samples.push_back(cells);
  }
  if (rows == 0) return Fail(FieldError("file", "the file has a header row but no rows of data"));
  DB_ASSIGN_OR_RETURN(Workspace ws, store_.GetWorkspace(caller.workspace_id));
  auto suggestions = importer::SuggestMapping(header, samples, ws.default_country);
  DB_ASSIGN_OR_RETURN(auto fields, svc_.VisibleFields(caller, false));
  DB_ASSIGN_OR_RETURN(auto saved, store_.ListMappings(caller.workspace_id));
  // A saved mapping whose headers are all in this file is the best suggestion.
  std::map<std::string, std::string> saved_field;
  std::string saved_name;
  for (auto& m : saved) {
    json cols = json::parse(m.columns_json, nullptr, false);
    if (!cols.is_array() || cols.empty()) continue;
    bool all = true;
    for (auto& c : cols) {
      bool found = false;
      for (auto& h : header) found |= FoldForSearch(h) == FoldForSearch(c.value("header", ""));
      all &= found;
    }
    if (!all) continue;
    saved_name = m.name;
    for (auto& c : cols) saved_field[FoldForSearch(c.value("header", ""))] = c.value("field", "");
    break;
  }
  json columns = json::array();
  for (size_t i = 0; i < header.size(); ++i) {
    std::string field = suggestions[i].field, reason = suggestions[i].reason;
    if (field.empty())
      for (auto& f : fields)
        if (FoldForSearch(f.label) == FoldForSearch(header[i]) || f.key == FoldForSearch(header[i]))
          field = "cf." + f.key, reason = "header";
    if (auto it = saved_field.find(FoldForSearch(header[i])); it != saved_field.end()) {
      bool exists = !it->second.starts_with("cf.");
      for (auto& f : fields) exists |= "cf." + f.key == it->second;
      if (exists) field = it->second, reason = "saved mapping " + saved_name;  // (a field not created yet is skipped)
    }
    json sample = json::array();
    for (auto& s : samples) {
      if (sample.size() >= 5) break;
      if (i < s.size() && !Trim(s[i]).empty()) sample.push_back(s[i].substr(0, 200));
    }
    columns.push_back({{"index", i}, {"header", header[i]}, {"suggested_field", field}, {"reason", reason},
                       {"sample", sample}, {"phone_share", suggestions[i].phone_share},
                       {"filled_share", suggestions[i].filled_share}});
  }
  json meta = {{"encoding", reader->encoding()},
               {"delimiter", reader->delimiter() ? std::string(1, reader->delimiter()) : ""},
               {"header", header},
               {"columns", columns},
               {"saved_mapping", saved_name}};
  std::error_code ec;
  ImportRecord rec;
  rec.user_id = caller.user_id;
  rec.status = "draft";
  rec.file_name = file_name.substr(0, 255);
  rec.format = importer::FormatName(format);
  rec.file_path = stored;
  rec.rows_total = rows;
  auto size = fs::file_size(stored, ec);
  auto mtime = fs::last_write_time(stored, ec).time_since_epoch().count();
  meta["file_size"] = ec ? 0 : static_cast<int64_t>(size);
  meta["file_mtime"] = static_cast<int64_t>(mtime);
  rec.meta_json = meta.dump(-1, ' ', false, json::error_handler_t::replace);
  DB_ASSIGN_OR_RETURN(rec, store_.CreateImport(caller.workspace_id, rec));
  rec.user_email = caller.email;
  return View(caller.workspace_id, rec);
}

Result<ImportView> Imports::Get(const Caller& caller, int64_t id) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  return View(caller.workspace_id, rec);
}

Result<std::vector<ImportView>> Imports::List(const Caller& caller, int limit, int64_t before_id) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto recs, store_.ListImports(caller.workspace_id, limit, before_id));
  std::vector<ImportView> out;
  for (auto& r : recs) out.push_back(View(caller.workspace_id, r));
  return out;
}

Status Imports::Delete(const Caller& caller, int64_t id) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  if (rec.status != "draft")
    return Fail(MakeError(ErrorCode::kRuleViolation, "only a draft import can be deleted (this one is " + rec.status +
                                                         "; undo it instead)"));
  DB_TRY(store_.DeleteImport(caller.workspace_id, id));
  if (rec.file_path.starts_with(config_.data_dir + "/imports/")) {
    std::error_code ec;
    fs::remove(rec.file_path, ec);
  }
  std::lock_guard lock(mu_);
  reviews_.erase({caller.workspace_id, id});
  return {};
}

// ---- mapping and review ------------------------------------------------------------------------

namespace {
std::vector<std::string> HeaderOf(const ImportRecord& rec) {
  json meta = json::parse(rec.meta_json, nullptr, false);
  std::vector<std::string> header;
  if (meta.is_object() && meta.contains("header"))
    for (auto& h : meta["header"]) header.push_back(h.get<std::string>());
  return header;
}
}  // namespace

Result<ImportView> Imports::SetMapping(const Caller& caller, int64_t id, const std::string& mapping_json) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  if (rec.status != "draft")
    return Fail(MakeError(ErrorCode::kRuleViolation, "the mapping of an import that is " + rec.status + " cannot change"));
  DB_ASSIGN_OR_RETURN(auto fields, svc_.VisibleFields(caller, true));
  DB_ASSIGN_OR_RETURN(Workspace ws, store_.GetWorkspace(caller.workspace_id));
  auto header = HeaderOf(rec);
  DB_ASSIGN_OR_RETURN(Mapping m, ParseMapping(mapping_json, header, fields, caller, ws));
  rec.mapping_json = MappingText(m);
  DB_TRY(store_.UpdateImport(caller.workspace_id, rec, "draft"));
  if (!m.save_as.empty()) {
    json cols = json::array();
    for (size_t i = 0; i < m.columns.size(); ++i)
      if (!m.columns[i].field.empty())  // a new field is saved as the cf.KEY it becomes
        cols.push_back({{"header", header[i]}, {"field", m.columns[i].field}});
    DB_TRY(store_.SaveMapping(caller.workspace_id, SavedMapping{0, m.save_as, cols.dump(), 0}));
  }
  return View(caller.workspace_id, rec);
}

Result<std::pair<std::shared_ptr<const ReviewResult>, std::shared_ptr<const std::vector<RowOutcome>>>>
Imports::ComputeReview(const Caller& caller, const ImportRecord& rec) {
  if (rec.mapping_json.empty())
    return Fail(MakeError(ErrorCode::kRuleViolation, "map the columns first (PUT /imports/{id}/mapping)")
                    .With("field", "mapping"));
  DB_ASSIGN_OR_RETURN(Workspace ws, store_.GetWorkspace(caller.workspace_id));
  const auto key = std::make_pair(caller.workspace_id, rec.id);
  {
    std::lock_guard lock(mu_);
    auto it = reviews_.find(key);
    if (it != reviews_.end() && it->second.mapping_json == rec.mapping_json &&
        it->second.contact_count == ws.contact_count)
      return std::make_pair(it->second.review, it->second.outcomes);
  }
  DB_ASSIGN_OR_RETURN(auto fields, svc_.VisibleFields(caller, true));
  auto header = HeaderOf(rec);
  DB_ASSIGN_OR_RETURN(Mapping m, ParseMapping(rec.mapping_json, header, fields, caller, ws));
  RowPlan plan = BuildPlan(m, fields, header);
  auto review = std::make_shared<ReviewResult>();
  auto outcomes = std::make_shared<std::vector<RowOutcome>>();
  outcomes->reserve(rec.rows_total);
  for (auto& c : m.columns)
    if (c.new_field) review->new_fields.push_back(*c.new_field);
  DB_ASSIGN_OR_RETURN(auto reader, importer::TableReader::Open(rec.file_path, importer::ParseFormat(rec.format)));
  PhoneSet seen;
  int64_t phone_missing = 0, phone_invalid = 0;
  auto sink = [&](Chunk& chunk) -> Status {
    DB_ASSIGN_OR_RETURN(auto decisions, Decide(store_, caller.workspace_id, chunk, seen, m.options.on_duplicate));
    for (size_t i = 0; i < decisions.size(); ++i) {
      const Decision& d = decisions[i];
      ++review->rows_total;
      review->by_status[importer::RowStatusName(d.status)]++;
      switch (d.status) {
        case RowStatus::kReady:
          ++review->will_create;
          if (review->sample.size() < 5) review->sample.push_back(chunk.prepared[i].contact);
          break;
        case RowStatus::kWillUpdate: ++review->will_update; break;
        default:
          ++review->will_skip;
          review->skipped[d.reason]++;
          if (d.status == RowStatus::kNeedsAttention || d.status == RowStatus::kIncomplete) {
            if (review->strict_ok)
              review->first_problem = "row " + std::to_string(chunk.rows[i]) + ": " + d.message;
            review->strict_ok = false;
          }
      }
      if (d.reason == "missing_phone") ++phone_missing;
      if (d.reason == "invalid_phone" || d.reason == "fake_number") ++phone_invalid;
      outcomes->push_back({chunk.rows[i], static_cast<uint8_t>(d.status), d.reason, d.other});
    }
    return {};
  };
  DB_TRY(ForEachChunk(*reader, plan, config_.threads, static_cast<size_t>(config_.batch_rows), sink, &stopping_));
  // A phone column that is mostly empty or invalid: say so, and name a better one.
  if (review->rows_total > 0 && (phone_missing + phone_invalid) * 2 > review->rows_total) {
    int phone_col = -1;
    for (size_t i = 0; i < m.columns.size(); ++i)
      if (m.columns[i].field == "phone") phone_col = static_cast<int>(i);
    json meta = json::parse(rec.meta_json, nullptr, false);
    int better = -1;
    double best = 0.5;
    if (meta.is_object())
      for (auto& c : meta["columns"]) {
        int idx = c.value("index", -1);
        double share = c.value("phone_share", 0.0) * c.value("filled_share", 0.0);
        if (idx != phone_col && share > best) best = share, better = idx;
      }
    ReviewResult::Warning w;
    w.column = phone_col;
    int pct = static_cast<int>(100.0 * (phone_missing + phone_invalid) / review->rows_total + 0.5);
    w.message = "the phone column '" + (phone_col >= 0 ? header[phone_col] : std::string()) + "' is empty or invalid in " +
                std::to_string(pct) + "% of the rows";
    if (better >= 0) {
      w.suggest_index = better;
      w.message += "; column '" + header[better] + "' looks like phone numbers — map it to phone instead";
    }
    review->warnings.push_back(w);
  }
  std::lock_guard lock(mu_);
  if (reviews_.size() > 8) reviews_.erase(reviews_.begin());
  reviews_[key] = Cached{rec.mapping_json, ws.contact_count, review, outcomes};
  return std::make_pair(std::shared_ptr<const ReviewResult>(review), std::shared_ptr<const std::vector<RowOutcome>>(outcomes));
}

Result<ReviewResult> Imports::Review(const Caller& caller, int64_t id) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  if (rec.status != "draft")
    return Fail(MakeError(ErrorCode::kRuleViolation, "the import is " + rec.status + "; its summary replaces the review"));
  DB_ASSIGN_OR_RETURN(auto r, ComputeReview(caller, rec));
  return *r.first;
}

Result<std::vector<ImportRow>> Imports::Rows(const Caller& caller, int64_t id, int64_t offset, int limit,
                                             const std::string& status, int64_t* total) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  std::shared_ptr<const std::vector<RowOutcome>> outcomes;
  std::optional<RowPlan> plan;
  std::vector<FieldDef> fields;
  Mapping m;
  auto header = HeaderOf(rec);
  if (!rec.mapping_json.empty() && rec.status == "draft") {
    DB_ASSIGN_OR_RETURN(auto r, ComputeReview(caller, rec));
    outcomes = r.second;
    DB_ASSIGN_OR_RETURN(fields, svc_.VisibleFields(caller, true));
    DB_ASSIGN_OR_RETURN(Workspace ws, store_.GetWorkspace(caller.workspace_id));
    DB_ASSIGN_OR_RETURN(m, ParseMapping(rec.mapping_json, header, fields, caller, ws));
    plan = BuildPlan(m, fields, header);
  } else if (!status.empty()) {
    return Fail(FieldError("status", "rows can be filtered by status once the columns are mapped (and before the import runs)"));
  }
  static const std::set<std::string> kStatuses = {"", "ready", "will_update", "needs_attention", "incomplete", "skip"};
  if (!kStatuses.contains(status))
    return Fail(FieldError("status", "status must be ready, will_update, needs_attention, incomplete or skip"));
  DB_ASSIGN_OR_RETURN(auto reader, importer::TableReader::Open(rec.file_path, importer::ParseFormat(rec.format)));
  std::vector<ImportRow> out;
  int64_t matched = 0, ordinal = 0, row = 0;
  std::vector<std::string> cells;
  *total = 0;
  if (outcomes) {
    for (auto& o : *outcomes)
      if (status.empty() || status == importer::RowStatusName(static_cast<RowStatus>(o.status))) ++*total;
  } else {
    *total = rec.rows_total;
  }
  while (static_cast<int>(out.size()) < limit) {
    DB_ASSIGN_OR_RETURN(bool has, reader->Next(row, cells));
    if (!has) break;
    const RowOutcome* o = outcomes && ordinal < static_cast<int64_t>(outcomes->size()) ? &(*outcomes)[ordinal] : nullptr;
    ++ordinal;
    if (!status.empty() && (!o || status != importer::RowStatusName(static_cast<RowStatus>(o->status)))) continue;
    if (matched++ < offset) continue;
    ImportRow r;
    r.row_number = row;
    r.values = cells;
    if (plan && o) {
      PreparedRow p = importer::PrepareRow(*plan, cells, row);
      r.status = importer::RowStatusName(static_cast<RowStatus>(o->status));
      r.reason = o->reason;
      r.message = p.message;
      if (o->reason == "duplicate_in_file") r.message = "the same phone number is on row " + std::to_string(o->other);
      else if (o->reason == "already_exists") r.message = "already in your contacts (contact " + std::to_string(o->other) + ")";
      else if (o->status == static_cast<uint8_t>(RowStatus::kWillUpdate)) r.message = "updates contact " + std::to_string(o->other);
      if (p.status == RowStatus::kReady || o->status == static_cast<uint8_t>(RowStatus::kSkip)) {
        if (!p.contact.phone.empty()) r.contact = p.contact;
      }
      if (o->reason == "already_exists" || o->status == static_cast<uint8_t>(RowStatus::kWillUpdate)) r.existing_id = o->other;
    }
    out.push_back(std::move(r));
  }
  return out;
}

// ---- running -----------------------------------------------------------------------------------

Status Imports::Prepare(const Caller& caller, ImportRecord& rec, bool consent_attested) {
  if (rec.status != "draft")
    return Fail(MakeError(ErrorCode::kRuleViolation, "the import is already " + rec.status));
  if (!consent_attested)
    return Fail(FieldError("consent_attested", "confirm that these contacts agreed to be contacted (consent_attested: true)"));
  if (rec.mapping_json.empty())
    return Fail(MakeError(ErrorCode::kRuleViolation, "map the columns first (PUT /imports/{id}/mapping)").With("field", "mapping"));
  DB_ASSIGN_OR_RETURN(auto fields, svc_.VisibleFields(caller, true));
  DB_ASSIGN_OR_RETURN(Workspace ws, store_.GetWorkspace(caller.workspace_id));
  auto header = HeaderOf(rec);
  DB_ASSIGN_OR_RETURN(Mapping m, ParseMapping(rec.mapping_json, header, fields, caller, ws));
  if (m.options.strict || ws.contact_limit > 0) {
    DB_ASSIGN_OR_RETURN(auto r, ComputeReview(caller, rec));
    if (m.options.strict && !r.first->strict_ok)
      return Fail(MakeError(ErrorCode::kRuleViolation, "strict mode: the file is refused because of " + r.first->first_problem)
                      .With("field", "options.strict"));
    // The plan limit (S1.5): an import that would pass it is refused whole, before any row is
    // written. (The batch transactions keep their own check for contacts created meanwhile.)
    const int64_t room = std::max<int64_t>(0, ws.contact_limit - ws.contact_count);
    if (ws.contact_limit > 0 && r.first->will_create > room)
      return Fail(MakeError(ErrorCode::kRuleViolation,
                            "the import would add " + std::to_string(r.first->will_create) +
                                " contacts, but the workspace's contact limit of " + std::to_string(ws.contact_limit) +
                                " leaves room for " + std::to_string(room) + "; nothing was imported")
                      .With("limit", std::to_string(ws.contact_limit))
                      .With("count", std::to_string(ws.contact_count))
                      .With("will_create", std::to_string(r.first->will_create)));
  }
  // New custom fields now, so that a resumed job finds them.
  for (auto& c : m.columns) {
    if (!c.new_field) continue;
    FieldInput in;
    in.key = c.new_field->key;
    in.label = c.new_field->label;
    in.type = FieldTypeName(c.new_field->type);
    auto made = svc_.CreateField(caller, in);
    if (!made) {
      Error e = made.error();
      e.details["field"] = "new_field." + e.details["field"];
      return Fail(e);
    }
    c.new_field.reset();
  }
  if (!m.options.list_name.empty()) {
    DB_ASSIGN_OR_RETURN(auto list, store_.CreateList(caller.workspace_id, DialList{0, m.options.list_name, m.options.dial_mode, rec.id, 0, 0}));
    rec.list_id = list.id;
  }
  rec.mapping_json = MappingText(m);
  rec.status = "running";
  rec.consent_by = caller.email;
  rec.consent_at = NowMillis();
  rec.started_at = NowMillis();
  rec.rows_done = 0;
  rec.last_row = 0;
  rec.errors_bytes = 0;
  rec.summary_json = "";
  DB_TRY(store_.UpdateImport(caller.workspace_id, rec, "draft"));
  return {};
}

Result<ImportView> Imports::Start(const Caller& caller, int64_t id, bool consent_attested) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  DB_TRY(Prepare(caller, rec, consent_attested));
  Launch(caller, id, false);
  DB_ASSIGN_OR_RETURN(rec, store_.GetImport(caller.workspace_id, id));
  return View(caller.workspace_id, rec);
}

Result<ImportView> Imports::Run(const Caller& caller, int64_t id, bool consent_attested, const ProgressFn& progress) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  DB_TRY(Prepare(caller, rec, consent_attested));
  auto st = Execute(caller, id, false, progress);
  DB_ASSIGN_OR_RETURN(rec, store_.GetImport(caller.workspace_id, id));
  if (!st && rec.status == "running") return std::unexpected(st.error());
  return View(caller.workspace_id, rec);
}

Result<ImportView> Imports::Resume(const Caller& caller, int64_t id, const ProgressFn& progress) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  if (rec.status != "running")
    return Fail(MakeError(ErrorCode::kRuleViolation, "only an interrupted import can be resumed (this one is " + rec.status + ")"));
  {
    std::lock_guard lock(mu_);
    if (live_.contains({caller.workspace_id, id}))
      return Fail(MakeError(ErrorCode::kRuleViolation, "the import is running now"));
  }
  auto st = Execute(caller, id, true, progress);
  DB_ASSIGN_OR_RETURN(rec, store_.GetImport(caller.workspace_id, id));
  if (!st && rec.status == "running") return std::unexpected(st.error());
  return View(caller.workspace_id, rec);
}

void Imports::Launch(const Caller& caller, int64_t id, bool resuming) {
  std::lock_guard lock(mu_);
  threads_.emplace_back([this, caller, id, resuming] {
    auto st = Execute(caller, id, resuming, nullptr);
    if (!st) spdlog::warn("import {} stopped: {}", id, st.error().message);
  });
}

void Imports::ResumeInterrupted() {
  auto running = store_.ListRunningImports();
  if (!running) return;
  for (auto& [ws, rec] : *running) {
    auto caller = svc_.CallerForUser(rec.user_id, ws);
    if (!caller) {
      rec.status = "failed";
      rec.error = "the user who started the import is no longer a member; nothing after row " +
                  std::to_string(rec.last_row) + " was imported";
      rec.finished_at = NowMillis();
      (void)store_.UpdateImport(ws, rec, "running");
      continue;
    }
    spdlog::info("resuming import {} after row {}", rec.id, rec.last_row);
    Launch(*caller, rec.id, true);
  }
}

void Imports::Wait(int64_t ws, int64_t id) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !live_.contains({ws, id}); });
}

Status Imports::Execute(const Caller& caller, int64_t id, bool resuming, const ProgressFn& progress) {
  const int64_t ws = caller.workspace_id;
  const auto key = std::make_pair(ws, id);
  auto live = std::make_shared<Live>();
  {
    std::lock_guard lock(mu_);
    if (live_.contains(key)) return Fail(MakeError(ErrorCode::kRuleViolation, "the import is running now"));
    live_[key] = live;
  }
  struct Done {
    Imports* self;
    std::pair<int64_t, int64_t> key;
    ~Done() {
      std::lock_guard lock(self->mu_);
      self->live_.erase(key);
      self->cv_.notify_all();
    }
  } done{this, key};

  DB_ASSIGN_OR_RETURN(ImportRecord rec, store_.GetImport(ws, id));
  auto fail = [&](const std::string& message) -> Status {
    rec.status = "failed";
    rec.error = message;
    rec.finished_at = NowMillis();
    (void)store_.UpdateImport(ws, rec, "running");
    return Fail(ErrorCode::kRuleViolation, message);
  };
  json meta = json::parse(rec.meta_json, nullptr, false);
  if (resuming && meta.is_object()) {
    std::error_code ec;
    auto size = fs::file_size(rec.file_path, ec);
    auto mtime = fs::last_write_time(rec.file_path, ec).time_since_epoch().count();
    if (ec || static_cast<int64_t>(size) != meta.value("file_size", int64_t{0}) ||
        static_cast<int64_t>(mtime) != meta.value("file_mtime", int64_t{0}))
      return fail("the file " + rec.file_path + " is gone or has changed since the import started; rows up to " +
                  std::to_string(rec.last_row) + " were imported (undo removes them)");
  }
  DB_ASSIGN_OR_RETURN(auto fields, svc_.VisibleFields(caller, true));
  DB_ASSIGN_OR_RETURN(Workspace wsrec, store_.GetWorkspace(ws));
  auto header = HeaderOf(rec);
  auto parsed = ParseMapping(rec.mapping_json, header, fields, caller, wsrec);
  if (!parsed) return fail("the mapping no longer fits the workspace: " + parsed.error().message);
  Mapping m = std::move(*parsed);
  RowPlan plan = BuildPlan(m, fields, header);
  std::vector<std::string> import_tags = m.options.tags;
  if (!m.options.auto_tag.empty()) import_tags.push_back(m.options.auto_tag);
  std::string department;
  if (caller.department_id) {
    auto d = store_.GetSet(ws, SetKind::kDepartment, *caller.department_id);
    if (d) department = d->name;
  }
  Consent consent{"granted", "import #" + std::to_string(id) + " attested by " + rec.consent_by, rec.consent_at};

  // The error file: the original header plus a Reason column; after a crash, cut back to
  // what the last committed batch counted.
  std::string errors_path = ImportDir(ws) + "/" + std::to_string(id) + ".errors.csv";
  if (!resuming || rec.errors_bytes == 0) {
    std::vector<std::string> h = header;
    h.push_back("Reason");
    std::string first = "\xef\xbb\xbf" + importer::CsvLine(h);
    if (!WriteFileDurably(errors_path, first)) return fail("cannot write the error file");
    rec.errors_bytes = static_cast<int64_t>(first.size());
  } else {
    std::error_code ec;
    fs::resize_file(errors_path, static_cast<uintmax_t>(rec.errors_bytes), ec);
    if (ec) return fail("the error file is missing; rows up to " + std::to_string(rec.last_row) + " were imported");
  }
  std::FILE* errors = std::fopen(errors_path.c_str(), "ab");
  if (!errors) return fail("cannot write the error file");
  struct CloseFile {
    std::FILE* f;
    ~CloseFile() { std::fclose(f); }
  } close_errors{errors};

  json summary = json::parse(rec.summary_json.empty() ? "{}" : rec.summary_json, nullptr, false);
  if (!summary.is_object()) summary = json::object();
  auto counter = [&](const char* k) -> int64_t& {
    if (!summary.contains(k)) summary[k] = 0;
    return summary[k].get_ref<int64_t&>();
  };
  counter("rows"), counter("imported"), counter("updated"), counter("unchanged");
  if (!summary.contains("skipped")) summary["skipped"] = json::object();
  int64_t list_added = summary.value("list_added", int64_t{0});

  live->rows_at_start = rec.rows_done;
  live->rows_done = rec.rows_done;
  live->started_ms = NowMillis();
  DB_ASSIGN_OR_RETURN(auto reader, importer::TableReader::Open(rec.file_path, importer::ParseFormat(rec.format)));
  PhoneSet seen;
  const int64_t resume_after = resuming ? rec.last_row : 0;
  std::string pending_errors;  // rows refused inside the last transaction, for the next one

  // Two stages, one batch apart: while a batch commits on its own thread, the next one is
  // planned here (duplicates, existing contacts, error lines). That is safe: the phones of
  // the committing batch are in `seen`, so the next batch cannot create or update the same
  // contacts, and whatever else changes meanwhile is checked again inside the transaction.
  struct Planned {
    Chunk chunk;
    ImportBatch batch;
    std::vector<size_t> write_row;  // index in chunk of each write
    std::string error_lines;        // rows refused while planning
    int64_t unchanged = 0;
    std::map<std::string, int64_t> skipped;
  };
  const int64_t list_id = rec.list_id;
  auto plan_batch = [&](Chunk& chunk) -> Result<std::unique_ptr<Planned>> {
    // Rows already committed before a crash: only remember their phones.
    if (chunk.rows.back() <= resume_after) {
      for (auto& p : chunk.prepared)
        if (p.status == RowStatus::kReady) seen.FirstOrInsert(p.contact.phone, p.row_number);
      return nullptr;
    }
    size_t first = 0;
    while (first < chunk.rows.size() && chunk.rows[first] <= resume_after) {
      auto& p = chunk.prepared[first];
      if (p.status == RowStatus::kReady) seen.FirstOrInsert(p.contact.phone, p.row_number);
      ++first;
    }
    if (first > 0) {
      chunk.rows.erase(chunk.rows.begin(), chunk.rows.begin() + first);
      chunk.cells.erase(chunk.cells.begin(), chunk.cells.begin() + first);
      chunk.prepared.erase(chunk.prepared.begin(), chunk.prepared.begin() + first);
    }
    int64_t phones_checked_at = -1;
    DB_ASSIGN_OR_RETURN(auto decisions, Decide(store_, ws, chunk, seen, m.options.on_duplicate, &phones_checked_at));
    // Existing contacts to update, loaded in one go.
    std::vector<int64_t> update_ids;
    for (auto& d : decisions)
      if (d.status == RowStatus::kWillUpdate) update_ids.push_back(d.other);
    std::map<int64_t, Contact> existing;
    if (!update_ids.empty()) {
      DB_ASSIGN_OR_RETURN(auto got, store_.GetContacts(ws, update_ids));
      for (auto& c : got) existing[c.id] = std::move(c);
    }
    auto pl = std::make_unique<Planned>();
    ImportBatch& batch = pl->batch;
    batch.import_id = id;
    batch.allow_same_phone = m.options.on_duplicate == "create";
    batch.list_id = list_id;
    batch.phones_checked_at = phones_checked_at;
    auto skip = [&](size_t i, const std::string& reason, const std::string& message) {
      ++pl->skipped[reason];
      std::vector<std::string> line = chunk.cells[i];
      line.resize(header.size());
      line.push_back("row " + std::to_string(chunk.rows[i]) + ": " + (message.empty() ? reason : message));
      pl->error_lines += importer::CsvLine(line);
    };
    for (size_t i = 0; i < decisions.size(); ++i) {
      const Decision& d = decisions[i];
      PreparedRow& p = chunk.prepared[i];
      if (d.status != RowStatus::kReady && d.status != RowStatus::kWillUpdate) {
        skip(i, d.reason, d.message);
        continue;
      }
      Contact c = std::move(p.contact);
      for (auto& t : import_tags) {
        bool have = false;
        for (auto& x : c.tags) have |= FoldForSearch(x) == FoldForSearch(t);
        if (!have) c.tags.push_back(t);
      }
      if (!department.empty()) c.department = department, p.given |= importer::kDepartment;
      c.consent = consent;
      ImportWrite w;
      if (d.status == RowStatus::kWillUpdate) {
        auto it = existing.find(d.other);
        if (it == existing.end()) {
          skip(i, "changed_meanwhile", "the existing contact was deleted while importing");
          continue;
        }
        Contact target = it->second;
        p.contact = std::move(c);
        std::string changes = MergeInto(target, p, m.options.on_duplicate == "update_empty");
        if (changes.empty()) {
          ++pl->unchanged;
          continue;
        }
        w.kind = ImportWrite::Kind::kUpdate;
        w.expected_version = target.version;
        w.changes_json = changes;
        w.join_list = list_id && !target.do_not_call && target.consent.status == "granted";
        w.contact = std::move(target);
        it->second = w.contact;  // a later row of the same batch builds on this
        it->second.version += 1;
      } else {
        w.kind = ImportWrite::Kind::kCreate;
        w.join_list = list_id && !c.do_not_call;
        w.contact = std::move(c);
      }
      batch.writes.push_back(std::move(w));
      pl->write_row.push_back(i);
    }
    store_.PrepareImportBatch(ws, batch);
    // The cells stay for the error lines of rows the transaction refuses; the prepared rows
    // were moved into the writes.
    pl->chunk.rows = std::move(chunk.rows);
    pl->chunk.cells = std::move(chunk.cells);
    return pl;
  };

  auto commit = [&](Planned& pl) -> Status {
    const Chunk& chunk = pl.chunk;
    ImportBatch& batch = pl.batch;
    // Errors first, made durable; the batch then commits the new length with the rows.
    std::string error_lines = std::move(pending_errors);
    pending_errors.clear();
    error_lines += pl.error_lines;
    if (!error_lines.empty()) {
      if (std::fwrite(error_lines.data(), 1, error_lines.size(), errors) != error_lines.size() || std::fflush(errors) != 0)
        return fail("cannot write the error file");
      ::fdatasync(fileno(errors));
    }
    int64_t errors_bytes = rec.errors_bytes + static_cast<int64_t>(error_lines.size());
    int64_t imported = 0, updated = 0, joined = 0;
    for (auto& w : batch.writes) {
      if (w.kind == ImportWrite::Kind::kCreate) ++imported;
      else ++updated;
      joined += w.join_list;
    }
    json next = summary;
    next["rows"] = next["rows"].get<int64_t>() + static_cast<int64_t>(chunk.rows.size());
    next["unchanged"] = next["unchanged"].get<int64_t>() + pl.unchanged;
    for (auto& [reason, n] : pl.skipped) next["skipped"][reason] = next["skipped"].value(reason, int64_t{0}) + n;
    next["imported"] = next["imported"].get<int64_t>() + imported;
    next["updated"] = next["updated"].get<int64_t>() + updated;
    next["list_added"] = list_added + joined;
    batch.progress = rec;
    batch.progress.rows_done = rec.rows_done + static_cast<int64_t>(chunk.rows.size());
    batch.progress.last_row = chunk.rows.back();
    batch.progress.errors_bytes = errors_bytes;
    batch.progress.summary_json = next.dump();
    auto st = store_.ApplyImportBatch(ws, batch, Actor{caller.user_id});
    if (!st) {
      std::error_code ec;
      std::fflush(errors);
      fs::resize_file(errors_path, static_cast<uintmax_t>(rec.errors_bytes), ec);
      std::string why = st.error().code == ErrorCode::kRuleViolation && st.error().details.contains("limit")
                            ? "the workspace's contact limit of " + st.error().details.at("limit") + " was reached"
                            : st.error().message;
      return fail(why + "; the import stopped before row " + std::to_string(chunk.rows.front()) +
                  " (rows before it were imported; undo removes them)");
    }
    rec.rows_done = batch.progress.rows_done;
    rec.last_row = batch.progress.last_row;
    rec.errors_bytes = errors_bytes;
    summary = std::move(next);
    list_added = summary["list_added"].get<int64_t>();
    // Rows the transaction itself refused (a phone taken or a contact changed meanwhile).
    for (size_t k = 0; k < batch.writes.size(); ++k) {
      const ImportWrite& w = batch.writes[k];
      if (w.skipped.empty()) continue;
      if (w.kind == ImportWrite::Kind::kCreate) --counter("imported");
      else --counter("updated");
      if (w.join_list) --list_added, summary["list_added"] = list_added;
      size_t i = pl.write_row[k];
      summary["skipped"][w.skipped] = summary["skipped"].value(w.skipped, int64_t{0}) + 1;
      std::vector<std::string> line = chunk.cells[i];
      line.resize(header.size());
      line.push_back("row " + std::to_string(chunk.rows[i]) + ": " + (w.skipped == "already_exists" ? "already in your contacts (contact " + std::to_string(w.existing_id) + ")"
                                                    : "the contact changed while importing; import the row again"));
      pending_errors += importer::CsvLine(line);
    }
    live->rows_done = rec.rows_done;
    if (progress) {
      rec.summary_json = summary.dump();
      progress(View(ws, rec));
    }
    return {};
  };

  // At most one batch commits while the next is planned; a failed commit stops the reading.
  // A batch that may update contacts is planned after the one before it committed: it reads
  // the contacts it changes, and one of them may be the committing batch's.
  std::future<Status> committing;
  auto committed = [&]() -> Status { return committing.valid() ? committing.get() : Status{}; };
  const bool updates = m.options.on_duplicate == "update" || m.options.on_duplicate == "update_empty";
  auto sink = [&](Chunk& chunk) -> Status {
    if (updates) DB_TRY(committed());
    DB_ASSIGN_OR_RETURN(auto planned, plan_batch(chunk));
    DB_TRY(committed());
    if (!planned) return {};
    committing = std::async(std::launch::async, [&commit, pl = std::shared_ptr<Planned>(std::move(planned))] {
      return commit(*pl);
    });
#if defined(__GLIBC__)
    // The batch before this one is gone: its rows (tens of MiB, read, planned and written on
    // different threads) were freed into malloc arenas that keep their pages. Given back here,
    // beside the commit rather than before it, a million-row import peaks about 40 MiB lower
    // (measured: 275-305 → 235-256 MiB).
    malloc_trim(0);
#endif
    return {};
  };
  // The writer sets the pace: measured on 2 cores at a million rows, the batches' commits
  // waited 7 s in all for a core behind the preparing threads at equal priority, 1.7 s with
  // those at the lowest (the planner, this thread, stays at ordinary priority: the commit
  // threads it starts inherit it).
  auto st = ForEachChunk(*reader, plan, config_.threads, static_cast<size_t>(config_.batch_rows), sink, &stopping_,
                         /*background=*/true);
  if (auto last = committed(); st && !last) st = last;
  if (!st) {
    if (stopping_) return st;  // stays running: resumed on the next start
    DB_ASSIGN_OR_RETURN(auto now, store_.GetImport(ws, id));
    if (now.status == "running") return fail(st.error().message);
    return st;
  }
  if (!pending_errors.empty()) {
    std::fwrite(pending_errors.data(), 1, pending_errors.size(), errors);
    std::fflush(errors);
    ::fdatasync(fileno(errors));
    rec.errors_bytes += static_cast<int64_t>(pending_errors.size());
  }
  summary["list_added"] = list_added;
  rec.summary_json = summary.dump();
  rec.status = "completed";
  rec.finished_at = NowMillis();
  rec.error.clear();
  DB_TRY(store_.UpdateImport(ws, rec, "running"));
  {
    std::lock_guard lock(mu_);
    reviews_.erase(key);
  }
  if (progress) progress(View(ws, rec));
  CompactAfter(summary.value("imported", int64_t{0}) + summary.value("updated", int64_t{0}));
  return {};
}

void Imports::CompactAfter(int64_t contacts_written) {
  // Batch after batch, the search index grows in many segments; merged, a search reads one
  // doclist per term (at a million contacts: 30 % more searches per second for about 2 s of
  // writer time). The import already reads as completed or undone.
  auto done = store_.CompactSearchIndex(contacts_written);
  if (!done) spdlog::warn("compacting the search index after {} contacts: {}", contacts_written, done.error().message);
  else if (*done) spdlog::info("search index compacted after {} contacts written", contacts_written);
}

// ---- undo, files, mappings, lists ------------------------------------------------------------------

Result<ImportView> Imports::Undo(const Caller& caller, int64_t id) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  {
    std::lock_guard lock(mu_);
    if (live_.contains({caller.workspace_id, id}))
      return Fail(MakeError(ErrorCode::kRuleViolation, "the import is still running; wait for it to finish"));
  }
  if (rec.status != "completed" && rec.status != "failed")
    return Fail(MakeError(ErrorCode::kRuleViolation, rec.status == "undone" ? "the import was already undone"
                                                                               : "only a finished import can be undone (this one is " + rec.status + ")"));
  DB_ASSIGN_OR_RETURN(auto outcome, store_.UndoImport(caller.workspace_id, id, Actor{caller.user_id}));
  json conflicts = json::array();
  for (auto& [cid, why] : outcome.conflicts) conflicts.push_back({{"contact_id", cid}, {"reason", why}});
  rec.undo_json = json{{"at", NowMillis()}, {"by", caller.email}, {"removed", outcome.removed},
                       {"restored", outcome.restored}, {"conflicts", conflicts}}
                      .dump();
  rec.status = "undone";
  DB_TRY(store_.UpdateImport(caller.workspace_id, rec, ""));
  CompactAfter(outcome.removed + outcome.restored);
  return View(caller.workspace_id, rec);
}

Result<std::string> Imports::ErrorsFile(const Caller& caller, int64_t id) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  if (rec.status == "draft") return Fail(ErrorCode::kNotFound, "the import has not run yet: there is no error file");
  std::string path = ImportDir(caller.workspace_id) + "/" + std::to_string(id) + ".errors.csv";
  std::error_code ec;
  if (!fs::exists(path, ec)) return Fail(ErrorCode::kNotFound, "the error file is gone");
  return path;
}

Result<std::vector<SavedMapping>> Imports::ListMappings(const Caller& caller) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  return store_.ListMappings(caller.workspace_id);
}

Status Imports::DeleteMapping(const Caller& caller, int64_t id) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  return store_.DeleteMapping(caller.workspace_id, id);
}

Result<std::vector<DialList>> Imports::ListLists(const Caller& caller) { return store_.ListLists(caller.workspace_id); }

Result<DialList> Imports::GetList(const Caller& caller, int64_t id) { return store_.GetList(caller.workspace_id, id); }

Result<std::vector<DialListMember>> Imports::ListMembers(const Caller& caller, int64_t id, int64_t after, int limit) {
  DB_TRY(store_.GetList(caller.workspace_id, id));
  return store_.ListListMembers(caller.workspace_id, id, after, limit);
}

}  // namespace dialbook
