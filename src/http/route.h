// Shared pieces of the API's route files. Private to http/.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "http/api.h"
#include "http/codec.h"

namespace dialbook::http {

// One request being handled: the parsed path and the authenticated caller.
struct Ctx {
  const HttpRequest& req;
  Service& svc;
  std::vector<std::string> seg;  // path segments after /api/v1
  Caller caller;
  Imports* imports = nullptr;
};

HttpResponse Json(int status, const json& body);
json DetailsJson(const Error& e);  // an error's details, numbers as numbers
HttpResponse NoContent();
HttpResponse MethodNotAllowed(const HttpRequest& req);
// The id in a path segment, or an error naming it.
Result<int64_t> PathId(const std::string& segment, const char* what);
Result<json> Body(const Ctx& ctx);

// Route groups; each returns nullopt when the path is not theirs.
std::optional<HttpResponse> RouteContacts(Ctx& ctx);
std::optional<HttpResponse> RouteCatalog(Ctx& ctx);
std::optional<HttpResponse> RouteAccounts(Ctx& ctx);
std::optional<HttpResponse> RouteImports(Ctx& ctx);
int64_t ImportUploadLimit(const Imports& imports);

// Renders r with fn, or the error.
template <typename T, typename F>
HttpResponse Render(Result<T>&& r, F&& fn) {
  if (!r) return ErrorResponse(r.error());
  return fn(*r);
}

}  // namespace dialbook::http
