// The region and type of a parsed phone number, decided exactly as libphonenumber's
// GetRegionCodeForNumber and GetNumberType decide them, from libphonenumber's own metadata,
// but matched with RE2 instead of the library's ICU regular expressions.
//
// Why: those two questions are most of libphonenumber's cost per number (about 12 of 28 µs
// here), because each asks up to a dozen ICU patterns, each looked up by hashing the whole
// pattern text under one process-wide lock and matched through a freshly allocated ICU
// matcher; an import asks them for every row on every core. RE2 matches the same patterns
// without a lock or an allocation. tests/unit/domain/phone_match_test.cc checks that the
// answers are libphonenumber's for every region's example numbers of every type and
// thousands of numbers around them.
//
// Private to domain/ (phone.cc). Thread-safe: the tables are built once, on first use, and
// only read afterwards.
#pragma once

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <string>

namespace dialbook::phone_match {

// nsn: the number's national significant number (PhoneNumberUtil::GetNationalSignificantNumber).
// Sets *region ("ZZ" when no region fits, "001" for non-geographic numbers) and *type.
// Returns false when the tables could not be built (a pattern RE2 does not accept): the
// caller then asks libphonenumber itself.
bool RegionAndType(const i18n::phonenumbers::PhoneNumber& number, const std::string& nsn, std::string* region,
                   i18n::phonenumbers::PhoneNumberUtil::PhoneNumberType* type);

}  // namespace dialbook::phone_match
