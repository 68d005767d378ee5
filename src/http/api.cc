// Request dispatch, authentication, CSRF, body limits and the one ErrorCode → status map.
#include <spdlog/spdlog.h>

#include <set>

#include "core/text.h"
#include "http/route.h"
#include "http/static_files.h"

namespace dialbook::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kFailedPrecondition: return 412;
    case ErrorCode::kRuleViolation: return 422;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

json DetailsJson(const Error& e) {
  // Counts and ids travel as numbers; everything else as the text it is.
  static const std::set<std::string> kNumeric = {"existing_id", "limit", "count", "values", "current_version",
                                                 "id", "byte", "limit_bytes", "row"};
  json details = json::object();
  for (auto& [k, v] : e.details) {
    bool digits = !v.empty() && v.size() < 19 && v.find_first_not_of("0123456789") == std::string::npos;
    if (kNumeric.contains(k) && digits) details[k] = std::stoll(v);
    else details[k] = v;
  }
  if (!e.details_json.empty()) {
    json extra = json::parse(e.details_json, nullptr, false);
    if (extra.is_object()) details.update(extra);
  }
  return details;
}

HttpResponse ErrorResponse(const Error& e) {
  json details = DetailsJson(e);
  if (e.code == ErrorCode::kInternal) spdlog::error("internal error: {}", e.message);
  return Json(HttpStatusFor(e.code),
              {{"error", {{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"details", details}}}});
}

HttpResponse Json(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

HttpResponse NoContent() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse MethodNotAllowed(const HttpRequest& req) {
  HttpResponse r = ErrorResponse(MakeError(ErrorCode::kNotFound, req.method + " is not supported on " + req.path));
  r.status = 405;
  return r;
}

Result<int64_t> PathId(const std::string& s, const char* what) {
  int64_t v = 0;
  if (s.empty() || s.size() > 18) return Fail(ErrorCode::kNotFound, std::string(what) + " not found");
  for (char ch : s) {
    if (ch < '0' || ch > '9') return Fail(ErrorCode::kNotFound, std::string(what) + " not found");
    v = v * 10 + (ch - '0');
  }
  return v;
}

Result<json> Body(const Ctx& ctx) { return ParseBody(ctx.req.body); }

std::string PercentDecode(std::string_view s, bool plus_is_space) { return DecodeHexEscapes(s, '%', plus_is_space); }

Params ParseQueryString(std::string_view qs) {
  Params out;
  size_t start = 0;
  while (start <= qs.size()) {
    size_t amp = qs.find('&', start);
    if (amp == std::string_view::npos) amp = qs.size();
    std::string_view part = qs.substr(start, amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) out.emplace_back(PercentDecode(part, true), "");
      else out.emplace_back(PercentDecode(part.substr(0, eq), true), PercentDecode(part.substr(eq + 1), true));
    }
    start = amp + 1;
  }
  return out;
}

namespace {

std::string Cookie(const HttpRequest& req, std::string_view name) {
  auto it = req.headers.find("cookie");
  if (it == req.headers.end()) return "";
  for (auto& part : Split(it->second, ';')) {
    std::string p = Trim(part);
    if (p.size() > name.size() && p.compare(0, name.size(), name) == 0 && p[name.size()] == '=')
      return p.substr(name.size() + 1);
  }
  return "";
}

std::string Header(const HttpRequest& req, const char* name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? "" : it->second;
}

Result<Caller> Authenticate(Service& svc, const HttpRequest& req) {
  std::string auth = Header(req, "authorization");
  if (!auth.empty()) {
    if (auth.size() < 7 || ToLowerAscii(auth.substr(0, 7)) != "bearer ")
      return Fail(ErrorCode::kUnauthenticated, "the Authorization header must be 'Bearer <token>'");
    return svc.AuthenticateBearer(Trim(auth.substr(7)));
  }
  std::string cookie = Cookie(req, "dialbook_session");
  if (cookie.empty()) return Fail(ErrorCode::kUnauthenticated, "sign in, or send an API token as 'Authorization: Bearer <token>'");
  DB_ASSIGN_OR_RETURN(Caller c, svc.AuthenticateSession(cookie));
  if (req.method != "GET" && req.method != "HEAD" && Header(req, "x-csrf-token") != c.csrf_token)
    return Fail(ErrorCode::kPermissionDenied, "missing or wrong X-CSRF-Token header (get it from GET /api/v1/me)");
  return c;
}

}  // namespace

HttpResponse Api::Handle(const HttpRequest& req) {
  if (req.path == "/healthz") return Json(200, {{"status", "ok"}});
  if (req.path == "/api/v1/openapi.json") {
    HttpResponse r;
    r.body = std::string(kOpenApiJson);
    return r;
  }
  if (!req.path.starts_with("/api/")) {
    if (web_)
      if (auto r = web_->Serve(req)) return std::move(*r);
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such endpoint: " + req.path));
  }
  if (!req.path.starts_with("/api/v1/"))
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such endpoint: " + req.path));
  size_t limit = req.path == "/api/v1/contacts/bulk" ? kMaxBulkBody : kMaxJsonBody;
  if (req.path == "/api/v1/imports" && req.method == "POST" && imports_)
    limit = static_cast<size_t>(ImportUploadLimit(*imports_)) + (1 << 20);  // the file plus the form's framing
  if (req.body.size() > limit)
    return ErrorResponse(MakeError(ErrorCode::kPayloadTooLarge, "the request body is larger than " +
                                                                    std::to_string(limit >> 20) + " MiB")
                             .With("limit_bytes", std::to_string(limit)));
  Ctx ctx{req, service_, Split(req.path.substr(8), '/'), {}, imports_};
  while (!ctx.seg.empty() && ctx.seg.back().empty()) ctx.seg.pop_back();
  if (ctx.seg.empty()) return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such endpoint: " + req.path));
  // Login is the only API call without a credential.
  if (ctx.seg.size() == 2 && ctx.seg[0] == "auth" && ctx.seg[1] == "login") {
    if (req.method != "POST") return MethodNotAllowed(req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    if (auto st = OnlyKeys(*body, {"email", "password", "workspace_id"}, ""); !st) return ErrorResponse(st.error());
    auto email = GetString(*body, "email", true);
    if (!email) return ErrorResponse(email.error());
    auto password = GetString(*body, "password", true);
    if (!password) return ErrorResponse(password.error());
    std::optional<int64_t> ws;
    if (body->contains("workspace_id") && !(*body)["workspace_id"].is_null()) {
      if (!(*body)["workspace_id"].is_number_integer())
        return ErrorResponse(FieldError("workspace_id", "workspace_id must be an integer"));
      ws = (*body)["workspace_id"].get<int64_t>();
    }
    auto login = service_.Login(*email, *password, ws, req.remote ? req.remote() : std::string());
    if (!login) return ErrorResponse(login.error());
    auto me = service_.Me(login->caller);
    if (!me) return ErrorResponse(me.error());
    HttpResponse r = Json(200, MeJson(*me));
    r.headers.emplace_back("Set-Cookie", "dialbook_session=" + login->session_token +
                                             "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000");
    return r;
  }
  auto caller = Authenticate(service_, req);
  if (!caller) return ErrorResponse(caller.error());
  ctx.caller = *caller;
  for (auto route : {RouteContacts, RouteCatalog, RouteAccounts, RouteImports})
    if (auto r = route(ctx)) return std::move(*r);
  return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such endpoint: " + req.method + " " + req.path));
}

}  // namespace dialbook::http
