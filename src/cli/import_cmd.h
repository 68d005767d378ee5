// `dialbook import …` (SPEC S6, S12.3): import a file straight into the database, list
// imports, undo or resume one. Private to cli/.
#pragma once
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace dialbook {
class Service;
}

namespace dialbook::cli {

struct ImportArgs {
  std::string file, workspace, user, consent_column, on_duplicate = "skip", default_country, list, dial_mode = "manual";
  std::vector<std::string> maps, tags;
  bool auto_tag = false, strict = false, dry_run = false, json = false;
  int64_t id = 0;
  CLI::App* cmd = nullptr;
  CLI::App* list_cmd = nullptr;
  CLI::App* undo_cmd = nullptr;
  CLI::App* resume_cmd = nullptr;
};

void AddImportCommands(CLI::App& app, ImportArgs& args, std::string& db);
// Returns the exit code, or -1 when no import command was given.
int RunImportCommands(Service& service, ImportArgs& args, const std::string& data_dir);

}  // namespace dialbook::cli
