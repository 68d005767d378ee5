#include "service/import_mapping.h"

#include <nlohmann/json.hpp>

#include <regex>
#include <set>

#include "core/text.h"
#include "core/time.h"
#include "domain/phone.h"

namespace dialbook::import_detail {

using nlohmann::json;
using importer::RowPlan;

std::string AutoTagName() {
  std::string t = FormatTime(NowMillis());  // 2026-11-23T…
  return "Imported-" + t.substr(0, 7);
}

Result<Mapping> ParseMapping(const std::string& text, const std::vector<std::string>& header,
                             const std::vector<FieldDef>& fields, const Caller& caller, const Workspace& ws) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Fail(FieldError("mapping", "the mapping must be a JSON object"));
  for (auto& [k, v] : j.items())
    if (k != "columns" && k != "consent_column" && k != "options" && k != "save_as")
      return Fail(FieldError(k, "unknown field '" + k + "'"));
  Mapping m;
  m.columns.resize(header.size());
  if (!j.contains("columns") || !j["columns"].is_array())
    return Fail(FieldError("columns", "columns must be a list of {index, field} | {index, new_field} | {index, ignore}"));
  std::set<size_t> seen;
  std::set<std::string> new_keys;
  for (size_t n = 0; n < j["columns"].size(); ++n) {
    const json& c = j["columns"][n];
    std::string path = "columns[" + std::to_string(n) + "]";
    if (!c.is_object()) return Fail(FieldError(path, path + " must be an object"));
    for (auto& [k, v] : c.items())
      if (k != "index" && k != "field" && k != "new_field" && k != "ignore")
        return Fail(FieldError(path + "." + k, "unknown field '" + k + "'"));
    if (!c.contains("index") || !c["index"].is_number_integer())
      return Fail(FieldError(path + ".index", "index must be the column's number (0 = first column)"));
    int64_t idx = c["index"].get<int64_t>();
    if (idx < 0 || idx >= static_cast<int64_t>(header.size()))
      return Fail(FieldError(path + ".index", "there is no column " + std::to_string(idx) + " (the file has " +
                                          std::to_string(header.size()) + ")"));
    if (!seen.insert(static_cast<size_t>(idx)).second)
      return Fail(FieldError(path + ".index", "column " + std::to_string(idx) + " is mapped twice"));
    ColumnChoice& choice = m.columns[idx];
    int given = c.contains("field") + c.contains("new_field") + c.contains("ignore");
    if (given != 1) return Fail(FieldError(path, path + " needs exactly one of field, new_field or ignore"));
    if (c.contains("ignore")) {
      if (!c["ignore"].is_boolean()) return Fail(FieldError(path + ".ignore", "ignore must be true or false"));
      continue;
    }
    if (c.contains("field")) {
      if (!c["field"].is_string()) return Fail(FieldError(path + ".field", "field must be a string"));
      std::string f = c["field"].get<std::string>();
      if (f.empty()) continue;
      if (f.starts_with("cf.")) {
        const FieldDef* def = nullptr;
        for (auto& d : fields)
          if (d.key == f.substr(3) && static_cast<int>(d.visibility) <= static_cast<int>(caller.role)) def = &d;
        if (!def) return Fail(FieldError(path + ".field", "there is no custom field '" + f.substr(3) + "'"));
        if (def->archived) return Fail(FieldError(path + ".field", "the custom field '" + def->key + "' is archived"));
      } else if (!importer::IsStandardTarget(f)) {
        return Fail(FieldError(path + ".field", "'" + f + "' is not a contact field (use a standard field, cf.KEY, new_field or ignore)"));
      }
      if (f == "consent") m.consent_column = static_cast<int>(idx);
      choice.field = f;
      continue;
    }
    const json& nf = c["new_field"];
    if (!nf.is_object()) return Fail(FieldError(path + ".new_field", "new_field must be {key, label, type}"));
    if (caller.role != Role::kAdmin)
      return Fail(MakeError(ErrorCode::kPermissionDenied, "only admins create custom fields; map the column to an existing field or ignore it")
                      .With("field", path + ".new_field"));
    static const std::regex kKey("^[a-z][a-z0-9_]{0,63}$");
    FieldDef def;
    def.key = nf.value("key", "");
    def.label = Trim(nf.value("label", ""));
    if (!std::regex_match(def.key, kKey))
      return Fail(FieldError(path + ".new_field.key", "key must start with a-z and use only a-z, 0-9 and _ (64 at most)"));
    if (importer::IsStandardTarget(def.key) || def.key == "id" || def.key == "source" || def.key == "starred")
      return Fail(FieldError(path + ".new_field.key", "'" + def.key + "' is a standard contact field"));
    for (auto& d : fields)
      if (d.key == def.key)
        return Fail(FieldError(path + ".new_field.key", "a custom field '" + def.key + "' already exists: map the column to cf." +
                                                   def.key));
    if (!new_keys.insert(def.key).second)
      return Fail(FieldError(path + ".new_field.key", "two columns create the field '" + def.key + "'"));
    if (def.label.empty() || def.label.size() > 100)
      return Fail(FieldError(path + ".new_field.label", "label is required (100 characters at most)"));
    auto type = ParseFieldType(nf.value("type", "text"));
    if (!type || *type == FieldType::kDropdown)
      return Fail(FieldError(path + ".new_field.type", "type must be text, long_text, integer, decimal, date or checkbox"));
    def.type = *type;
    choice.new_field = def;
    choice.field = "cf." + def.key;
  }
  if (j.contains("consent_column") && !j["consent_column"].is_null()) {
    if (!j["consent_column"].is_number_integer() || j["consent_column"].get<int64_t>() < 0 ||
        j["consent_column"].get<int64_t>() >= static_cast<int64_t>(header.size()))
      return Fail(FieldError("consent_column", "consent_column must be the number of a column of the file"));
    int idx = j["consent_column"].get<int>();
    if (m.consent_column >= 0 && m.consent_column != idx)
      return Fail(FieldError("consent_column", "another column is already mapped to consent"));
    m.consent_column = idx;
    if (m.columns[idx].field != "consent" && !m.columns[idx].field.empty())
      return Fail(FieldError("consent_column", "column " + std::to_string(idx) + " is mapped to " + m.columns[idx].field));
    m.columns[idx].field = "consent";
    m.columns[idx].new_field.reset();
  }
  int phone = 0;
  for (auto& c : m.columns) phone += c.field == "phone";
  if (phone == 0) return Fail(FieldError("columns", "map one column to phone: a contact needs a phone number"));
  if (phone > 1) return Fail(FieldError("columns", "only one column can be the phone; map the others to phones (additional phones)"));
  Options& o = m.options;
  o.default_country = ws.default_country;
  if (j.contains("options") && !j["options"].is_null()) {
    const json& op = j["options"];
    if (!op.is_object()) return Fail(FieldError("options", "options must be an object"));
    for (auto& [k, v] : op.items()) {
      std::string path = "options." + k;
      if (k == "on_duplicate") {
        std::string d = v.is_string() ? v.get<std::string>() : "";
        if (d == "update-empty") d = "update_empty";
        if (d != "skip" && d != "update" && d != "update_empty" && d != "create")
          return Fail(FieldError(path, "on_duplicate must be skip, update, update_empty or create"));
        o.on_duplicate = d;
      } else if (k == "tags") {
        if (!v.is_array()) return Fail(FieldError(path, "tags must be a list of labels"));
        if (v.size() > 20) return Fail(FieldError(path, "at most 20 tags per import"));
        for (auto& t : v) {
          if (!t.is_string() || IsBlank(t.get<std::string>()) || t.get<std::string>().size() > 100)
            return Fail(FieldError(path, "each tag must be a label of 1 to 100 characters"));
          o.tags.push_back(Trim(t.get<std::string>()));
        }
      } else if (k == "auto_tag") {
        if (v.is_boolean()) o.auto_tag = v.get<bool>() ? AutoTagName() : "";
        else if (v.is_string() && v.get<std::string>().size() <= 100) o.auto_tag = Trim(v.get<std::string>());
        else if (!v.is_null()) return Fail(FieldError(path, "auto_tag must be true, false or a tag label"));
      } else if (k == "strict") {
        if (!v.is_boolean()) return Fail(FieldError(path, "strict must be true or false"));
        o.strict = v.get<bool>();
      } else if (k == "default_country") {
        std::string cc = v.is_string() ? Trim(v.get<std::string>()) : "";
        for (auto& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (!IsSupportedRegion(cc)) return Fail(FieldError(path, "default_country must be an ISO 3166 code such as US or GB"));
        o.default_country = cc;
      } else if (k == "list") {
        if (v.is_null()) continue;
        if (!v.is_object()) return Fail(FieldError(path, "list must be {name, dial_mode} or null"));
        o.list_name = Trim(v.value("name", ""));
        o.dial_mode = v.value("dial_mode", "manual");
        if (o.list_name.empty() || o.list_name.size() > 100)
          return Fail(FieldError(path + ".name", "the dial list needs a name (100 characters at most)"));
        if (o.dial_mode != "ai" && o.dial_mode != "manual") return Fail(FieldError(path + ".dial_mode", "dial_mode must be ai or manual"));
      } else {
        return Fail(FieldError(path, "unknown option '" + k + "'"));
      }
    }
  }
  if (j.contains("save_as") && !j["save_as"].is_null()) {
    if (!j["save_as"].is_string() || IsBlank(j["save_as"].get<std::string>()) || j["save_as"].get<std::string>().size() > 100)
      return Fail(FieldError("save_as", "save_as must be a name of 1 to 100 characters"));
    m.save_as = Trim(j["save_as"].get<std::string>());
  }
  return m;
}

// The stored (normalised) form: what the job reads back after a restart.
std::string MappingText(const Mapping& m) {
  json cols = json::array();
  for (size_t i = 0; i < m.columns.size(); ++i) {
    const auto& c = m.columns[i];
    if (c.new_field)
      cols.push_back({{"index", i},
                      {"new_field", {{"key", c.new_field->key}, {"label", c.new_field->label}, {"type", FieldTypeName(c.new_field->type)}}}});
    else if (c.field.empty())
      cols.push_back({{"index", i}, {"ignore", true}});
    else
      cols.push_back({{"index", i}, {"field", c.field}});
  }
  const Options& o = m.options;
  json list = o.list_name.empty() ? json(nullptr) : json{{"name", o.list_name}, {"dial_mode", o.dial_mode}};
  return json{{"columns", cols},
          {"consent_column", m.consent_column >= 0 ? json(m.consent_column) : json(nullptr)},
          {"options",
           {{"on_duplicate", o.on_duplicate}, {"tags", o.tags}, {"auto_tag", o.auto_tag}, {"strict", o.strict},
            {"default_country", o.default_country}, {"list", list}}}}
      .dump();
}

// Fields as the plan sees them: the workspace's plus the ones the mapping will create.
RowPlan BuildPlan(const Mapping& m, std::vector<FieldDef> fields, const std::vector<std::string>& header) {
  RowPlan plan;
  for (auto& c : m.columns)
    if (c.new_field) fields.push_back(*c.new_field);
  plan.fields = std::move(fields);
  plan.header = header;
  plan.default_region = m.options.default_country;
  plan.consent_column = m.consent_column;
  plan.columns.resize(m.columns.size());
  for (size_t i = 0; i < m.columns.size(); ++i) {
    const std::string& f = m.columns[i].field;
    if (f.starts_with("cf.")) {
      for (auto& d : plan.fields)
        if (d.key == f.substr(3)) plan.columns[i].custom = &d;
    } else if (f != "consent") {
      plan.columns[i].field = f;
    }
  }
  return plan;
}

std::vector<std::string> HeaderOf(const ImportRecord& rec) {
  json meta = json::parse(rec.meta_json, nullptr, false);
  std::vector<std::string> header;
  if (meta.is_object() && meta.contains("header"))
    for (auto& h : meta["header"]) header.push_back(h.get<std::string>());
  return header;
}

}  // namespace dialbook::import_detail
