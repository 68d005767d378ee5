#include "http/server.h"

#include <restinio/all.hpp>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
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

// Server-sent event streams: a ticker thread appends each stream's next chunk about four
// times a second until the stream says it is finished or the client went away.
class Streams {
 public:
  using Builder = restinio::response_builder_t<restinio::chunked_output_t>;
  Streams() : ticker_([this] { Run(); }) {}
  ~Streams() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    ticker_.join();
  }
  void Add(Builder builder, std::function<bool(std::string&)> next) {
    std::lock_guard lock(mu_);
    streams_.push_back(std::make_unique<Stream>(Stream{std::move(builder), std::move(next)}));
  }

 private:
  struct Stream {
    Builder builder;
    std::function<bool(std::string&)> next;
  };
  void Run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(250));
      for (size_t i = 0; i < streams_.size();) {
        bool keep = false;
        Stream& s = *streams_[i];
        try {
          std::string chunk;
          keep = s.next(chunk);
          if (!chunk.empty()) s.builder.append_chunk(std::move(chunk));
          s.builder.flush();
          if (!keep) s.builder.done();
        } catch (const std::exception&) {
          keep = false;  // the client is gone
        }
        if (keep) ++i;
        else streams_.erase(streams_.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
    for (auto& s : streams_) {
      try {
        s->builder.done();
      } catch (const std::exception&) {
      }
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::thread ticker_;
};

Status RunServer(Service& service, Imports* imports, const ServerOptions& options, const std::function<void()>& on_ready) {
  std::unique_ptr<StaticFiles> web;
  if (!options.web_dir.empty()) {
    auto loaded = StaticFiles::Load(options.web_dir);
    if (!loaded) return std::unexpected(loaded.error());
    web = std::move(*loaded);
  }
  Api api(service, web.get(), imports);
  Streams streams;
  using Traits = restinio::default_traits_t;
  auto handler = [&api, &streams](restinio::request_handle_t req) -> restinio::request_handling_status_t {
    HttpRequest r;
    r.method = req->header().method().c_str();
    r.path = PercentDecode(req->header().path(), false);
    r.query = ParseQueryString(req->header().query());
    for (const auto& f : req->header()) r.headers[ToLowerAscii(f.name())] = f.value();
    r.body = req->body();
    r.remote = [req] { return req->remote_endpoint().address().to_string(); };  // keeps the request
    HttpResponse out;
    try {
      out = api.Handle(r);
    } catch (const std::exception& e) {
      out = ErrorResponse(MakeError(ErrorCode::kInternal, std::string("unexpected error: ") + e.what()));
    }
    if (out.stream) {
      auto resp = req->create_response<restinio::chunked_output_t>();
      resp.append_header(restinio::http_field::content_type, out.content_type);
      for (auto& [k, v] : out.headers) resp.append_header(k, v);
      resp.append_header("X-Content-Type-Options", "nosniff");
      std::string first;
      bool more = out.stream(first);
      resp.append_chunk(std::move(first));
      if (!more) return resp.done();
      resp.flush();
      streams.Add(std::move(resp), std::move(out.stream));
      return restinio::request_accepted();
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
