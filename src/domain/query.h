// The contact query model: what to match (ContactFilter), in which order, which page.
// ParseContactQuery reads the list parameters of GET /api/v1/contacts (also used by the
// CLI, presets and bulk actions) and names the offending parameter on error. Pure.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "domain/model.h"

namespace dialbook {

enum class TagMode { kAny, kAll, kNone };
enum class CfOp { kEquals, kContains, kGte, kLte, kEmpty, kNotEmpty };

struct CfCondition {
  std::string key;
  CfOp op = CfOp::kEquals;
  std::string value;  // canonical (validated against the field type by the service)
  FieldType type = FieldType::kText;  // filled in by the service
  int64_t field_id = 0;               // filled in by the service
  std::string param;                  // the parameter it came from, for errors
};

struct ContactFilter {
  std::string q;
  std::vector<std::string> tags;
  TagMode tag_mode = TagMode::kAny;
  std::vector<std::string> groups;
  std::optional<int64_t> created_after, created_before;
  std::optional<int64_t> last_called_after, last_called_before;
  std::optional<bool> never_called, starred, dnc;
  std::string consent, source, department;
  std::vector<CfCondition> cf;
  bool trash = false;
  // Set by the service, never by a caller: restricts to one department (role scoping).
  std::optional<int64_t> scope_department_id;
  bool empty_scope = false;  // the caller's department has no contacts visible at all

  bool IsUnfiltered() const;
};

enum class SortKey { kName, kCreatedAt, kLastCalledAt };

struct ContactQuery {
  ContactFilter filter;
  SortKey sort = SortKey::kCreatedAt;
  bool descending = true;
  int limit = 50;
  std::string cursor;
};

using Params = std::vector<std::pair<std::string, std::string>>;

// allow_paging=false for filters of presets and actions (no sort/limit/cursor).
Result<ContactQuery> ParseContactQuery(const Params& params, bool allow_paging = true);

// Parameters back from a filter (for presets), the inverse of ParseContactQuery.
Params FilterToParams(const ContactFilter& f);

// The digits of a quick search written like a phone number: only digits and phone
// punctuation (space + - ( ) .); nullopt for any other text.
std::optional<std::string> PhoneQueryDigits(std::string_view q);

struct ContactPage {
  std::vector<Contact> items;
  std::string next_cursor;  // empty = last page
  int64_t total = 0;
};

// Splits a single "name" into first and last ("Mary Ann Smith" → "Mary Ann", "Smith";
// "Smith, John" → "John", "Smith").
std::pair<std::string, std::string> SplitName(std::string_view name);

bool IsValidEmail(std::string_view email);

}  // namespace dialbook
