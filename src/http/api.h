// The REST API as a plain function: HttpRequest in, HttpResponse out. Routing, auth,
// CSRF, body limits, JSON codec and the single ErrorCode → HTTP status mapping live
// behind this header; server.cc only moves bytes between RESTinio and Api::Handle.
// Thread-safe (stateless apart from the Service).
#pragma once
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "domain/query.h"
#include "service/service.h"

namespace dialbook::http {

struct HttpRequest {
  std::string method;  // GET, POST …
  std::string path;    // without the query string
  Params query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  // The client's address as text, formatted when asked (only login asks: inet_ntop's
  // sprintf was about 6 % of answering /healthz).
  std::function<std::string()> remote;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A streamed response (server-sent events): called about 4 times a second; appends the
  // next chunk and returns false once the stream is finished.
  std::function<bool(std::string& chunk)> stream;
};

constexpr size_t kMaxJsonBody = 1 << 20;        // 1 MiB
constexpr size_t kMaxBulkBody = 64 << 20;       // 64 MiB (bulk endpoint only)
// Bodies up to this size are read and answered 413 when over their endpoint's limit;
// beyond it the connection is closed (nothing that large is ever accepted).
constexpr size_t kMaxAcceptedBody = 256u << 20;

class StaticFiles;
}  // namespace dialbook::http
namespace dialbook {
class Imports;
}
namespace dialbook::http {

class Api {
 public:
  // web may be null: then only the API is served.
  Api(Service& service, const StaticFiles* web, Imports* imports = nullptr)
      : service_(service), web_(web), imports_(imports) {}
  HttpResponse Handle(const HttpRequest& req);

 private:
  Service& service_;
  const StaticFiles* web_;
  Imports* imports_;
};

int HttpStatusFor(ErrorCode code);
HttpResponse ErrorResponse(const Error& e);
Params ParseQueryString(std::string_view qs);
std::string PercentDecode(std::string_view s, bool plus_is_space);

extern const std::string_view kOpenApiJson;

}  // namespace dialbook::http
