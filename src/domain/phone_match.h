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
// Parsing and the international format of the plain shapes most numbers arrive in are done
// the same way (see Parse and FormatInternational): libphonenumber's own steps, on its own
// metadata, with RE2; anything else is left to libphonenumber.
//
// Private to domain/ (phone.cc). Thread-safe: the tables are built once, on first use, and
// only read afterwards.
#pragma once

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <string>
#include <string_view>

namespace dialbook::phone_match {

// nsn: the number's national significant number (PhoneNumberUtil::GetNationalSignificantNumber).
// Sets *region ("ZZ" when no region fits, "001" for non-geographic numbers) and *type.
// Returns false when the tables could not be built (a pattern RE2 does not accept): the
// caller then asks libphonenumber itself.
bool RegionAndType(const i18n::phonenumbers::PhoneNumber& number, const std::string& nsn, std::string* region,
                   i18n::phonenumbers::PhoneNumberUtil::PhoneNumberType* type);

// PhoneNumberUtil::IsPossibleNumberWithReason(number); nsn as above. (libphonenumber builds
// the list of every region of the calling code for each number it asks this of: 25 strings
// for +1.) Returns false when the tables could not be built: the caller then asks
// libphonenumber.
bool IsPossible(const i18n::phonenumbers::PhoneNumber& number, const std::string& nsn,
                i18n::phonenumbers::PhoneNumberUtil::ValidationResult* result);

// PhoneNumberUtil::Parse(text, default_region, number) for text made only of ASCII digits,
// spaces, '-', '.', '(' and ')' with an optional leading '+' (after trimming), when the
// steps the number takes have no region-specific transformation rule. Returns false when it
// does not answer (another shape, an unusual rule, or a number libphonenumber would refuse):
// the caller then asks libphonenumber. When it answers, *number is what Parse would give.
bool Parse(std::string_view text, const std::string& default_region, i18n::phonenumbers::PhoneNumber* number);

// PhoneNumberUtil::Format(number, INTERNATIONAL) for a number without an extension or raw
// input; nsn is its national significant number. False when not answered (the caller asks
// libphonenumber).
bool FormatInternational(const i18n::phonenumbers::PhoneNumber& number, const std::string& nsn, std::string* out);

}  // namespace dialbook::phone_match
