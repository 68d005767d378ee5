// JSON ⇄ domain types for the REST API. Private to http/. Parsing functions refuse
// unknown fields and wrong types with an Error naming the field.
#pragma once
#include <nlohmann/json.hpp>

#include "service/service.h"

namespace dialbook::http {

using json = nlohmann::ordered_json;

Result<json> ParseBody(const std::string& body);  // must be a JSON object

// The contact as JSON text (written directly: it is on every list row) and as a value.
std::string ContactJsonText(const Contact& c, const std::vector<FieldDef>& fields);
json ContactJson(const Contact& c, const std::vector<FieldDef>& fields);
json HistoryJson(const HistoryEntry& h);
json TagJson(const Tag& t);
json SetJson(const NamedSet& s);
json FieldJson(const FieldDef& f);
json PresetJson(const Preset& p);
json WorkspaceJson(const Workspace& w);
json MemberJson(const MemberInfo& m);
json TokenJson(const ApiToken& t);
json MeJson(const MeInfo& me);

Result<ContactInput> ContactInputFrom(const json& j, const std::string& prefix);
Result<TagInput> TagInputFrom(const json& j);
Result<FieldInput> FieldInputFrom(const json& j);
Result<PresetInput> PresetInputFrom(const json& j);
Result<WorkspaceInput> WorkspaceInputFrom(const json& j);
Result<MemberInput> MemberInputFrom(const json& j);
Result<ActionRequest> ActionFrom(const json& j);
RawValue RawFrom(const json& v);
// A filter object {"q":"…","tag":["a","b"],…} → list parameters.
Result<Params> FilterFrom(const json& j, const std::string& path);
json FilterJson(const std::string& filter_json);

// Field accessors that name the field in their error.
Result<std::string> GetString(const json& j, const char* key, bool required);
Result<std::optional<std::string>> OptString(const json& j, const std::string& key, const std::string& path);
Status OnlyKeys(const json& j, std::initializer_list<const char*> keys, const std::string& prefix);

}  // namespace dialbook::http
