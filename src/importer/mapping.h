// Column → field suggestions for an import (SPEC S6.4): from the header (common synonyms in
// several languages, Google Contacts and Outlook export headers) and, when the header says
// nothing, from the data (a column of phone numbers is found whatever its header; email,
// consent and date columns too). Pure and thread-safe.
#pragma once
#include <string>
#include <vector>

namespace dialbook::importer {

// Standard targets: first_name, last_name, name (split on import), phone, phones (an extra
// phone), email, company, street, city, state, zip, country, notes, tags, groups,
// department, consent, do_not_call; "" = no suggestion (ignore or new custom field).
struct ColumnSuggestion {
  std::string field;
  std::string reason;  // "header" or "data: 97% valid phone numbers" …
  double phone_share = 0;  // share of non-empty sample cells that are valid phones
  double filled_share = 0;  // share of sample rows with a value
};

// header: the header row; samples: the first data rows (as many as available);
// default_region: to judge phone numbers written without "+".
std::vector<ColumnSuggestion> SuggestMapping(const std::vector<std::string>& header,
                                             const std::vector<std::vector<std::string>>& samples,
                                             const std::string& default_region);

// The field a header names, or "" (exposed for tests and for saved mappings).
std::string FieldForHeader(const std::string& header);

}  // namespace dialbook::importer
