// Custom field values: validation by type and canonical text form.
#include <charconv>
#include <cmath>

#include "core/text.h"
#include "core/time.h"
#include "service/service.h"

namespace dialbook {

Result<std::string> CanonicalFieldValue(const FieldDef& def, const RawValue& v, const std::string& path) {
  using K = RawValue::Kind;
  auto bad = [&](const std::string& what) {
    return Fail(FieldError(path, "'" + def.label + "' " + what));
  };
  std::string text = v.kind == K::kString ? Trim(v.text) : v.text;
  switch (def.type) {
    case FieldType::kText:
    case FieldType::kLongText: {
      if (v.kind != K::kString) return bad("must be text (a JSON string)");
      size_t max = def.type == FieldType::kText ? 1000 : 20000;
      if (text.size() > max) return bad("is too long (" + std::to_string(max) + " characters at most)");
      if (!IsValidUtf8(text)) return bad("is not valid UTF-8 text");
      return text;
    }
    case FieldType::kInteger: {
      if (v.kind == K::kBool || v.kind == K::kNull) return bad("must be a whole number");
      if (v.kind == K::kNumber && !v.integral) return bad("must be a whole number");
      int64_t n = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return bad("must be a whole number");
      return std::to_string(n);
    }
    case FieldType::kDecimal: {
      if (v.kind == K::kBool || v.kind == K::kNull) return bad("must be a number");
      double d = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(d))
        return bad("must be a number");
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.15g", d);
      return std::string(buf);
    }
    case FieldType::kDate:
      if (v.kind != K::kString || !IsValidDate(text)) return bad("must be a date written YYYY-MM-DD");
      return text;
    case FieldType::kDropdown:
      if (v.kind != K::kString) return bad("must be one of its options");
      for (auto& o : def.options)
        if (FoldForSearch(o) == FoldForSearch(text)) return o;
      return bad("must be one of: " + [&] {
        std::string s;
        for (auto& o : def.options) s += (s.empty() ? "" : ", ") + o;
        return s;
      }());
    case FieldType::kCheckbox:
      if (v.kind == K::kBool) return std::string(v.boolean ? "true" : "false");
      if (v.kind == K::kString) {
        std::string l = ToLowerAscii(text);
        if (l == "true" || l == "yes" || l == "1") return std::string("true");
        if (l == "false" || l == "no" || l == "0") return std::string("false");
      }
      return bad("must be true or false");
  }
  return bad("has an unknown type");
}

}  // namespace dialbook
