#include "http/codec.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <set>

#include "core/time.h"

namespace dialbook::http {

namespace {

json TimeOrNull(int64_t t) { return t ? json(FormatTime(t)) : json(nullptr); }

const char* TypeNameOf(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a number";
  }
}

Error TypeError(const std::string& path, const char* want, const json& got) {
  return FieldError(path, path + " must be " + want + ", not " + TypeNameOf(got));
}

Result<std::optional<bool>> OptBool(const json& j, const std::string& key, const std::string& path) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return Fail(TypeError(path, "true or false", *it));
  return std::optional<bool>(it->get<bool>());
}

Result<std::optional<int64_t>> OptInt(const json& j, const std::string& key, const std::string& path) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer()) return Fail(TypeError(path, "an integer", *it));
  return std::optional<int64_t>(it->get<int64_t>());
}

Result<std::optional<std::vector<std::string>>> OptStrings(const json& j, const std::string& key, const std::string& path) {
  auto it = j.find(key);
  if (it == j.end()) return std::optional<std::vector<std::string>>();
  if (it->is_null()) return std::optional<std::vector<std::string>>(std::vector<std::string>{});
  if (!it->is_array()) return Fail(TypeError(path, "an array of strings", *it));
  std::vector<std::string> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    if (!v.is_string()) return Fail(TypeError(path + "[" + std::to_string(i) + "]", "a string", v));
    out.push_back(v.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

}  // namespace

Result<json> ParseBody(const std::string& body) {
  if (body.empty()) return Fail(FieldError("body", "the request body is empty; send a JSON object"));
  try {
    json j = json::parse(body);
    if (!j.is_object()) return Fail(FieldError("body", "the request body must be a JSON object"));
    return j;
  } catch (const json::parse_error& e) {
    return Fail(MakeError(ErrorCode::kInvalidArgument, "malformed JSON at byte " + std::to_string(e.byte))
                    .With("field", "body")
                    .With("byte", std::to_string(e.byte)));
  }
}

Status OnlyKeys(const json& j, std::initializer_list<const char*> keys, const std::string& prefix) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (auto k : keys) known |= it.key() == k;
    if (!known) return Fail(FieldError(prefix + it.key(), "unknown field '" + prefix + it.key() + "'"));
  }
  return {};
}

Result<std::optional<std::string>> OptString(const json& j, const std::string& key, const std::string& path) {
  auto it = j.find(key);
  if (it == j.end()) return std::optional<std::string>();
  if (it->is_null()) return std::optional<std::string>(std::string());
  if (!it->is_string()) return Fail(TypeError(path, "a string", *it));
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> GetString(const json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return Fail(FieldError(key, std::string(key) + " is required"));
    return std::string();
  }
  if (!it->is_string()) return Fail(TypeError(key, "a string", *it));
  return it->get<std::string>();
}

RawValue RawFrom(const json& v) {
  RawValue r;
  if (v.is_string()) {
    r.kind = RawValue::Kind::kString;
    r.text = v.get<std::string>();
  } else if (v.is_boolean()) {
    r.kind = RawValue::Kind::kBool;
    r.boolean = v.get<bool>();
  } else if (v.is_number()) {
    r.kind = RawValue::Kind::kNumber;
    r.integral = v.is_number_integer();
    r.text = v.dump();
  } else if (v.is_null()) {
    r.kind = RawValue::Kind::kNull;
  } else {  // callers refuse objects and arrays before they get here
    r.kind = RawValue::Kind::kString;
    r.text = v.dump();
  }
  return r;
}

namespace {

// The bytes a JSON string cannot hold as they are: control characters, '"' and '\\'.
constexpr auto kEscaped = [] {
  std::array<bool, 256> e{};
  for (int ch = 0; ch < 0x20; ++ch) e[ch] = true;
  e['"'] = e['\\'] = true;
  return e;
}();

// The first byte at or after p that kEscaped names, or end. Eight bytes at a time while none
// of them is one (most strings have none): a byte below 0x20, or equal to '"' or '\\', sets
// the high bit of its lane in one of the three masks (the bit tricks of "hasless" and
// "haszero"; a lane above a hit can be set too, which only ends the fast loop earlier).
const char* NextEscaped(const char* p, const char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  while (end - p >= 8) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    const uint64_t quote = x ^ (kOnes * '"'), backslash = x ^ (kOnes * '\\');
    const uint64_t hits = ((x - kOnes * 0x20) & ~x) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
    if (hits & kHigh) break;
    p += 8;
  }
  while (p < end && !kEscaped[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

// A small JSON text writer for the contact, the hottest serializer (every list row).
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  // ,"key": — keys are ASCII and need no escape.
  template <size_t N>
  Writer& Key(const char (&k)[N]) {  // a literal: its length is known here
    char buf[N + 3];
    char* p = buf;
    if (!first_) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, k, N - 1);
    p += N - 1;
    *p++ = '"';
    *p++ = ':';
    out_.append(buf, static_cast<size_t>(p - buf));
    first_ = false;
    return *this;
  }
  Writer& Key(std::string_view k) {
    out_ += first_ ? "\"" : ",\"";
    out_ += k;
    out_ += "\":";
    first_ = false;
    return *this;
  }
  void Str(std::string_view v) {
    out_ += '"';
    // Runs of characters that need no escape are appended whole.
    const char* run = v.data();
    const char* end = v.data() + v.size();
    for (const char* p = NextEscaped(run, end); p < end; p = NextEscaped(p + 1, end)) {
      const unsigned char ch = static_cast<unsigned char>(*p);
      out_.append(run, static_cast<size_t>(p - run));
      run = p + 1;
      switch (ch) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out_ += buf;
        }
      }
    }
    out_.append(run, static_cast<size_t>(end - run));
    out_ += '"';
  }
  void StrOrNull(std::string_view v) { v.empty() ? void(out_ += "null") : Str(v); }
  void Int(int64_t v) { out_ += std::to_string(v); }
  void Bool(bool v) { out_ += v ? "true" : "false"; }
  void Time(int64_t ms) { ms ? Str(FormatTime(ms)) : void(out_ += "null"); }
  void Raw(std::string_view v) { out_ += v; }
  void StrArray(const std::vector<std::string>& v) {
    out_ += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out_ += ',';
      Str(v[i]);
    }
    out_ += ']';
  }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

std::string ContactJsonText(const Contact& c, const std::vector<FieldDef>& fields) {
  std::string out;
  out.reserve(1024);
  out += '{';
  Writer w(out);
  w.Key("id").Int(c.id);
  w.Key("first_name").Str(c.first_name);
  w.Key("last_name").Str(c.last_name);
  w.Key("phone").Str(c.phone);
  w.Key("phone_formatted").Str(c.phone_formatted);
  w.Key("phone_type").Str(c.phone_type);
  w.Key("phone_location").Str(c.phone_location);
  w.Key("phones").Raw("[");
  for (size_t i = 0; i < c.phones.size(); ++i) {
    const auto& p = c.phones[i];
    if (i) out += ',';
    out += '{';
    Writer pw(out);
    pw.Key("label").Str(p.label);
    pw.Key("number").Str(p.number);
    pw.Key("formatted").Str(p.formatted);
    pw.Key("type").Str(p.type);
    pw.Key("location").Str(p.location);
    out += '}';
  }
  out += ']';
  w.Key("email").Str(c.email);
  w.Key("company").Str(c.company);
  w.Key("street").Str(c.street);
  w.Key("city").Str(c.city);
  w.Key("state").Str(c.state);
  w.Key("zip").Str(c.zip);
  w.Key("country").Str(c.country);
  w.Key("notes").Str(c.notes);
  w.Key("starred").Bool(c.starred);
  w.Key("department").StrOrNull(c.department);
  w.Key("tags").StrArray(c.tags);
  w.Key("groups").StrArray(c.groups);
  w.Key("custom_fields").Raw("{");
  {
    Writer fw(out);
    for (auto& [k, v] : c.custom_fields) {
      const FieldDef* def = nullptr;
      for (auto& f : fields)
        if (f.key == k) def = &f;
      fw.Key(k);  // keys match ^[a-z][a-z0-9_]*$
      if (!def) fw.Str(v);
      else if (def->type == FieldType::kInteger) fw.Int(std::strtoll(v.c_str(), nullptr, 10));
      else if (def->type == FieldType::kDecimal) fw.Raw(json(std::strtod(v.c_str(), nullptr)).dump());
      else if (def->type == FieldType::kCheckbox) fw.Bool(v == "true");
      else fw.Str(v);
    }
  }
  out += '}';
  w.Key("do_not_call").Bool(c.do_not_call);
  w.Key("consent").Raw("{");
  {
    Writer cw(out);
    cw.Key("status").Str(c.consent.status);
    cw.Key("source").Str(c.consent.source);
    cw.Key("at").Time(c.consent.at);
  }
  out += '}';
  w.Key("source").Str(c.source);
  w.Key("created_at").Str(FormatTime(c.created_at));
  w.Key("updated_at").Str(FormatTime(c.updated_at));
  w.Key("deleted_at").Time(c.deleted_at);
  w.Key("last_called_at").Time(c.last_called_at);
  w.Key("last_call_outcome").StrOrNull(c.last_call_outcome);
  w.Key("total_calls").Int(c.total_calls);
  w.Key("version").Int(c.version);
  out += '}';
  return out;
}

json ContactJson(const Contact& c, const std::vector<FieldDef>& fields) {
  return json::parse(ContactJsonText(c, fields));
}

json HistoryJson(const HistoryEntry& h) {
  json changes = json::parse(h.changes_json, nullptr, false);
  if (changes.is_discarded()) changes = json::object();
  return {{"id", h.id},
          {"at", FormatTime(h.at)},
          {"user", h.user_id ? json{{"id", h.user_id}, {"email", h.user_email}} : json(nullptr)},
          {"action", h.action},
          {"changes", changes}};
}

json TagJson(const Tag& t) {
  return {{"id", t.id}, {"label", t.label}, {"description", t.description}, {"color", t.color}, {"count", t.count}};
}

json SetJson(const NamedSet& s) { return {{"id", s.id}, {"name", s.name}, {"count", s.count}}; }

json FieldJson(const FieldDef& f) {
  const char* vis = f.visibility == Role::kAgent ? "all" : f.visibility == Role::kManager ? "manager" : "admin";
  return {{"id", f.id},           {"key", f.key},           {"label", f.label},
          {"type", FieldTypeName(f.type)}, {"options", f.options}, {"required", f.required},
          {"visibility", vis},    {"order", f.position},    {"archived", f.archived}};
}

json FilterJson(const std::string& filter_json) {
  json out = json::object();
  json pairs = json::parse(filter_json, nullptr, false);
  if (!pairs.is_array()) return out;
  for (auto& p : pairs) {
    std::string k = p[0].get<std::string>(), v = p[1].get<std::string>();
    if (!out.contains(k)) out[k] = v;
    else if (out[k].is_array()) out[k].push_back(v);
    else out[k] = json::array({out[k], v});
  }
  return out;
}

json PresetJson(const Preset& p) {
  return {{"id", p.id},          {"name", p.name},     {"filter", FilterJson(p.filter_json)},
          {"shared", p.shared},  {"user_id", p.user_id}, {"created_at", FormatTime(p.created_at)},
          {"updated_at", FormatTime(p.updated_at)}};
}

json WorkspaceJson(const Workspace& w) {
  return {{"id", w.id},
          {"name", w.name},
          {"default_country", w.default_country},
          {"contact_limit", w.contact_limit},
          {"contact_count", w.contact_count},
          {"created_at", FormatTime(w.created_at)}};
}

json MemberJson(const MemberInfo& m) {
  return {{"user", {{"id", m.user.id}, {"email", m.user.email}, {"name", m.user.name}}},
          {"role", RoleName(m.membership.role)},
          {"department", m.department.empty() ? json(nullptr) : json(m.department)}};
}

json TokenJson(const ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"user_id", t.user_id},
          {"created_at", FormatTime(t.created_at)},
          {"last_used_at", TimeOrNull(t.last_used_at)}};
}

json MeJson(const MeInfo& me) {
  json wss = json::array();
  for (auto& [w, r] : me.workspaces) wss.push_back({{"id", w.id}, {"name", w.name}, {"role", RoleName(r)}});
  return {{"user", {{"id", me.user.id}, {"email", me.user.email}, {"name", me.user.name}}},
          {"workspace", {{"id", me.workspace.id}, {"name", me.workspace.name}, {"default_country", me.workspace.default_country}}},
          {"role", RoleName(me.role)},
          {"department", me.department.empty() ? json(nullptr) : json(me.department)},
          {"csrf_token", me.csrf_token.empty() ? json(nullptr) : json(me.csrf_token)},
          {"workspaces", wss}};
}

Result<ContactInput> ContactInputFrom(const json& j, const std::string& pre) {
  if (!j.is_object()) return Fail(TypeError(pre.empty() ? "body" : pre.substr(0, pre.size() - 1), "an object", j));
  DB_TRY(OnlyKeys(j, {"first_name", "last_name", "name", "phone", "phones", "email", "company", "street", "city",
                      "state", "zip", "country", "notes", "starred", "department", "tags", "groups",
                      "custom_fields", "do_not_call", "consent", "source", "version",
                      // read-only, ignored so that a fetched contact can be sent back
                      "id", "phone_formatted", "phone_type", "phone_location", "created_at", "updated_at", "deleted_at",
                      "last_called_at", "last_call_outcome", "total_calls"},
                  pre));
  ContactInput in;
  struct S { const char* key; std::optional<std::string> ContactInput::*member; };
  for (auto s : {S{"first_name", &ContactInput::first_name}, S{"last_name", &ContactInput::last_name},
                 S{"name", &ContactInput::name}, S{"phone", &ContactInput::phone}, S{"email", &ContactInput::email},
                 S{"company", &ContactInput::company}, S{"street", &ContactInput::street},
                 S{"city", &ContactInput::city}, S{"state", &ContactInput::state}, S{"zip", &ContactInput::zip},
                 S{"country", &ContactInput::country}, S{"notes", &ContactInput::notes},
                 S{"department", &ContactInput::department}, S{"source", &ContactInput::source}}) {
    DB_ASSIGN_OR_RETURN(in.*(s.member), OptString(j, s.key, pre + s.key));
  }
  if (j.contains("phone") && j["phone"].is_null()) return Fail(FieldError(pre + "phone", "phone cannot be empty"));
  DB_ASSIGN_OR_RETURN(in.starred, OptBool(j, "starred", pre + "starred"));
  DB_ASSIGN_OR_RETURN(in.do_not_call, OptBool(j, "do_not_call", pre + "do_not_call"));
  DB_ASSIGN_OR_RETURN(in.tags, OptStrings(j, "tags", pre + "tags"));
  DB_ASSIGN_OR_RETURN(in.groups, OptStrings(j, "groups", pre + "groups"));
  DB_ASSIGN_OR_RETURN(in.version, OptInt(j, "version", pre + "version"));
  if (auto it = j.find("phones"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return Fail(TypeError(pre + "phones", "an array", *it));
    std::vector<PhoneInput> phones;
    for (size_t i = 0; i < it->size(); ++i) {
      const json& p = (*it)[i];
      std::string path = pre + "phones[" + std::to_string(i) + "]";
      if (p.is_string()) {
        phones.push_back({"", p.get<std::string>()});
        continue;
      }
      if (!p.is_object()) return Fail(TypeError(path, "an object {label, number}", p));
      DB_TRY(OnlyKeys(p, {"label", "number", "formatted", "type", "location"}, path + "."));
      DB_ASSIGN_OR_RETURN(auto label, OptString(p, "label", path + ".label"));
      DB_ASSIGN_OR_RETURN(auto number, OptString(p, "number", path + ".number"));
      if (!number || number->empty()) return Fail(FieldError(path + ".number", path + ".number is required"));
      phones.push_back({label.value_or(""), *number});
    }
    in.phones = std::move(phones);
  } else if (it != j.end()) {
    in.phones = std::vector<PhoneInput>{};
  }
  if (auto it = j.find("custom_fields"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return Fail(TypeError(pre + "custom_fields", "an object", *it));
    std::map<std::string, RawValue> cf;
    for (auto f = it->begin(); f != it->end(); ++f) {
      if (f->is_object() || f->is_array())
        return Fail(TypeError(pre + "custom_fields." + f.key(), "a string, number or boolean", *f));
      cf[f.key()] = RawFrom(*f);
    }
    in.custom_fields = std::move(cf);
  }
  if (auto it = j.find("consent"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return Fail(TypeError(pre + "consent", "an object", *it));
    DB_TRY(OnlyKeys(*it, {"status", "source", "at"}, pre + "consent."));
    ConsentInput c;
    DB_ASSIGN_OR_RETURN(c.status, OptString(*it, "status", pre + "consent.status"));
    DB_ASSIGN_OR_RETURN(c.source, OptString(*it, "source", pre + "consent.source"));
    if (it->contains("at") && !(*it)["at"].is_null()) { DB_ASSIGN_OR_RETURN(c.at, OptString(*it, "at", pre + "consent.at")); }
    in.consent = c;
  }
  return in;
}

Result<TagInput> TagInputFrom(const json& j) {
  DB_TRY(OnlyKeys(j, {"label", "description", "color", "id", "count"}, ""));
  TagInput in;
  DB_ASSIGN_OR_RETURN(in.label, OptString(j, "label", "label"));
  DB_ASSIGN_OR_RETURN(in.description, OptString(j, "description", "description"));
  DB_ASSIGN_OR_RETURN(in.color, OptString(j, "color", "color"));
  return in;
}

Result<FieldInput> FieldInputFrom(const json& j) {
  DB_TRY(OnlyKeys(j, {"key", "label", "type", "options", "required", "visibility", "order", "archived", "id"}, ""));
  FieldInput in;
  DB_ASSIGN_OR_RETURN(in.key, OptString(j, "key", "key"));
  DB_ASSIGN_OR_RETURN(in.label, OptString(j, "label", "label"));
  DB_ASSIGN_OR_RETURN(in.type, OptString(j, "type", "type"));
  DB_ASSIGN_OR_RETURN(in.visibility, OptString(j, "visibility", "visibility"));
  DB_ASSIGN_OR_RETURN(in.options, OptStrings(j, "options", "options"));
  DB_ASSIGN_OR_RETURN(in.required, OptBool(j, "required", "required"));
  DB_ASSIGN_OR_RETURN(in.archived, OptBool(j, "archived", "archived"));
  DB_ASSIGN_OR_RETURN(in.order, OptInt(j, "order", "order"));
  return in;
}

Result<Params> FilterFrom(const json& j, const std::string& path) {
  if (!j.is_object()) return Fail(TypeError(path, "an object of list parameters", j));
  Params p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string key = it.key(), at = path + "." + key;
    auto add = [&](const json& v) -> Status {
      if (v.is_string()) p.emplace_back(key, v.get<std::string>());
      else if (v.is_boolean()) p.emplace_back(key, v.get<bool>() ? "true" : "false");
      else if (v.is_number()) p.emplace_back(key, v.dump());
      else return Fail(TypeError(at, "a string, number, boolean or an array of them", v));
      return {};
    };
    if (it->is_array()) {
      for (auto& v : *it) DB_TRY(add(v));
    } else if (!it->is_null()) {
      DB_TRY(add(*it));
    }
  }
  // Report errors under the filter's path.
  auto parsed = ParseContactQuery(p, false);
  if (!parsed) {
    Error e = parsed.error();
    if (e.details.contains("field")) e.details["field"] = path + "." + e.details["field"];
    return Fail(e);
  }
  return p;
}

Result<PresetInput> PresetInputFrom(const json& j) {
  DB_TRY(OnlyKeys(j, {"name", "filter", "shared", "id", "user_id", "created_at", "updated_at"}, ""));
  PresetInput in;
  DB_ASSIGN_OR_RETURN(in.name, OptString(j, "name", "name"));
  DB_ASSIGN_OR_RETURN(in.shared, OptBool(j, "shared", "shared"));
  if (j.contains("filter") && !j["filter"].is_null()) { DB_ASSIGN_OR_RETURN(in.filter, FilterFrom(j["filter"], "filter")); }
  return in;
}

Result<WorkspaceInput> WorkspaceInputFrom(const json& j) {
  DB_TRY(OnlyKeys(j, {"name", "default_country", "contact_limit", "id", "contact_count", "created_at"}, ""));
  WorkspaceInput in;
  DB_ASSIGN_OR_RETURN(in.name, OptString(j, "name", "name"));
  DB_ASSIGN_OR_RETURN(in.default_country, OptString(j, "default_country", "default_country"));
  if (j.contains("contact_limit") && j["contact_limit"].is_null()) in.contact_limit = 0;
  else { DB_ASSIGN_OR_RETURN(in.contact_limit, OptInt(j, "contact_limit", "contact_limit")); }
  return in;
}

Result<MemberInput> MemberInputFrom(const json& j) {
  DB_TRY(OnlyKeys(j, {"email", "name", "password", "role", "department"}, ""));
  MemberInput in;
  DB_ASSIGN_OR_RETURN(in.email, OptString(j, "email", "email"));
  DB_ASSIGN_OR_RETURN(in.name, OptString(j, "name", "name"));
  DB_ASSIGN_OR_RETURN(in.password, OptString(j, "password", "password"));
  DB_ASSIGN_OR_RETURN(in.role, OptString(j, "role", "role"));
  DB_ASSIGN_OR_RETURN(in.department, OptString(j, "department", "department"));
  return in;
}

Result<ActionRequest> ActionFrom(const json& j) {
  DB_TRY(OnlyKeys(j, {"action", "ids", "filter", "tags", "group", "field", "value"}, ""));
  ActionRequest r;
  DB_ASSIGN_OR_RETURN(r.action, GetString(j, "action", true));
  if (auto it = j.find("ids"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return Fail(TypeError("ids", "an array of contact ids", *it));
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_number_integer())
        return Fail(TypeError("ids[" + std::to_string(i) + "]", "an integer", (*it)[i]));
      r.ids.push_back((*it)[i].get<int64_t>());
    }
  }
  if (j.contains("filter") && !j["filter"].is_null()) { DB_ASSIGN_OR_RETURN(r.filter, FilterFrom(j["filter"], "filter")); }
  DB_ASSIGN_OR_RETURN(auto tags, OptStrings(j, "tags", "tags"));
  r.tags = tags.value_or(std::vector<std::string>{});
  DB_ASSIGN_OR_RETURN(r.group, GetString(j, "group", false));
  DB_ASSIGN_OR_RETURN(r.field, GetString(j, "field", false));
  if (j.contains("value")) {
    if (j["value"].is_object() || j["value"].is_array())
      return Fail(TypeError("value", "a string, number, boolean or null", j["value"]));
    r.value = RawFrom(j["value"]);
  }
  return r;
}

}  // namespace dialbook::http
