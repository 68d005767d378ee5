// Imports (S6): drafts from uploaded files, mapping, review, undo, saved mappings and lists.
// Running an import (the job that writes the batches) is in import_run.cc; sheet links and
// templates in import_sources.cc.
#include "service/imports.h"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
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
      if (i < s.size() && !IsBlank(s[i])) sample.push_back(s[i].substr(0, 200));
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
  PhoneSet seen(static_cast<size_t>(std::max<int64_t>(0, rec.rows_total)));
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
