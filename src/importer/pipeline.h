// Turning one row of an import into a contact (SPEC S6.4–S6.5): the columns' targets, the
// clean-up rules (phones to E.164 in the row's or the import's country, emails and typed
// custom fields validated, consent read) and the row's status and reason. Pure and
// thread-safe: the job prepares rows on several threads; duplicates (in the file and in the
// workspace) are decided afterwards, in file order, by service/imports.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/model.h"

namespace dialbook::importer {

// The standard targets a column can have.
bool IsStandardTarget(const std::string& field);
const std::vector<std::string>& StandardTargets();

struct ColumnTarget {
  std::string field;      // standard target, or "" with custom set
  const FieldDef* custom = nullptr;  // cf.KEY (points into RowPlan::fields)
};

struct RowPlan {
  std::vector<FieldDef> fields;            // the workspace's custom fields (incl. new ones)
  std::vector<ColumnTarget> columns;       // one per file column ("" = ignored)
  int consent_column = -1;
  std::string default_region = "US";
  std::vector<std::string> header;
};

enum class RowStatus : uint8_t { kReady, kWillUpdate, kNeedsAttention, kIncomplete, kSkip };
const char* RowStatusName(RowStatus s);

// Bits of the standard values a row gives (for "update only empty fields").
enum FieldBit : uint32_t {
  kFirstName = 1, kLastName = 2, kEmail = 4, kCompany = 8, kStreet = 16, kCity = 32, kState = 64, kZip = 128,
  kCountry = 256, kNotes = 512, kDepartment = 1024, kDoNotCall = 2048, kPhones = 4096,
};

struct PreparedRow {
  int64_t row_number = 0;
  RowStatus status = RowStatus::kReady;
  std::string reason;   // missing_phone, invalid_phone, fake_number, invalid_email, invalid_field, no_consent …
  std::string message;  // what and where, for people
  Contact contact;      // phone in E.164; tags, groups, custom fields from the row
  uint32_t given = 0;   // FieldBit of the standard values present
};

PreparedRow PrepareRow(const RowPlan& plan, const std::vector<std::string>& cells, int64_t row_number);

// Consent cell: 1 consenting (yes, true, 1, y, consent, opted-in …), 0 not.
bool ConsentYes(const std::string& cell);
// Do-not-call cell: yes/true/1/x …
bool Truthy(const std::string& cell);

}  // namespace dialbook::importer
