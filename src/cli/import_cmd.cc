#include "cli/import_cmd.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/time.h"
#include "service/imports.h"

namespace dialbook::cli {

using nlohmann::json;

namespace {

int Report(const Error& e) {
  std::cerr << "error: " << e.message;
  if (e.details.contains("field")) std::cerr << " (" << e.details.at("field") << ")";
  if (e.details.contains("row")) std::cerr << " [row " << e.details.at("row") << "]";
  std::cerr << "\n";
  return 1;
}

std::string Thousands(int64_t n) {
  std::string s = std::to_string(n), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

// A column named on the command line: its header (any case) or its 1-based number.
int ColumnIndex(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (FoldForSearch(header[i]) == FoldForSearch(name)) return static_cast<int>(i);
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos && name.size() < 6) {
    int n = std::stoi(name);
    if (n >= 1 && n <= static_cast<int>(header.size())) return n - 1;
  }
  return -1;
}

class Bar {
 public:
  explicit Bar(bool on) : on_(on) {}
  void Show(const ImportView& v) {
    if (!on_) return;
    int64_t now = NowMillis();
    if (now - last_ < 200 && v.progress.rows_done < v.progress.rows_total) return;
    last_ = now;
    double f = v.progress.rows_total ? static_cast<double>(v.progress.rows_done) / v.progress.rows_total : 1;
    int w = 30, filled = static_cast<int>(f * w);
    std::string bar(filled, '#');
    bar += std::string(w - filled, '.');
    std::cerr << "\r[" << bar << "] " << static_cast<int>(f * 100) << "% " << Thousands(v.progress.rows_done) << "/"
              << Thousands(v.progress.rows_total) << " rows";
    if (v.progress.rate > 0) std::cerr << "  " << Thousands(static_cast<int64_t>(v.progress.rate)) << " rows/s";
    if (v.progress.eta_seconds > 0) std::cerr << "  ETA " << v.progress.eta_seconds << "s";
    std::cerr << "   " << std::flush;
  }
  void End() {
    if (on_ && last_) std::cerr << "\n";
  }

 private:
  bool on_;
  int64_t last_ = 0;
};

json SummaryJson(const ImportView& v, const std::string& errors_file) {
  json s = json::parse(v.rec.summary_json.empty() ? "{}" : v.rec.summary_json, nullptr, false);
  if (!s.is_object()) s = json::object();
  json out = {{"import_id", v.rec.id},
              {"status", v.rec.status},
              {"rows", s.value("rows", 0)},
              {"imported", s.value("imported", 0)},
              {"updated", s.value("updated", 0)},
              {"unchanged", s.value("unchanged", 0)},
              {"skipped", s.value("skipped", json::object())},
              {"errors_file", errors_file}};
  if (v.rec.list_id) out["list"] = {{"id", v.rec.list_id}, {"added", s.value("list_added", 0)}};
  if (!v.rec.error.empty()) out["error"] = v.rec.error;
  return out;
}

void PrintSummary(const json& s) {
  std::cout << "import " << s["import_id"] << " " << s["status"].get<std::string>() << ": " << Thousands(s["rows"].get<int64_t>())
            << " rows, " << Thousands(s["imported"].get<int64_t>()) << " imported, " << Thousands(s["updated"].get<int64_t>())
            << " updated";
  int64_t skipped = 0;
  for (auto& [k, v] : s["skipped"].items()) skipped += v.get<int64_t>();
  std::cout << ", " << Thousands(skipped) << " skipped\n";
  for (auto& [k, v] : s["skipped"].items()) std::cout << "  skipped (" << k << "): " << Thousands(v.get<int64_t>()) << "\n";
  if (s.contains("list")) std::cout << "  added to dial list " << s["list"]["id"] << ": " << s["list"]["added"] << "\n";
  if (s.contains("error")) std::cout << "  stopped: " << s["error"].get<std::string>() << "\n";
  if (skipped) std::cout << "  error file: " << s["errors_file"].get<std::string>() << "\n";
}

}  // namespace

void AddImportCommands(CLI::App& app, ImportArgs& a, std::string& db) {
  auto* imp = app.add_subcommand("import", "Import contacts from a CSV, XLSX or vCard file (or list, undo, resume imports)");
  a.cmd = imp;
  imp->add_option("FILE", a.file, "The file to import");
  imp->add_option("--workspace", a.workspace, "Workspace name or id (required)");
  imp->add_option("--db", db)->capture_default_str();
  imp->add_option("--user", a.user, "Who imports (default: the workspace's first admin)");
  imp->add_option("--map", a.maps, "COLUMN=FIELD (COLUMN: header or 1-based number; FIELD: first_name, phone, cf.KEY, ignore …)");
  imp->add_option("--consent-column", a.consent_column, "Only rows saying yes here are imported");
  imp->add_option("--on-duplicate", a.on_duplicate, "skip, update, update-empty or create")
      ->check(CLI::IsMember({"skip", "update", "update-empty", "update_empty", "create"}));
  imp->add_option("--tag", a.tags, "Tag every imported contact (repeatable)");
  imp->add_flag("--auto-tag", a.auto_tag, "Also tag them Imported-YYYY-MM");
  imp->add_flag("--strict", a.strict, "Refuse the whole file if any row has a problem");
  imp->add_option("--default-country", a.default_country, "Country of numbers written without +, e.g. US");
  imp->add_option("--list", a.list, "Also create a dial list with this name");
  imp->add_option("--dial-mode", a.dial_mode, "ai or manual")->check(CLI::IsMember({"ai", "manual"}));
  imp->add_flag("--dry-run", a.dry_run, "Show the review and write nothing");
  imp->add_flag("--json", a.json, "Print one JSON summary object last");
  imp->fallthrough();
  a.list_cmd = imp->add_subcommand("list", "List the workspace's imports");
  a.undo_cmd = imp->add_subcommand("undo", "Undo an import");
  a.undo_cmd->add_option("ID", a.id)->required();
  a.resume_cmd = imp->add_subcommand("resume", "Resume an interrupted import");
  a.resume_cmd->add_option("ID", a.id)->required();
  for (auto* sub : {a.list_cmd, a.undo_cmd, a.resume_cmd}) {
    sub->add_option("--workspace", a.workspace, "Workspace name or id");
    sub->add_option("--db", db)->capture_default_str();
    sub->add_flag("--json", a.json);
    sub->add_option("--user", a.user);
  }
}

int RunImportCommands(Service& service, ImportArgs& a, const std::string& data_dir) {
  if (!a.cmd || !*a.cmd) return -1;
  if (a.workspace.empty()) {
    std::cerr << "error: --workspace is required\n";
    return 2;
  }
  auto ws = service.ResolveWorkspace(a.workspace);
  if (!ws) return Report(ws.error());
  auto caller = service.CallerForEmail(a.user, ws->id);
  if (!caller) return Report(caller.error());
  ImportConfig config;
  config.data_dir = data_dir;
  config.max_upload_bytes = INT64_MAX;  // a local file has no upload limit
  Imports imports(service, config);
  Bar bar(isatty(2) && !a.json);
  auto errors_file = [&](int64_t id) {
    auto p = imports.ErrorsFile(*caller, id);
    return p ? *p : std::string();
  };

  if (*a.list_cmd) {
    auto list = imports.List(*caller, 200, 0);
    if (!list) return Report(list.error());
    json out = json::array();
    for (auto& v : *list) {
      json s = SummaryJson(v, "");
      s["file_name"] = v.rec.file_name;
      s["created_at"] = FormatTime(v.rec.created_at);
      s["created_by"] = v.rec.user_email;
      if (a.json) {
        out.push_back(s);
        continue;
      }
      std::cout << v.rec.id << "\t" << v.rec.status << "\t" << FormatTime(v.rec.created_at) << "\t" << v.rec.file_name << "\t"
                << Thousands(v.rec.rows_total) << " rows\t" << Thousands(s["imported"].get<int64_t>()) << " imported\t"
                << Thousands(s["updated"].get<int64_t>()) << " updated\n";
    }
    if (a.json) std::cout << out.dump() << "\n";
    return 0;
  }
  if (*a.undo_cmd) {
    auto v = imports.Undo(*caller, a.id);
    if (!v) return Report(v.error());
    json u = json::parse(v->rec.undo_json);
    if (a.json) {
      std::cout << json{{"import_id", a.id}, {"removed", u["removed"]}, {"restored", u["restored"]}, {"conflicts", u["conflicts"]}}.dump()
                << "\n";
    } else {
      std::cout << "import " << a.id << " undone: " << Thousands(u["removed"].get<int64_t>()) << " contacts removed, "
                << Thousands(u["restored"].get<int64_t>()) << " restored";
      if (!u["conflicts"].empty()) std::cout << ", " << u["conflicts"].size() << " kept because they changed since";
      std::cout << "\n";
      for (auto& c : u["conflicts"]) std::cout << "  kept contact " << c["contact_id"] << ": " << c["reason"].get<std::string>() << "\n";
    }
    return 0;
  }
  if (*a.resume_cmd) {
    auto v = imports.Resume(*caller, a.id, [&](const ImportView& p) { bar.Show(p); });
    bar.End();
    if (!v) return Report(v.error());
    json s = SummaryJson(*v, errors_file(v->rec.id));
    if (a.json) std::cout << s.dump() << "\n";
    else PrintSummary(s);
    return v->rec.status == "completed" ? 0 : 1;
  }

  if (a.file.empty()) {
    std::cerr << "error: name the FILE to import\n";
    return 2;
  }
  auto created = imports.CreateFromFile(*caller, std::filesystem::path(a.file).filename().string(), a.file, true);
  if (!created) return Report(created.error());
  const int64_t id = created->rec.id;
  auto drop_draft = [&] { (void)imports.Delete(*caller, id); };
  json meta = json::parse(created->rec.meta_json);
  std::vector<std::string> header = meta["header"].get<std::vector<std::string>>();
  std::vector<std::string> field(header.size());
  for (auto& c : meta["columns"]) field[c["index"].get<size_t>()] = c["suggested_field"].get<std::string>();
  int consent = -1;
  for (auto& m : a.maps) {
    auto eq = m.rfind('=');
    if (eq == std::string::npos) {
      drop_draft();
      std::cerr << "error: --map takes COLUMN=FIELD (got '" << m << "')\n";
      return 2;
    }
    int idx = ColumnIndex(header, m.substr(0, eq));
    if (idx < 0) {
      drop_draft();
      std::cerr << "error: --map " << m << ": the file has no column '" << m.substr(0, eq) << "'\n";
      return 2;
    }
    std::string f = m.substr(eq + 1);
    if (f == "phone")  // one phone column: the one named here
      for (auto& x : field)
        if (x == "phone") x = "phones";
    field[idx] = f == "ignore" ? "" : f;
  }
  if (!a.consent_column.empty()) {
    consent = ColumnIndex(header, a.consent_column);
    if (consent < 0) {
      drop_draft();
      std::cerr << "error: --consent-column: the file has no column '" << a.consent_column << "'\n";
      return 2;
    }
    for (auto& x : field)
      if (x == "consent") x.clear();
    field[consent] = "consent";
  }
  json columns = json::array();
  for (size_t i = 0; i < header.size(); ++i)
    if (field[i].empty()) columns.push_back({{"index", i}, {"ignore", true}});
    else columns.push_back({{"index", i}, {"field", field[i]}});
  json options = {{"on_duplicate", a.on_duplicate}, {"tags", a.tags}, {"auto_tag", a.auto_tag}, {"strict", a.strict}};
  if (!a.default_country.empty()) options["default_country"] = a.default_country;
  if (!a.list.empty()) options["list"] = {{"name", a.list}, {"dial_mode", a.dial_mode}};
  json mapping = {{"columns", columns}, {"options", options}};
  auto mapped = imports.SetMapping(*caller, id, mapping.dump());
  if (!mapped) {
    drop_draft();
    return Report(mapped.error());
  }
  if (a.dry_run) {
    auto r = imports.Review(*caller, id);
    drop_draft();
    if (!r) return Report(r.error());
    json skipped = json::object();
    for (auto& [k, v] : r->skipped) skipped[k] = v;
    json warnings = json::array();
    for (auto& w : r->warnings) warnings.push_back(w.message);
    json out = {{"dry_run", true}, {"rows", r->rows_total}, {"would_import", r->will_create}, {"would_update", r->will_update},
                {"skipped", skipped}, {"warnings", warnings}, {"strict_ok", r->strict_ok}};
    json cols = json::array();
    for (size_t i = 0; i < header.size(); ++i) cols.push_back({{"column", header[i]}, {"field", field[i]}});
    out["mapping"] = cols;
    if (a.json) {
      std::cout << out.dump() << "\n";
    } else {
      std::cout << "dry run, nothing written: " << Thousands(r->rows_total) << " rows, " << Thousands(r->will_create)
                << " would be imported, " << Thousands(r->will_update) << " would update existing contacts, "
                << Thousands(r->will_skip) << " would be skipped\n";
      for (auto& [k, v] : r->skipped) std::cout << "  skipped (" << k << "): " << Thousands(v) << "\n";
      for (size_t i = 0; i < header.size(); ++i)
        std::cout << "  column " << i + 1 << " '" << header[i] << "' -> " << (field[i].empty() ? "(ignored)" : field[i]) << "\n";
      for (auto& w : r->warnings) std::cout << "  warning: " << w.message << "\n";
    }
    return 0;
  }
  auto done = imports.Run(*caller, id, true, [&](const ImportView& p) { bar.Show(p); });
  bar.End();
  if (!done) {
    auto now = imports.Get(*caller, id);
    if (now && now->rec.status == "draft") drop_draft();
    return Report(done.error());
  }
  json s = SummaryJson(*done, errors_file(id));
  if (a.json) std::cout << s.dump() << "\n";
  else PrintSummary(s);
  return done->rec.status == "completed" ? 0 : 1;
}

}  // namespace dialbook::cli
