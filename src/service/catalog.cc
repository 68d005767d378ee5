// Tags, groups, departments, custom field definitions and saved presets.
#include <nlohmann/json.hpp>

#include <regex>

#include "core/text.h"
#include "service/service.h"

namespace dialbook {

using nlohmann::json;

namespace {

Result<std::string> CleanLabel(const std::string& path, const std::string& in, size_t max) {
  std::string v = Trim(in);
  if (v.empty()) return Fail(FieldError(path, path + " is empty"));
  if (v.size() > max) return Fail(FieldError(path, path + " is too long (" + std::to_string(max) + " characters at most)"));
  if (!IsValidUtf8(v)) return Fail(FieldError(path, path + " is not valid UTF-8 text"));
  return v;
}

Status CheckColor(const std::string& color) {
  static const std::regex kColor("^#[0-9a-fA-F]{6}$");
  if (!color.empty() && !std::regex_match(color, kColor))
    return Fail(FieldError("color", "color must be written #rrggbb (e.g. #1f7a8c)"));
  return {};
}

}  // namespace

// ---- tags -------------------------------------------------------------------------------------

// A caller scoped to a department sees how many of *its* contacts carry each tag or group,
// never counts that include other departments.
template <typename T>
Status Service::ScopeCounts(const Caller& caller, bool groups, std::vector<T>& items) {
  if (!caller.department_id) return {};
  DB_ASSIGN_OR_RETURN(auto counts, store_.CountLinksInDepartment(caller.workspace_id, groups, *caller.department_id));
  for (auto& item : items) {
    auto it = counts.find(item.id);
    item.count = it == counts.end() ? 0 : it->second;
  }
  return {};
}

template <typename T>
Result<T> Service::ScopeCount(const Caller& caller, bool groups, Result<T> item) {
  if (!item) return item;
  std::vector<T> one{std::move(*item)};
  DB_TRY(ScopeCounts(caller, groups, one));
  return std::move(one[0]);
}

Result<std::vector<Tag>> Service::ListTags(const Caller& caller) {
  DB_ASSIGN_OR_RETURN(auto tags, store_.ListTags(caller.workspace_id));
  DB_TRY(ScopeCounts(caller, false, tags));
  return tags;
}

Result<Tag> Service::CreateTag(const Caller& caller, const TagInput& in) {
  DB_TRY(Require(caller, Role::kManager));
  Tag t;
  DB_ASSIGN_OR_RETURN(t.label, CleanLabel("label", in.label.value_or(""), 100));
  t.description = Trim(in.description.value_or(""));
  if (t.description.size() > 500) return Fail(FieldError("description", "description is too long (500 at most)"));
  t.color = Trim(in.color.value_or(""));
  DB_TRY(CheckColor(t.color));
  return ScopeCount(caller, false, store_.CreateTag(caller.workspace_id, t));
}

Result<Tag> Service::UpdateTag(const Caller& caller, int64_t id, const TagInput& in) {
  DB_TRY(Require(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(Tag t, store_.GetTag(caller.workspace_id, id));
  if (in.label) { DB_ASSIGN_OR_RETURN(t.label, CleanLabel("label", *in.label, 100)); }
  if (in.description) {
    t.description = Trim(*in.description);
    if (t.description.size() > 500) return Fail(FieldError("description", "description is too long (500 at most)"));
  }
  if (in.color) {
    t.color = Trim(*in.color);
    DB_TRY(CheckColor(t.color));
  }
  DB_TRY(store_.UpdateTag(caller.workspace_id, t));
  return ScopeCount(caller, false, store_.GetTag(caller.workspace_id, id));
}

Status Service::DeleteTag(const Caller& caller, int64_t id) {
  DB_TRY(Require(caller, Role::kManager));
  return store_.DeleteTag(caller.workspace_id, id);
}

Result<Tag> Service::MergeTag(const Caller& caller, int64_t from, int64_t into) {
  DB_TRY(Require(caller, Role::kManager));
  if (from == into) return Fail(FieldError("into", "a tag cannot be merged into itself"));
  DB_TRY(store_.MergeTag(caller.workspace_id, from, into));
  return ScopeCount(caller, false, store_.GetTag(caller.workspace_id, into));
}

// ---- groups and departments ---------------------------------------------------------------------

Result<std::vector<NamedSet>> Service::ListSets(const Caller& caller, SetKind kind) {
  DB_ASSIGN_OR_RETURN(auto sets, store_.ListSets(caller.workspace_id, kind));
  if (kind == SetKind::kGroup) DB_TRY(ScopeCounts(caller, true, sets));
  return sets;
}

Result<NamedSet> Service::CreateSet(const Caller& caller, SetKind kind, const std::string& name) {
  DB_TRY(Require(caller, kind == SetKind::kGroup ? Role::kManager : Role::kAdmin));
  DB_ASSIGN_OR_RETURN(std::string n, CleanLabel("name", name, 100));
  if (kind == SetKind::kGroup) return ScopeCount(caller, true, store_.CreateSet(caller.workspace_id, kind, n));
  return store_.CreateSet(caller.workspace_id, kind, n);
}

Result<NamedSet> Service::RenameSet(const Caller& caller, SetKind kind, int64_t id, const std::string& name) {
  DB_TRY(Require(caller, kind == SetKind::kGroup ? Role::kManager : Role::kAdmin));
  DB_ASSIGN_OR_RETURN(std::string n, CleanLabel("name", name, 100));
  DB_TRY(store_.RenameSet(caller.workspace_id, kind, id, n));
  if (kind == SetKind::kGroup) return ScopeCount(caller, true, store_.GetSet(caller.workspace_id, kind, id));
  return store_.GetSet(caller.workspace_id, kind, id);
}

Status Service::DeleteSet(const Caller& caller, SetKind kind, int64_t id) {
  DB_TRY(Require(caller, kind == SetKind::kGroup ? Role::kManager : Role::kAdmin));
  if (kind == SetKind::kDepartment) {
    // Members scoped to it would silently see every contact: move them first.
    DB_ASSIGN_OR_RETURN(auto members, store_.ListMembers(caller.workspace_id));
    int64_t n = 0;
    for (auto& m : members) n += m.department_id == id;
    if (n)
      return Fail(MakeError(ErrorCode::kRuleViolation, std::to_string(n) + (n == 1 ? " member works" : " members work") +
                                                           " in this department; move them to another one first")
                      .With("count", std::to_string(n)));
  }
  return store_.DeleteSet(caller.workspace_id, kind, id);
}

// ---- custom fields --------------------------------------------------------------------------------

namespace {

Status ApplyFieldInput(const FieldInput& in, FieldDef& f) {
  if (in.label) { DB_ASSIGN_OR_RETURN(f.label, CleanLabel("label", *in.label, 100)); }
  if (in.options) {
    f.options.clear();
    if (in.options->size() > 200) return Fail(FieldError("options", "at most 200 options"));
    for (size_t i = 0; i < in.options->size(); ++i) {
      DB_ASSIGN_OR_RETURN(std::string o, CleanLabel("options[" + std::to_string(i) + "]", (*in.options)[i], 200));
      for (auto& existing : f.options)
        if (FoldForSearch(existing) == FoldForSearch(o))
          return Fail(FieldError("options[" + std::to_string(i) + "]", "option '" + o + "' is listed twice"));
      f.options.push_back(o);
    }
  }
  if (f.type == FieldType::kDropdown && f.options.empty())
    return Fail(FieldError("options", "a dropdown needs at least one option"));
  if (f.type != FieldType::kDropdown && !f.options.empty())
    return Fail(FieldError("options", "only dropdown fields have options"));
  if (in.required) f.required = *in.required;
  if (in.archived) f.archived = *in.archived;
  if (in.order) f.position = *in.order;
  if (in.visibility) {
    if (*in.visibility == "all") f.visibility = Role::kAgent;
    else if (*in.visibility == "manager") f.visibility = Role::kManager;
    else if (*in.visibility == "admin") f.visibility = Role::kAdmin;
    else return Fail(FieldError("visibility", "visibility must be all, manager or admin"));
  }
  return {};
}

}  // namespace

Result<FieldDef> Service::CreateField(const Caller& caller, const FieldInput& in) {
  DB_TRY(Require(caller, Role::kAdmin));
  static const std::regex kKey("^[a-z][a-z0-9_]{0,63}$");
  FieldDef f;
  if (!in.key || !std::regex_match(*in.key, kKey))
    return Fail(FieldError("key", "key must start with a-z and use only a-z, 0-9 and _ (64 at most)"));
  f.key = *in.key;
  static const char* kReserved[] = {"id", "name", "first_name", "last_name", "phone", "phones", "email",
                                    "company", "street", "city", "state", "zip", "country", "notes",
                                    "tags", "groups", "department", "consent", "source", "starred"};
  for (auto r : kReserved)
    if (f.key == r) return Fail(FieldError("key", "'" + f.key + "' is a standard contact field"));
  auto type = ParseFieldType(in.type.value_or(""));
  if (!type) return Fail(FieldError("type", "type must be text, long_text, integer, decimal, date, dropdown or checkbox"));
  f.type = *type;
  if (!in.label) return Fail(FieldError("label", "label is required"));
  DB_TRY(ApplyFieldInput(in, f));
  DB_ASSIGN_OR_RETURN(auto existing, store_.ListFields(caller.workspace_id));
  if (existing.size() >= 200) return Fail(ErrorCode::kRuleViolation, "a workspace can have at most 200 custom fields");
  return store_.CreateField(caller.workspace_id, f);
}

Result<FieldDef> Service::UpdateField(const Caller& caller, const std::string& key, const FieldInput& in) {
  DB_TRY(Require(caller, Role::kAdmin));
  DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
  for (auto& f : fields) {
    if (f.key != key) continue;
    if (in.key && *in.key != f.key) return Fail(FieldError("key", "the key of a field cannot change"));
    if (in.type && *in.type != FieldTypeName(f.type)) return Fail(FieldError("type", "the type of a field cannot change"));
    FieldDef next = f;
    DB_TRY(ApplyFieldInput(in, next));
    DB_TRY(store_.UpdateField(caller.workspace_id, next));
    return next;
  }
  return Fail(ErrorCode::kNotFound, "no custom field '" + key + "'");
}

Status Service::DeleteField(const Caller& caller, const std::string& key, bool confirm) {
  DB_TRY(Require(caller, Role::kAdmin));
  DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
  for (auto& f : fields) {
    if (f.key != key) continue;
    if (!confirm) {
      DB_ASSIGN_OR_RETURN(int64_t n, store_.CountFieldValues(caller.workspace_id, f.id));
      return Fail(MakeError(ErrorCode::kFailedPrecondition,
                            "deleting '" + f.label + "' erases its value on " + std::to_string(n) +
                                " contacts; repeat with confirm=true (or archive it to keep the data)")
                      .With("values", std::to_string(n)));
    }
    return store_.DeleteField(caller.workspace_id, f.id);
  }
  return Fail(ErrorCode::kNotFound, "no custom field '" + key + "'");
}

// ---- presets ---------------------------------------------------------------------------------------

namespace {
std::string ParamsJson(const Params& p) {
  json a = json::array();
  for (auto& [k, v] : p) a.push_back({k, v});
  return a.dump();
}
}  // namespace

Result<std::vector<Preset>> Service::ListPresets(const Caller& caller) {
  return store_.ListPresets(caller.workspace_id, caller.user_id);
}

Result<Preset> Service::CreatePreset(const Caller& caller, const PresetInput& in) {
  Preset p;
  p.user_id = caller.user_id;
  DB_ASSIGN_OR_RETURN(p.name, CleanLabel("name", in.name.value_or(""), 100));
  p.shared = in.shared.value_or(false);
  if (p.shared) DB_TRY(Require(caller, Role::kManager));
  Params filter = in.filter.value_or(Params{});
  DB_TRY(ParseContactQuery(filter, false));  // the filter must be a valid one
  p.filter_json = ParamsJson(filter);
  return store_.CreatePreset(caller.workspace_id, p);
}

Result<Preset> Service::UpdatePreset(const Caller& caller, int64_t id, const PresetInput& in) {
  DB_ASSIGN_OR_RETURN(Preset p, store_.GetPreset(caller.workspace_id, id));
  if (p.user_id != caller.user_id) {
    if (!p.shared) return Fail(ErrorCode::kNotFound, "preset not found");
    DB_TRY(Require(caller, Role::kManager));
  }
  if (in.name) { DB_ASSIGN_OR_RETURN(p.name, CleanLabel("name", *in.name, 100)); }
  if (in.shared) {
    if (*in.shared) DB_TRY(Require(caller, Role::kManager));
    p.shared = *in.shared;
  }
  if (in.filter) {
    DB_TRY(ParseContactQuery(*in.filter, false));
    p.filter_json = ParamsJson(*in.filter);
  }
  DB_TRY(store_.UpdatePreset(caller.workspace_id, p));
  return store_.GetPreset(caller.workspace_id, id);
}

Status Service::DeletePreset(const Caller& caller, int64_t id) {
  DB_ASSIGN_OR_RETURN(Preset p, store_.GetPreset(caller.workspace_id, id));
  if (p.user_id != caller.user_id) {
    if (!p.shared) return Fail(ErrorCode::kNotFound, "preset not found");
    DB_TRY(Require(caller, Role::kManager));
  }
  return store_.DeletePreset(caller.workspace_id, id);
}

}  // namespace dialbook
