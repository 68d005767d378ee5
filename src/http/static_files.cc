#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace dialbook::http {

namespace {

std::string TypeFor(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

Result<std::unique_ptr<StaticFiles>> StaticFiles::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", ec))
    return Fail(ErrorCode::kNotFound, "no index.html in " + dir + " (build the web app: make build)");
  auto out = std::unique_ptr<StaticFiles>(new StaticFiles());
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string rel = "/" + fs::relative(it->path(), dir).generic_string();
    File f;
    f.body = ss.str();
    f.type = TypeFor(it->path().extension().string());
    f.immutable = rel.starts_with("/assets/");
    f.etag = "\"" + std::to_string(std::hash<std::string>{}(f.body)) + "\"";
    out->files_.emplace(rel, std::move(f));
  }
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot read " + dir + ": " + ec.message());
  return out;
}

std::optional<HttpResponse> StaticFiles::Serve(const HttpRequest& req) const {
  if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
  auto it = files_.find(req.path == "/" ? "/index.html" : req.path);
  if (it == files_.end()) {
    // A missing asset is a 404; anything else is an app route served by index.html.
    if (req.path.starts_with("/assets/") || req.path.find('.') != std::string::npos) {
      HttpResponse r;
      r.status = 404;
      r.content_type = "text/plain; charset=utf-8";
      r.body = "not found\n";
      return r;
    }
    it = files_.find("/index.html");
  }
  const File& f = it->second;
  HttpResponse r;
  r.content_type = f.type;
  r.headers.emplace_back("ETag", f.etag);
  r.headers.emplace_back("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  auto inm = req.headers.find("if-none-match");
  if (inm != req.headers.end() && inm->second == f.etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  if (req.method == "GET") r.body = f.body;
  return r;
}

}  // namespace dialbook::http
