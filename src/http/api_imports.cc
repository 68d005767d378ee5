// /api/v1/imports/… and /api/v1/lists/… (docs/API.md "Imports", "Dial lists").
#include <cstdio>

#include "core/file.h"
#include "core/text.h"
#include "core/time.h"
#include "http/route.h"
#include "service/imports.h"

namespace dialbook::http {

int64_t ImportUploadLimit(const Imports& imports) { return imports.config().max_upload_bytes; }

namespace {

json Parsed(const std::string& text) {
  if (text.empty()) return nullptr;
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

std::string Time(int64_t ms) { return ms ? FormatTime(ms) : ""; }

json ImportJson(const ImportView& v) {
  const ImportRecord& r = v.rec;
  json meta = Parsed(r.meta_json);
  json columns = json::array();
  json header = json::array();
  std::string encoding, delimiter;
  if (meta.is_object()) {
    header = meta.value("header", json::array());
    encoding = meta.value("encoding", "");
    delimiter = meta.value("delimiter", "");
    for (auto& c : meta["columns"])
      columns.push_back({{"index", c["index"]}, {"header", c["header"]}, {"suggested_field", c["suggested_field"]},
                         {"reason", c["reason"]}, {"sample", c["sample"]}});
  }
  json summary = nullptr;
  if (!r.summary_json.empty() && r.status != "draft") {
    json s = Parsed(r.summary_json);
    if (s.is_object()) {
      summary = {{"rows", s.value("rows", 0)}, {"imported", s.value("imported", 0)}, {"updated", s.value("updated", 0)},
                 {"unchanged", s.value("unchanged", 0)}, {"skipped", s.value("skipped", json::object())}, {"list", nullptr}};
      if (r.list_id) summary["list"] = {{"id", r.list_id}, {"added", s.value("list_added", 0)}};
    }
  }
  json mapping = Parsed(r.mapping_json);
  if (summary.is_object() && summary["list"].is_object() && mapping.is_object() && mapping["options"]["list"].is_object())
    summary["list"]["name"] = mapping["options"]["list"]["name"];
  json progress = {{"rows_done", v.progress.rows_done},
                   {"rows_total", v.progress.rows_total},
                   {"rate", static_cast<int64_t>(v.progress.rate + 0.5)},
                   {"eta_seconds", v.progress.eta_seconds >= 0 ? json(v.progress.eta_seconds) : json(nullptr)}};
  json undo = Parsed(r.undo_json);
  if (undo.is_object() && undo.contains("at")) undo["at"] = Time(undo["at"].get<int64_t>());
  return {{"id", r.id},
          {"status", r.status},
          {"file_name", r.file_name},
          {"format", r.format},
          {"encoding", encoding},
          {"delimiter", delimiter},
          {"rows_total", r.rows_total},
          {"header", header},
          {"columns", columns},
          {"mapping", mapping},
          {"progress", progress},
          {"summary", summary},
          {"errors_file", r.status == "draft" ? json(nullptr) : json("/api/v1/imports/" + std::to_string(r.id) + "/errors.csv")},
          {"error", r.error.empty() ? json(nullptr) : json(r.error)},
          {"consent", r.consent_by.empty() ? json(nullptr) : json{{"attested_by", r.consent_by}, {"at", Time(r.consent_at)}}},
          {"list_id", r.list_id ? json(r.list_id) : json(nullptr)},
          {"created_by", r.user_email},
          {"created_at", Time(r.created_at)},
          {"started_at", r.started_at ? json(Time(r.started_at)) : json(nullptr)},
          {"finished_at", r.finished_at ? json(Time(r.finished_at)) : json(nullptr)},
          {"undo", undo}};
}

json ListJson(const DialList& l) {
  return {{"id", l.id}, {"name", l.name}, {"dial_mode", l.dial_mode}, {"members", l.members},
          {"import_id", l.import_id ? json(l.import_id) : json(nullptr)}, {"created_at", Time(l.created_at)}};
}

std::string Param(const HttpRequest& req, const char* name) {
  for (auto& [k, v] : req.query)
    if (k == name) return v;
  return "";
}

Result<int64_t> IntParam(const HttpRequest& req, const char* name, int64_t def, int64_t lo, int64_t hi) {
  std::string v = Param(req, name);
  if (v.empty()) return def;
  if (v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos)
    return Fail(FieldError(name, std::string(name) + " must be a whole number"));
  int64_t n = std::stoll(v);
  if (n < lo || n > hi)
    return Fail(FieldError(name, std::string(name) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi)));
  return n;
}

// multipart/form-data: the part named "file" (its filename and bytes).
Result<std::pair<std::string, std::string_view>> FilePart(const HttpRequest& req) {
  auto it = req.headers.find("content-type");
  std::string ct = it == req.headers.end() ? "" : it->second;
  auto b = ct.find("boundary=");
  if (b == std::string::npos) return Fail(FieldError("file", "multipart/form-data without a boundary"));
  std::string boundary = ct.substr(b + 9);
  if (auto semi = boundary.find(';'); semi != std::string::npos) boundary.resize(semi);
  if (boundary.size() >= 2 && boundary.front() == '"') boundary = boundary.substr(1, boundary.size() - 2);
  if (boundary.empty() || boundary.size() > 200) return Fail(FieldError("file", "bad multipart boundary"));
  const std::string delim = "--" + boundary;
  std::string_view body = req.body;
  size_t pos = body.find(delim);
  while (pos != std::string_view::npos) {
    size_t start = pos + delim.size();
    if (body.substr(start, 2) == "--") break;  // the closing delimiter
    size_t headers_end = body.find("\r\n\r\n", start);
    if (headers_end == std::string_view::npos) break;
    std::string_view headers = body.substr(start, headers_end - start);
    size_t data_start = headers_end + 4;
    size_t next = body.find("\r\n" + delim, data_start);
    if (next == std::string_view::npos) return Fail(FieldError("file", "the upload is cut short (no closing boundary)"));
    std::string lower = ToLowerAscii(std::string(headers));
    auto disp = lower.find("content-disposition:");
    if (disp != std::string::npos && lower.find("name=\"file\"", disp) != std::string::npos) {
      std::string name = "upload.csv";
      auto fn = lower.find("filename=\"", disp);
      if (fn != std::string::npos) {
        size_t s = fn + 10;
        size_t e = headers.find('"', s);
        if (e != std::string_view::npos) name = std::string(headers.substr(s, e - s));
        if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
        if (name.empty()) name = "upload.csv";
      }
      return std::make_pair(name, body.substr(data_start, next - data_start));
    }
    pos = next + 2;
  }
  return Fail(FieldError("file", "send the file as the multipart form field 'file'"));
}

HttpResponse FileResponse(std::string body, const std::string& type, const std::string& name) {
  HttpResponse r;
  r.content_type = type;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return r;
}

json ReviewJson(const ReviewResult& r, const std::vector<FieldDef>& fields) {
  json skipped = json::object(), by_status = json::object();
  for (auto& [k, v] : r.skipped) skipped[k] = v;
  for (const char* s : {"ready", "will_update", "needs_attention", "incomplete", "skip"})
    by_status[s] = r.by_status.contains(s) ? r.by_status.at(s) : 0;
  json sample = json::array();
  std::vector<FieldDef> all = fields;
  for (auto& f : r.new_fields) all.push_back(f);
  for (auto& c : r.sample) {
    json j = ContactJson(c, all);
    for (const char* k : {"id", "version", "created_at", "updated_at"}) j.erase(k);
    sample.push_back(j);
  }
  json new_fields = json::array();
  for (auto& f : r.new_fields) new_fields.push_back({{"key", f.key}, {"label", f.label}, {"type", FieldTypeName(f.type)}});
  json warnings = json::array();
  for (auto& w : r.warnings) {
    json j = {{"column", w.column >= 0 ? json(w.column) : json(nullptr)}, {"message", w.message}};
    if (w.suggest_index >= 0) j["suggest_index"] = w.suggest_index;
    warnings.push_back(j);
  }
  return {{"rows_total", r.rows_total}, {"will_create", r.will_create}, {"will_update", r.will_update},
          {"will_skip", r.will_skip},   {"skipped", skipped},           {"by_status", by_status},
          {"sample", sample},           {"new_fields", new_fields},     {"warnings", warnings},
          {"strict_ok", r.strict_ok},   {"first_problem", r.strict_ok ? json(nullptr) : json(r.first_problem)}};
}

std::optional<HttpResponse> Lists(Ctx& ctx) {
  Imports& im = *ctx.imports;
  const auto& seg = ctx.seg;
  const auto& m = ctx.req.method;
  if (seg.size() == 1) {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    return Render(im.ListLists(ctx.caller), [](auto& lists) {
      json items = json::array();
      for (auto& l : lists) items.push_back(ListJson(l));
      return Json(200, {{"items", items}});
    });
  }
  auto id = PathId(seg[1], "dial list");
  if (!id) return ErrorResponse(id.error());
  if (seg.size() == 2) {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    return Render(im.GetList(ctx.caller, *id), [](auto& l) { return Json(200, ListJson(l)); });
  }
  if (seg.size() == 3 && seg[2] == "members") {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    auto limit = IntParam(ctx.req, "limit", 100, 1, 1000);
    if (!limit) return ErrorResponse(limit.error());
    auto after = IntParam(ctx.req, "cursor", 0, 0, INT64_C(999999999999));
    if (!after) return ErrorResponse(after.error());
    return Render(im.ListMembers(ctx.caller, *id, *after, static_cast<int>(*limit)), [&](auto& members) {
      json items = json::array();
      for (auto& mem : members)
        items.push_back({{"contact_id", mem.contact_id}, {"phone", mem.phone}, {"state", mem.state}, {"name", mem.name}});
      json next = static_cast<int64_t>(members.size()) == *limit ? json(std::to_string(members.back().position)) : json(nullptr);
      return Json(200, {{"items", items}, {"next_cursor", next}});
    });
  }
  return std::nullopt;
}

}  // namespace

std::optional<HttpResponse> RouteImports(Ctx& ctx) {
  const auto& seg = ctx.seg;
  if (seg[0] != "imports" && seg[0] != "lists") return std::nullopt;
  if (!ctx.imports) return ErrorResponse(MakeError(ErrorCode::kUnavailable, "imports are not enabled on this server"));
  if (seg[0] == "lists") return Lists(ctx);
  Imports& im = *ctx.imports;
  const auto& m = ctx.req.method;
  auto view = [](auto& v) { return Json(200, ImportJson(v)); };
  if (seg.size() == 1) {
    if (m == "GET") {
      auto limit = IntParam(ctx.req, "limit", 50, 1, 200);
      if (!limit) return ErrorResponse(limit.error());
      auto before = IntParam(ctx.req, "cursor", 0, 0, INT64_C(999999999999));
      if (!before) return ErrorResponse(before.error());
      return Render(im.List(ctx.caller, static_cast<int>(*limit), *before), [&](auto& list) {
        json items = json::array();
        for (auto& v : list) items.push_back(ImportJson(v));
        json next = static_cast<int64_t>(list.size()) == *limit ? json(std::to_string(list.back().rec.id)) : json(nullptr);
        return Json(200, {{"items", items}, {"next_cursor", next}});
      });
    }
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto ct = ctx.req.headers.find("content-type");
    std::string type = ct == ctx.req.headers.end() ? "" : ToLowerAscii(ct->second);
    Result<ImportView> made = Fail(ErrorCode::kInternal, "");
    if (type.starts_with("multipart/form-data")) {
      auto part = FilePart(ctx.req);
      if (!part) return ErrorResponse(part.error());
      made = im.CreateFromBytes(ctx.caller, part->first, part->second);
    } else {
      if (ctx.req.body.size() > kMaxJsonBody)
        return ErrorResponse(MakeError(ErrorCode::kPayloadTooLarge, "the request body is larger than 1 MiB"));
      auto body = Body(ctx);
      if (!body) return ErrorResponse(body.error());
      if (auto st = OnlyKeys(*body, {"sheet_url"}, ""); !st) return ErrorResponse(st.error());
      auto url = GetString(*body, "sheet_url", true);
      if (!url) return ErrorResponse(url.error());
      made = im.CreateFromSheet(ctx.caller, *url);
    }
    if (!made) return ErrorResponse(made.error());
    return Json(201, ImportJson(*made));
  }
  if (seg.size() == 2 && (seg[1] == "template.csv" || seg[1] == "template.xlsx")) {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    if (seg[1] == "template.csv")
      return Render(im.TemplateCsv(ctx.caller), [](auto& body) {
        return FileResponse(body, "text/csv; charset=utf-8", "dialbook-template.csv");
      });
    return Render(im.TemplateXlsx(ctx.caller), [](auto& body) {
      return FileResponse(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "dialbook-template.xlsx");
    });
  }
  if (seg[1] == "mappings") {
    if (seg.size() == 2) {
      if (m != "GET") return MethodNotAllowed(ctx.req);
      return Render(im.ListMappings(ctx.caller), [](auto& list) {
        json items = json::array();
        for (auto& s : list) items.push_back({{"id", s.id}, {"name", s.name}, {"columns", Parsed(s.columns_json)}});
        return Json(200, {{"items", items}});
      });
    }
    if (seg.size() == 3) {
      if (m != "DELETE") return MethodNotAllowed(ctx.req);
      auto id = PathId(seg[2], "saved mapping");
      if (!id) return ErrorResponse(id.error());
      auto st = im.DeleteMapping(ctx.caller, *id);
      return st ? NoContent() : ErrorResponse(st.error());
    }
    return std::nullopt;
  }
  auto id = PathId(seg[1], "import");
  if (!id) return ErrorResponse(id.error());
  if (seg.size() == 2) {
    if (m == "GET") return Render(im.Get(ctx.caller, *id), view);
    if (m == "DELETE") {
      auto st = im.Delete(ctx.caller, *id);
      return st ? NoContent() : ErrorResponse(st.error());
    }
    return MethodNotAllowed(ctx.req);
  }
  if (seg.size() != 3) return std::nullopt;
  const std::string& what = seg[2];
  if (what == "mapping") {
    if (m != "PUT") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);  // validated as JSON here; the service reads the fields
    if (!body) return ErrorResponse(body.error());
    return Render(im.SetMapping(ctx.caller, *id, ctx.req.body), view);
  }
  if (what == "review") {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    auto fields = ctx.svc.VisibleFields(ctx.caller, true);
    if (!fields) return ErrorResponse(fields.error());
    return Render(im.Review(ctx.caller, *id), [&](auto& r) { return Json(200, ReviewJson(r, *fields)); });
  }
  if (what == "rows") {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    auto offset = IntParam(ctx.req, "offset", 0, 0, INT64_C(100000000));
    if (!offset) return ErrorResponse(offset.error());
    auto limit = IntParam(ctx.req, "limit", 50, 1, 500);
    if (!limit) return ErrorResponse(limit.error());
    auto fields = ctx.svc.VisibleFields(ctx.caller, true);
    if (!fields) return ErrorResponse(fields.error());
    int64_t total = 0;
    return Render(im.Rows(ctx.caller, *id, *offset, static_cast<int>(*limit), Param(ctx.req, "status"), &total),
                  [&](auto& rows) {
                    json items = json::array();
                    for (auto& r : rows) {
                      json contact = nullptr;
                      if (r.contact) {
                        contact = ContactJson(*r.contact, *fields);
                        for (const char* k : {"id", "version", "created_at", "updated_at"}) contact.erase(k);
                      }
                      items.push_back({{"row_number", r.row_number},
                                       {"values", r.values},
                                       {"status", r.status.empty() ? json(nullptr) : json(r.status)},
                                       {"reason", r.reason.empty() ? json(nullptr) : json(r.reason)},
                                       {"message", r.message.empty() ? json(nullptr) : json(r.message)},
                                       {"contact", contact},
                                       {"existing_id", r.existing_id ? json(r.existing_id) : json(nullptr)}});
                    }
                    return Json(200, {{"items", items}, {"total", total}});
                  });
  }
  if (what == "start") {
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    if (auto st = OnlyKeys(*body, {"consent_attested"}, ""); !st) return ErrorResponse(st.error());
    bool attested = body->contains("consent_attested") && (*body)["consent_attested"].is_boolean() &&
                    (*body)["consent_attested"].get<bool>();
    auto started = im.Start(ctx.caller, *id, attested);
    if (!started) return ErrorResponse(started.error());
    return Json(202, ImportJson(*started));
  }
  if (what == "undo") {
    if (m != "POST") return MethodNotAllowed(ctx.req);
    return Render(im.Undo(ctx.caller, *id), view);
  }
  if (what == "errors.csv") {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    auto path = im.ErrorsFile(ctx.caller, *id);
    if (!path) return ErrorResponse(path.error());
    auto data = ReadFileBytes(*path, SIZE_MAX);
    if (!data) return ErrorResponse(data.error());
    return FileResponse(std::move(*data), "text/csv; charset=utf-8", "import-" + std::to_string(*id) + "-errors.csv");
  }
  if (what == "events") {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    auto first = im.Get(ctx.caller, *id);
    if (!first) return ErrorResponse(first.error());
    HttpResponse r;
    r.content_type = "text/event-stream";
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("X-Accel-Buffering", "no");
    Caller caller = ctx.caller;
    Imports* imports = ctx.imports;
    int64_t import_id = *id;
    r.stream = [caller, imports, import_id](std::string& chunk) -> bool {
      auto v = imports->Get(caller, import_id);
      if (!v) {
        chunk += "event: done\ndata: {}\n\n";
        return false;
      }
      std::string data = ImportJson(*v).dump(-1, ' ', false, json::error_handler_t::replace);
      chunk += "event: progress\ndata: " + data + "\n\n";
      if (v->rec.status == "running") return true;
      chunk += "event: done\ndata: " + data + "\n\n";
      return false;
    };
    return r;
  }
  return std::nullopt;
}

}  // namespace dialbook::http
