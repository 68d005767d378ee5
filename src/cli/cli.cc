#include "cli/cli.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/import_cmd.h"
#include "core/time.h"
#include "http/server.h"
#include "service/imports.h"
#include "service/service.h"
#include "store/store.h"

namespace dialbook::cli {

namespace {

const char* kDefaultDb = "sqlite:./dialbook-data/dialbook.db";

int Report(const Error& e) {
  std::cerr << "error: " << e.message;
  if (e.details.contains("field")) std::cerr << " (" << e.details.at("field") << ")";
  std::cerr << "\n";
  return 1;
}

// Opens the store; creates the folder of a sqlite file when it is missing.
Result<std::unique_ptr<Store>> Open(const std::string& url, const StoreOptions& options) {
  std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0 && path.find(":memory:") == std::string::npos) {
    std::string dir = path.substr(0, slash);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
  }
  return OpenStore(url, options);
}

// Where uploads and error files live: --data-dir, else next to the SQLite file.
std::string DataDir(const std::string& url, const std::string& given) {
  if (!given.empty()) return given;
  std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
  if (path.find(":memory:") != std::string::npos || path.empty())
    return (std::filesystem::temp_directory_path() / ("dialbook-" + std::to_string(::getpid()))).string();
  auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

bool ParseListen(const std::string& listen, http::ServerOptions& o) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  o.host = listen.substr(0, colon);
  try {
    int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) return false;
    o.port = static_cast<uint16_t>(port);
  } catch (...) {
    return false;
  }
  return !o.host.empty();
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Dialbook — the contact system behind calling and messaging teams"};
  app.require_subcommand(1);
  std::string db = kDefaultDb;

  // serve
  auto* serve = app.add_subcommand("serve", "Run the HTTP server (REST API and web app)");
  std::string listen = "127.0.0.1:8080";
  bool stop_with_parent = false;
  size_t threads = 4;
  serve->add_option("--db", db, "Database URL (sqlite:PATH)")->capture_default_str();
  serve->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--threads", threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 64));
  serve->add_flag("--stop-with-parent", stop_with_parent, "Exit when the parent process exits (tests)");
  std::string web_dir;
  serve->add_option("--web", web_dir, "Folder of the built web app (default: web/dist when it exists)");
  std::string data_dir, sheets_host;
  int64_t max_upload_mb = 50, max_import_rows = 0;
  serve->add_option("--data-dir", data_dir, "Folder for uploaded import files (default: next to the database)");
  serve->add_option("--max-upload-mb", max_upload_mb, "Largest import upload")->capture_default_str()->check(CLI::Range(1, 4096));
  serve->add_option("--max-import-rows", max_import_rows, "Most rows one import may have (0 = no limit)")->capture_default_str();
  serve->add_option("--sheets-host", sheets_host, "Allowlisted Google Sheets origin (default https://docs.google.com)");

  // workspace
  auto* ws = app.add_subcommand("workspace", "Manage workspaces");
  ws->require_subcommand(1);
  auto* ws_create = ws->add_subcommand("create", "Create a workspace and its first admin");
  std::string ws_name, admin_email, admin_password, admin_name;
  ws_create->add_option("NAME", ws_name, "Workspace name")->required();
  ws_create->add_option("--admin-email", admin_email)->required();
  ws_create->add_option("--admin-password", admin_password)->required();
  ws_create->add_option("--admin-name", admin_name);
  ws_create->add_option("--db", db)->capture_default_str();
  auto* ws_list = ws->add_subcommand("list", "List workspaces");
  bool json_out = false;
  ws_list->add_option("--db", db)->capture_default_str();
  ws_list->add_flag("--json", json_out);

  // token
  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Create an API token (printed once, on the last line)");
  std::string email, workspace_name, token_name = "cli";
  token_create->add_option("--email", email)->required();
  token_create->add_option("--workspace", workspace_name)->required();
  token_create->add_option("--name", token_name)->capture_default_str();
  token_create->add_option("--db", db)->capture_default_str();

  // users
  auto* users = app.add_subcommand("users", "Manage users");
  users->require_subcommand(1);
  auto* users_create = users->add_subcommand("create", "Add a user to a workspace");
  std::string password, role, user_name;
  users_create->add_option("--email", email)->required();
  users_create->add_option("--password", password)->required();
  users_create->add_option("--workspace", workspace_name)->required();
  users_create->add_option("--role", role, "admin, manager or agent (new members: agent; existing: unchanged)")
      ->check(CLI::IsMember({"admin", "manager", "agent"}));
  users_create->add_option("--name", user_name);
  users_create->add_option("--db", db)->capture_default_str();
  auto* users_list = users->add_subcommand("list", "List the members of a workspace");
  users_list->add_option("--workspace", workspace_name)->required();
  users_list->add_option("--db", db)->capture_default_str();
  users_list->add_flag("--json", json_out);
  auto* users_password = users->add_subcommand("set-password", "Set a user's password");
  users_password->add_option("--email", email)->required();
  users_password->add_option("--password", password)->required();
  users_password->add_option("--db", db)->capture_default_str();

  ImportArgs import_args;
  AddImportCommands(app, import_args, db);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A command group without one of its commands ("dialbook users add", "dialbook frobnicate"):
    // CLI11 says only "A subcommand is required". Name the group, what was given and the
    // commands it has.
    std::vector<CLI::App*> groups{&app};
    for (CLI::App* g : app.get_subcommands()) groups.push_back(g);
    for (CLI::App* group : groups) {
      if (e.get_name() != "RequiredError" || group->get_require_subcommand_min() == 0 ||
          !group->get_subcommands().empty())
        continue;
      std::string names;
      for (const CLI::App* sub : group->get_subcommands([](const CLI::App*) { return true; }))
        names += (names.empty() ? "" : ", ") + sub->get_name();
      const auto rest = group->remaining();
      std::cerr << "error: dialbook" << (group == &app ? "" : " " + group->get_name()) << " needs one of its commands: "
                << names << (rest.empty() ? std::string() : " (got '" + rest.front() + "')") << "\n"
                << "Run with --help for more information.\n";
      return 2;
    }
    return app.exit(e) == 0 ? 0 : 2;
  }

  auto store = Open(db, StoreOptions{.map_file = serve->parsed(), .reader_cache_mib = serve->parsed() ? 64 : 8});
  if (!store) return Report(store.error());
  Service service(**store);

  if (*serve) {
    if (stop_with_parent) prctl(PR_SET_PDEATHSIG, SIGTERM);
    http::ServerOptions o;
    o.threads = threads;
    std::error_code ec;
    if (web_dir.empty() && std::filesystem::exists("web/dist/index.html", ec)) web_dir = "web/dist";
    o.web_dir = web_dir;
    if (!ParseListen(listen, o)) {
      std::cerr << "error: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n";
      return 2;
    }
    // Contacts left in the trash for 30 days are erased: now and every hour. The thread is
    // stopped and joined when the server returns, before the service and the store it writes
    // through are gone (detached, a purge running at shutdown wrote through a closed store).
    std::jthread purge([&service](std::stop_token stop) {
      std::mutex mu;
      std::condition_variable_any wake;
      while (!stop.stop_requested()) {
        auto n = service.PurgeExpiredTrash();
        if (!n) spdlog::warn("trash purge failed: {}", n.error().message);
        else if (*n) spdlog::info("erased {} contacts trashed over {} days ago", *n, Service::kTrashDays);
        std::unique_lock lock(mu);
        wake.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
      }
    });
    ImportConfig ic;
    ic.data_dir = DataDir(db, data_dir);
    ic.max_upload_bytes = max_upload_mb << 20;
    ic.max_rows = max_import_rows;
    if (!sheets_host.empty()) ic.sheets_base = sheets_host;
    Imports imports(service, ic);
    imports.ResumeInterrupted();
    auto st = http::RunServer(service, &imports, o, [&] {
      std::cout << "listening on http://" << o.host << ":" << o.port << std::endl;
    });
    return st ? 0 : Report(st.error());
  }
  if (int rc = RunImportCommands(service, import_args, DataDir(db, "")); rc >= 0) return rc;
  if (*ws_create) {
    auto w = service.CreateWorkspaceWithAdmin(ws_name, admin_email, admin_password, admin_name);
    if (!w) return Report(w.error());
    std::cout << "created workspace '" << w->name << "' (id " << w->id << ") with admin " << admin_email << "\n";
    return 0;
  }
  if (*ws_list) {
    auto all = (*store)->ListWorkspaces();
    if (!all) return Report(all.error());
    nlohmann::json out = nlohmann::json::array();
    for (auto& w : *all) {
      if (json_out) out.push_back({{"id", w.id}, {"name", w.name}, {"contacts", w.contact_count}});
      else std::cout << w.id << "\t" << w.name << "\t" << w.contact_count << " contacts\n";
    }
    if (json_out) std::cout << out.dump() << "\n";
    return 0;
  }
  if (*token_create) {
    auto t = service.IssueToken(email, workspace_name, token_name);
    if (!t) return Report(t.error());
    std::cout << *t << "\n";
    return 0;
  }
  if (*users_create) {
    auto u = service.AddUser(workspace_name, email, password, user_name,
                             role.empty() ? std::nullopt : ParseRole(role));
    if (!u) return Report(u.error());
    std::cout << u->member.user.email << " is a member of '" << workspace_name << "' as "
              << RoleName(u->member.membership.role) << "\n";
    if (!u->new_account)  // else the admin would expect the password just typed to work
      std::cout << "note: " << u->member.user.email << " already had an account: "
                << (user_name.empty() ? "its password stayed as it was" : "its password and name stayed as they were")
                << " (`dialbook users set-password` changes a password)\n";
    return 0;
  }
  if (*users_list) {
    auto w = service.ResolveWorkspace(workspace_name);
    if (!w) return Report(w.error());
    Caller admin{w->id, 0, "", Role::kAdmin, std::nullopt, false, "", ""};
    auto ms = service.ListMembers(admin);
    if (!ms) return Report(ms.error());
    nlohmann::json out = nlohmann::json::array();
    for (auto& m : *ms) {
      if (json_out)
        out.push_back({{"id", m.user.id}, {"email", m.user.email}, {"name", m.user.name},
                       {"role", RoleName(m.membership.role)}, {"department", m.department}});
      else
        std::cout << m.user.id << "\t" << m.user.email << "\t" << RoleName(m.membership.role)
                  << (m.department.empty() ? "" : "\t" + m.department) << "\n";
    }
    if (json_out) std::cout << out.dump() << "\n";
    return 0;
  }
  if (*users_password) {
    auto st = service.SetPassword(email, password);
    if (!st) return Report(st.error());
    std::cout << "password updated for " << email << "\n";
    return 0;
  }
  return 2;
}

}  // namespace dialbook::cli
