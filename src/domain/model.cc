#include "domain/model.h"

namespace dialbook {

const char* RoleName(Role r) {
  switch (r) {
    case Role::kAdmin: return "admin";
    case Role::kManager: return "manager";
    case Role::kAgent: return "agent";
  }
  return "agent";
}

std::optional<Role> ParseRole(std::string_view s) {
  if (s == "admin") return Role::kAdmin;
  if (s == "manager") return Role::kManager;
  if (s == "agent") return Role::kAgent;
  return std::nullopt;
}

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kText: return "text";
    case FieldType::kLongText: return "long_text";
    case FieldType::kInteger: return "integer";
    case FieldType::kDecimal: return "decimal";
    case FieldType::kDate: return "date";
    case FieldType::kDropdown: return "dropdown";
    case FieldType::kCheckbox: return "checkbox";
  }
  return "text";
}

std::optional<FieldType> ParseFieldType(std::string_view s) {
  for (auto t : {FieldType::kText, FieldType::kLongText, FieldType::kInteger, FieldType::kDecimal,
                 FieldType::kDate, FieldType::kDropdown, FieldType::kCheckbox})
    if (s == FieldTypeName(t)) return t;
  return std::nullopt;
}

}  // namespace dialbook
