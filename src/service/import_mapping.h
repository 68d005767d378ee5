// The mapping of an import (docs/API.md "PUT /imports/{id}/mapping"): parsed and validated
// against the file's header and the workspace's fields, stored in a normalised form the job
// reads back after a restart, and turned into the row plan. Private to service/imports.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/model.h"
#include "importer/pipeline.h"
#include "service/service.h"

namespace dialbook::import_detail {

struct Options {
  std::string on_duplicate = "skip";  // skip, update, update_empty, create
  std::vector<std::string> tags;
  std::string auto_tag;  // "" = none
  bool strict = false;
  std::string default_country;
  std::string list_name, dial_mode;  // list_name "" = no list
};

struct ColumnChoice {
  std::string field;   // standard target or cf.KEY; "" = ignored
  std::optional<FieldDef> new_field;
};

struct Mapping {
  std::vector<ColumnChoice> columns;  // one per file column
  int consent_column = -1;
  Options options;
  std::string save_as;
};

// The file's header row, as stored in the draft's meta_json.
std::vector<std::string> HeaderOf(const ImportRecord& rec);
// "Imported-YYYY-MM" for this month.
std::string AutoTagName();
// Errors name the field: columns[2].field, options.on_duplicate …
Result<Mapping> ParseMapping(const std::string& text, const std::vector<std::string>& header,
                             const std::vector<FieldDef>& fields, const Caller& caller, const Workspace& ws);
// The stored (normalised) form: new fields and ignored columns spelled out.
std::string MappingText(const Mapping& m);
// Fields as the plan sees them: the workspace's plus the ones the mapping will create.
importer::RowPlan BuildPlan(const Mapping& m, std::vector<FieldDef> fields, const std::vector<std::string>& header);

}  // namespace dialbook::import_detail
