// The HTTP server: RESTinio on a small thread pool, handing each request to Api::Handle.
// The only file that includes RESTinio (it is heavy to compile).
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "core/error.h"
#include "service/service.h"

namespace dialbook {
class Imports;
}
namespace dialbook::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  size_t threads = 4;
  std::string web_dir;  // the built web app; empty = API only
};

// Serves until SIGINT/SIGTERM. on_ready runs once the socket listens.
// imports may be null (then /api/v1/imports answers 503).
Status RunServer(Service& service, Imports* imports, const ServerOptions& options,
                 const std::function<void()>& on_ready);

}  // namespace dialbook::http
