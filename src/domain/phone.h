// Phone numbers: every phone decision goes through here (libphonenumber + its offline
// geocoder). Parse() turns any common national or international format into E.164, or
// gives the reason it cannot. Thread-safe: the underlying singletons are built once.
#pragma once
#include <string>
#include <string_view>

namespace dialbook {

struct PhoneInfo {
  bool ok = false;
  std::string e164;        // +14155552671
  std::string international;  // +1 415-555-2671, for display
  std::string type;        // mobile, fixed_line, fixed_line_or_mobile, toll_free, voip …
  std::string location;    // "San Francisco, CA" / "Germany" (English)
  std::string region;      // ISO 3166 alpha-2 of the number (US)
  std::string extension;   // digits after "ext." if any
  // When !ok: too_short, too_long, invalid_country_code, not_a_number, invalid_number,
  // fake_number, empty.
  std::string reason;
  std::string message;     // human sentence explaining the reason
};

// default_region: ISO alpha-2 (e.g. "US") used for numbers written without "+".
// with_location: the geocoder lookup costs a few µs; bulk paths may skip it.
PhoneInfo ParsePhone(std::string_view input, std::string_view default_region,
                     bool with_location = true);

// True when the code names a region libphonenumber knows (US, GB, DE …).
bool IsSupportedRegion(std::string_view region);

}  // namespace dialbook
