#include <gtest/gtest.h>

#include "service/service.h"

namespace dialbook {
namespace {

RawValue Str(std::string s) { return RawValue{RawValue::Kind::kString, std::move(s), false, false}; }
RawValue Num(std::string s, bool integral) { return RawValue{RawValue::Kind::kNumber, std::move(s), false, integral}; }
RawValue Bool(bool b) { return RawValue{RawValue::Kind::kBool, "", b, false}; }

FieldDef Def(FieldType t, std::vector<std::string> options = {}) {
  FieldDef f;
  f.key = "k";
  f.label = "K";
  f.type = t;
  f.options = std::move(options);
  return f;
}

TEST(FieldValues, CanonicalForms) {
  EXPECT_EQ(*CanonicalFieldValue(Def(FieldType::kInteger), Num("42", true), "p"), "42");
  EXPECT_EQ(*CanonicalFieldValue(Def(FieldType::kInteger), Str(" 7 "), "p"), "7");
  EXPECT_EQ(*CanonicalFieldValue(Def(FieldType::kDecimal), Num("2.50", false), "p"), "2.5");
  EXPECT_EQ(*CanonicalFieldValue(Def(FieldType::kDate), Str("2026-01-31"), "p"), "2026-01-31");
  EXPECT_EQ(*CanonicalFieldValue(Def(FieldType::kDropdown, {"Gold", "Silver"}), Str("gold"), "p"), "Gold");
  EXPECT_EQ(*CanonicalFieldValue(Def(FieldType::kCheckbox), Bool(true), "p"), "true");
  EXPECT_EQ(*CanonicalFieldValue(Def(FieldType::kCheckbox), Str("No"), "p"), "false");
  EXPECT_EQ(*CanonicalFieldValue(Def(FieldType::kText), Str("  hi "), "p"), "hi");
}

TEST(FieldValues, RefusalsNameThePath) {
  struct Case { FieldDef def; RawValue v; };
  for (auto& c : {Case{Def(FieldType::kInteger), Num("1.5", false)}, Case{Def(FieldType::kInteger), Str("ten")},
                  Case{Def(FieldType::kDecimal), Str("1,5")}, Case{Def(FieldType::kDate), Str("31/01/2026")},
                  Case{Def(FieldType::kDate), Str("2026-02-30")}, Case{Def(FieldType::kDropdown, {"A"}), Str("B")},
                  Case{Def(FieldType::kCheckbox), Str("maybe")}, Case{Def(FieldType::kText), Str(std::string(1001, 'x'))},
                  Case{Def(FieldType::kText), Bool(true)}}) {
    auto r = CanonicalFieldValue(c.def, c.v, "custom_fields.k");
    ASSERT_FALSE(r) << FieldTypeName(c.def.type) << " " << c.v.text;
    EXPECT_EQ(r.error().details.at("field"), "custom_fields.k");
  }
}

}  // namespace
}  // namespace dialbook
