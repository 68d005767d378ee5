// The built web app (web/dist), loaded into memory at start-up and served at "/".
// Hashed assets under /assets/ are cached for a year; index.html is revalidated on every
// load, and app routes (paths without a file) fall back to index.html.
// Immutable after Load(): thread-safe.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "http/api.h"

namespace dialbook::http {

class StaticFiles {
 public:
  static Result<std::unique_ptr<StaticFiles>> Load(const std::string& dir);
  // nullopt when the request is not for the web app (wrong method).
  std::optional<HttpResponse> Serve(const HttpRequest& req) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string body, type, etag;
    bool immutable = false;
  };
  std::unordered_map<std::string, File> files_;  // URL path → file
};

}  // namespace dialbook::http
