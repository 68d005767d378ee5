#include "http/server.h"

#include <restinio/all.hpp>
#include <spdlog/spdlog.h>

#include <thread>

#include "core/text.h"
#include "http/api.h"
#include "http/static_files.h"

namespace dialbook::http {

namespace {

std::string ReasonFor(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Status";
  }
}

}  // namespace

Status RunServer(Service& service, const ServerOptions& options, const std::function<void()>& on_ready) {
  std::unique_ptr<StaticFiles> web;
  if (!options.web_dir.empty()) {
    auto loaded = StaticFiles::Load(options.web_dir);
    if (!loaded) return std::unexpected(loaded.error());
    web = std::move(*loaded);
  }
  Api api(service, web.get());
  using Traits = restinio::default_traits_t;
  auto handler = [&api](restinio::request_handle_t req) -> restinio::request_handling_status_t {
    HttpRequest r;
    r.method = req->header().method().c_str();
    r.path = PercentDecode(req->header().path(), false);
    r.query = ParseQueryString(req->header().query());
    for (const auto& f : req->header()) r.headers[ToLowerAscii(f.name())] = f.value();
    r.body = req->body();
    HttpResponse out;
    try {
      out = api.Handle(r);
    } catch (const std::exception& e) {
      out = ErrorResponse(MakeError(ErrorCode::kInternal, std::string("unexpected error: ") + e.what()));
    }
    auto resp = req->create_response(
        restinio::http_status_line_t{restinio::http_status_code_t{static_cast<std::uint16_t>(out.status)},
                                     ReasonFor(out.status)});
    if (!out.content_type.empty()) resp.append_header(restinio::http_field::content_type, out.content_type);
    bool has_cache_control = false;
    for (auto& [k, v] : out.headers) has_cache_control |= k == "Cache-Control";
    if (!has_cache_control) resp.append_header("Cache-Control", "no-store");
    resp.append_header("X-Content-Type-Options", "nosniff");
    for (auto& [k, v] : out.headers) resp.append_header(k, v);
    resp.set_body(std::move(out.body));
    return resp.done();
  };
  try {
    restinio::http_server_t<Traits> server{
        restinio::own_io_context(),
        [&](auto& s) {
          s.port(options.port)
              .address(options.host)
              .request_handler(handler)
              .read_next_http_message_timelimit(std::chrono::seconds(60))
              .handle_request_timeout(std::chrono::seconds(120))
              .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(kMaxAcceptedBody))
              .max_pipelined_requests(16);
        }};
    server.open_sync();
    asio::signal_set signals(server.io_context(), SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code& ec, int) {
      if (!ec) {
        spdlog::info("stopping");
        server.close_async([&] { server.io_context().stop(); }, [](std::exception_ptr) {});
      }
    });
    if (on_ready) on_ready();
    std::vector<std::thread> pool;
    for (size_t i = 1; i < options.threads; ++i) pool.emplace_back([&] { server.io_context().run(); });
    server.io_context().run();
    for (auto& t : pool) t.join();
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kUnavailable, std::string("cannot serve on ") + options.host + ":" +
                                             std::to_string(options.port) + ": " + e.what());
  }
  return {};
}

}  // namespace dialbook::http
