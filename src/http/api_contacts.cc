// /api/v1/contacts…

#include "core/core_gate.h"
#include "core/cpus.h"
#include "http/route.h"

namespace dialbook::http {

namespace {

// Field definitions type the custom field values; only fetched when there are any.
std::vector<FieldDef> FieldsFor(Ctx& ctx, const std::vector<const Contact*>& contacts) {
  for (auto* c : contacts)
    if (!c->custom_fields.empty()) {
      auto fields = ctx.svc.VisibleFields(ctx.caller, true);
      return fields ? *fields : std::vector<FieldDef>{};
    }
  return {};
}

HttpResponse ContactResponse(Ctx& ctx, int status, const Contact& c) {
  HttpResponse r;
  r.status = status;
  r.body = ContactJsonText(c, FieldsFor(ctx, {&c}));
  r.headers.emplace_back("ETag", "\"" + std::to_string(c.version) + "\"");
  if (status == 201) r.headers.emplace_back("Location", "/api/v1/contacts/" + std::to_string(c.id));
  return r;
}

// Adds the existing contact to a duplicate-phone error so a client can offer to open it.
HttpResponse DuplicateAware(Ctx& ctx, Error e) {
  if (e.code == ErrorCode::kAlreadyExists && e.details.contains("existing_id")) {
    auto existing = ctx.svc.GetContact(ctx.caller, std::stoll(e.details["existing_id"]));
    auto fields = ctx.svc.VisibleFields(ctx.caller, true);
    if (existing && fields) {
      json extra = {{"existing", ContactJson(*existing, *fields)}};
      e.details_json = extra.dump();
    }
  }
  if (e.code == ErrorCode::kFailedPrecondition && e.details.contains("current_version") && ctx.seg.size() >= 2) {
    auto id = PathId(ctx.seg[1], "contact");
    auto current = id ? ctx.svc.GetContact(ctx.caller, *id) : Result<Contact>(std::unexpected(e));
    auto fields = ctx.svc.VisibleFields(ctx.caller, true);
    if (current && fields) e.details_json = json{{"current", ContactJson(*current, *fields)}}.dump();
  }
  return ErrorResponse(e);
}

Result<std::optional<int64_t>> IfMatch(const HttpRequest& req) {
  auto it = req.headers.find("if-match");
  if (it == req.headers.end()) return std::optional<int64_t>();
  std::string v = it->second;
  if (v.starts_with("W/")) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v == "*") return std::optional<int64_t>();
  int64_t n = 0;
  if (v.empty() || v.size() > 18) return Fail(FieldError("If-Match", "If-Match must be the ETag of the contact, e.g. \"3\""));
  for (char ch : v) {
    if (ch < '0' || ch > '9') return Fail(FieldError("If-Match", "If-Match must be the ETag of the contact, e.g. \"3\""));
    n = n * 10 + (ch - '0');
  }
  return std::optional<int64_t>(n);
}

// Lists and searches run at most one per core at a time (CoreGate). They are CPU work of
// milliseconds (a search at a million contacts: 1–10 ms), and the server has more threads than
// cores, so that a thread waiting on the database or the writer does not hold up the rest.
// Measured on 2 cores, 1M contacts, 8 connections of the search mix (4 server threads): p99
// 36–38 ms with all at once, 19–20 ms through the gate, at as many searches a second or more.
// The other requests (a contact by id, writes, /healthz) do not pass the gate; like every
// request they need a free server thread, and a list waiting at the gate holds one. The
// cores are those the server may use (its CPU affinity and cgroup quota, in a container).
CoreGate& ListGate() {
  static CoreGate gate(UsableCores());
  return gate;
}

HttpResponse List(Ctx& ctx) {
  CoreGate::Slot slot(ListGate());
  auto page = ctx.svc.ListContacts(ctx.caller, ctx.req.query);
  if (!page) return ErrorResponse(page.error());
  std::vector<const Contact*> all;
  for (auto& c : page->items) all.push_back(&c);
  const std::vector<FieldDef> fields = FieldsFor(ctx, all);
  HttpResponse r;
  r.body.reserve(page->items.size() * 800 + 64);
  r.body = "{\"items\":[";
  for (size_t i = 0; i < page->items.size(); ++i) {
    if (i) r.body += ',';
    r.body += ContactJsonText(page->items[i], fields);
  }
  r.body += "],\"next_cursor\":";
  r.body += page->next_cursor.empty() ? std::string("null") : json(page->next_cursor).dump();
  r.body += ",\"total\":" + std::to_string(page->total) + "}";
  return r;
}

HttpResponse Bulk(Ctx& ctx) {
  auto body = Body(ctx);
  if (!body) return ErrorResponse(body.error());
  if (auto st = OnlyKeys(*body, {"contacts"}, ""); !st) return ErrorResponse(st.error());
  auto it = body->find("contacts");
  if (it == body->end() || !it->is_array())
    return ErrorResponse(FieldError("contacts", "contacts must be an array of contact objects"));
  if (it->size() > 10000)
    return ErrorResponse(MakeError(ErrorCode::kPayloadTooLarge,
                                   "at most 10000 contacts per bulk request (got " + std::to_string(it->size()) + ")")
                             .With("field", "contacts"));
  // Shape errors are reported per contact like rule errors; such contacts are skipped.
  std::vector<ContactInput> inputs;
  std::vector<size_t> positions;
  std::vector<BulkError> shape_errors;
  for (size_t i = 0; i < it->size(); ++i) {
    auto in = ContactInputFrom((*it)[i], "contacts[" + std::to_string(i) + "].");
    if (!in) {
      shape_errors.push_back({i, in.error()});
      continue;
    }
    inputs.push_back(std::move(*in));
    positions.push_back(i);
  }
  auto result = ctx.svc.BulkCreate(ctx.caller, inputs);
  if (!result) return ErrorResponse(result.error());
  std::vector<BulkError> errors = shape_errors;
  for (auto& e : result->errors) {
    BulkError fixed = e;
    size_t original = positions[e.index];
    fixed.index = original;
    // Paths were built against the filtered list: rename them to the original index.
    if (auto f = fixed.error.details.find("field"); f != fixed.error.details.end()) {
      std::string from = "contacts[" + std::to_string(e.index) + "]";
      if (f->second.starts_with(from)) f->second = "contacts[" + std::to_string(original) + "]" + f->second.substr(from.size());
    }
    errors.push_back(std::move(fixed));
  }
  std::sort(errors.begin(), errors.end(), [](auto& a, auto& b) { return a.index < b.index; });
  json errs = json::array();
  for (auto& e : errors) {
    json d = DetailsJson(e.error);
    errs.push_back({{"index", e.index},
                    {"code", ErrorCodeName(e.error.code)},
                    {"message", e.error.message},
                    {"field", e.error.details.contains("field") ? json(e.error.details.at("field")) : json(nullptr)},
                    {"details", d}});
  }
  return Json(200, {{"created", result->ids.size()}, {"ids", result->ids}, {"errors", errs}});
}

}  // namespace

std::optional<HttpResponse> RouteContacts(Ctx& ctx) {
  const auto& seg = ctx.seg;
  const std::string& m = ctx.req.method;
  if (seg[0] != "contacts") return std::nullopt;
  if (seg.size() == 1) {
    if (m == "GET") return List(ctx);
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto in = ContactInputFrom(*body, "");
    if (!in) return ErrorResponse(in.error());
    auto c = ctx.svc.CreateContact(ctx.caller, *in);
    if (!c) return DuplicateAware(ctx, c.error());
    return ContactResponse(ctx, 201, *c);
  }
  if (seg.size() == 2 && seg[1] == "bulk") {
    if (m != "POST") return MethodNotAllowed(ctx.req);
    return Bulk(ctx);
  }
  if (seg.size() == 2 && seg[1] == "actions") {
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto action = ActionFrom(*body);
    if (!action) return ErrorResponse(action.error());
    return Render(ctx.svc.RunAction(ctx.caller, *action), [](int64_t n) { return Json(200, {{"affected", n}}); });
  }
  auto id = PathId(seg[1], "contact");
  if (!id) return ErrorResponse(id.error());
  if (seg.size() == 2) {
    if (m == "GET") {
      auto c = ctx.svc.GetContact(ctx.caller, *id);
      if (!c) return ErrorResponse(c.error());
      return ContactResponse(ctx, 200, *c);
    }
    if (m == "PATCH") {
      auto if_match = IfMatch(ctx.req);
      if (!if_match) return ErrorResponse(if_match.error());
      auto body = Body(ctx);
      if (!body) return ErrorResponse(body.error());
      auto in = ContactInputFrom(*body, "");
      if (!in) return ErrorResponse(in.error());
      auto c = ctx.svc.UpdateContact(ctx.caller, *id, *in, *if_match);
      if (!c) return DuplicateAware(ctx, c.error());
      return ContactResponse(ctx, 200, *c);
    }
    if (m == "DELETE") {
      bool permanent = false;
      for (auto& [k, v] : ctx.req.query) {
        if (k != "permanent") return ErrorResponse(FieldError(k, "unknown parameter '" + k + "'"));
        if (v != "true" && v != "false") return ErrorResponse(FieldError(k, "permanent must be true or false"));
        permanent = v == "true";
      }
      auto st = ctx.svc.DeleteContact(ctx.caller, *id, permanent);
      if (!st) return ErrorResponse(st.error());
      return NoContent();
    }
    return MethodNotAllowed(ctx.req);
  }
  if (seg.size() == 3 && seg[2] == "restore") {
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto c = ctx.svc.RestoreContact(ctx.caller, *id);
    if (!c) return DuplicateAware(ctx, c.error());
    return ContactResponse(ctx, 200, *c);
  }
  if (seg.size() == 3 && seg[2] == "history") {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    return Render(ctx.svc.History(ctx.caller, *id), [](const std::vector<HistoryEntry>& h) {
      json items = json::array();
      for (auto& e : h) items.push_back(HistoryJson(e));
      return Json(200, {{"items", items}});
    });
  }
  return std::nullopt;
}

}  // namespace dialbook::http
