// The domain model: plain value types shared by service/, store/, http/ and cli/.
// No behaviour beyond small helpers; rules live in service/. Thread-compatible values.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dialbook {

enum class Role { kAgent = 0, kManager = 1, kAdmin = 2 };
const char* RoleName(Role r);
std::optional<Role> ParseRole(std::string_view s);

struct Workspace {
  int64_t id = 0;
  std::string name;
  std::string default_country = "US";
  int64_t contact_limit = 0;  // 0 = unlimited
  int64_t contact_count = 0;  // live contacts, maintained by the store
  int64_t created_at = 0;
};

struct User {
  int64_t id = 0;
  std::string email;
  std::string name;
  std::string password_hash;
  int64_t created_at = 0;
};

struct Membership {
  int64_t workspace_id = 0;
  int64_t user_id = 0;
  Role role = Role::kAgent;
  std::optional<int64_t> department_id;
  int64_t created_at = 0;
};

struct Session {
  std::string token_hash;  // hex of the BLAKE2b hash of the cookie value
  int64_t user_id = 0;
  int64_t workspace_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

struct ApiToken {
  int64_t id = 0;
  int64_t workspace_id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string token_hash;
  int64_t created_at = 0;
  int64_t last_used_at = 0;
  int64_t revoked_at = 0;
};

struct ExtraPhone {
  std::string label;
  std::string number;     // E.164
  std::string formatted;  // international format for display
  std::string type, location;
};

struct Consent {
  std::string status = "unknown";  // unknown, granted, revoked
  std::string source;
  int64_t at = 0;
};

struct Contact {
  int64_t id = 0;
  int64_t workspace_id = 0;
  std::string first_name, last_name;
  std::string phone;  // E.164, the identity
  std::string phone_formatted, phone_type, phone_location;
  std::vector<ExtraPhone> phones;
  std::string email, company, street, city, state, zip, country, notes;
  bool starred = false;
  bool do_not_call = false;
  std::string department;  // name; empty = none
  std::vector<std::string> tags;    // labels
  std::vector<std::string> groups;  // names
  std::map<std::string, std::string> custom_fields;  // key → canonical text value
  Consent consent;
  std::string source = "manual";
  int64_t created_at = 0, updated_at = 0, deleted_at = 0;
  int64_t last_called_at = 0;
  std::string last_call_outcome;
  int64_t total_calls = 0;
  int64_t version = 1;
};

struct HistoryEntry {
  int64_t id = 0;
  int64_t contact_id = 0;
  int64_t at = 0;
  int64_t user_id = 0;  // 0 = system
  std::string user_email;
  std::string action;        // created, updated, trashed, restored, tagged …
  std::string changes_json;  // {"field":{"from":…,"to":…}}
};

struct Tag {
  int64_t id = 0;
  std::string label, description, color;
  int64_t count = 0;
};

// Groups and departments share one shape.
enum class SetKind { kGroup, kDepartment };
struct NamedSet {
  int64_t id = 0;
  std::string name;
  int64_t count = 0;
};

enum class FieldType { kText, kLongText, kInteger, kDecimal, kDate, kDropdown, kCheckbox };
const char* FieldTypeName(FieldType t);
std::optional<FieldType> ParseFieldType(std::string_view s);

struct FieldDef {
  int64_t id = 0;
  std::string key, label;
  FieldType type = FieldType::kText;
  std::vector<std::string> options;
  bool required = false;
  Role visibility = Role::kAgent;  // the least role that sees it (agent = all)
  int64_t position = 0;
  bool archived = false;
};

struct Preset {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string filter_json;
  bool shared = false;
  int64_t created_at = 0, updated_at = 0;
};


// An import job (SPEC S6). The store keeps it; service/ runs it. JSON blobs hold what only
// the service reads (the file's columns, the mapping, the summary), so adding an option
// never needs a migration.
struct ImportRecord {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string user_email;    // filled in by the store on reads
  std::string status = "draft";  // draft, running, completed, failed, undone
  std::string file_name, format, file_path;
  std::string meta_json = "{}";  // encoding, delimiter, header, columns with suggestions
  std::string mapping_json;      // the mapping and options, "" while unset
  int64_t rows_total = 0;
  int64_t rows_done = 0;      // rows handled by committed batches
  int64_t last_row = 0;       // file row number of the last row of the last committed batch
  int64_t errors_bytes = 0;   // committed length of the error file
  std::string summary_json;   // counters so far (complete once finished)
  std::string consent_by;     // who attested consent
  int64_t consent_at = 0;
  int64_t list_id = 0;        // the dial list it fills, 0 = none
  std::string error;          // why it failed
  std::string undo_json;      // what the undo did
  int64_t created_at = 0, started_at = 0, finished_at = 0, updated_at = 0;
};

struct SavedMapping {
  int64_t id = 0;
  std::string name;
  std::string columns_json;  // [{"header","field"}]
  int64_t created_at = 0;
};

struct DialList {
  int64_t id = 0;
  std::string name;
  std::string dial_mode = "manual";  // ai, manual
  int64_t import_id = 0;
  int64_t members = 0;
  int64_t created_at = 0;
};

struct DialListMember {
  int64_t contact_id = 0;
  std::string phone;
  std::string state;  // pending, called …
  std::string name;
  int64_t position = 0;
};

}  // namespace dialbook
