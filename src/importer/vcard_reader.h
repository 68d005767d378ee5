// vCard 2.1 / 3.0 / 4.0 reader for imports (SPEC S6.1). Each card becomes one row of a
// table whose columns are named like a spreadsheet export ("First Name", "Phone 1" …), so
// the mapping suggestions and the import pipeline treat it like any other file.
// Understands line folding, escaped characters, parameters (TYPE=cell, PREF), grouped
// properties (item1.TEL), QUOTED-PRINTABLE and CHARSET of vCard 2.1, and several TEL /
// EMAIL per card. Pure and thread-safe.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dialbook::importer {

struct VcardTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> line_of_row;  // the line where each card begins (for errors)
};

// Refuses text with no card, or a card that is never closed, naming the line.
Result<VcardTable> ReadVcards(std::string_view text);

}  // namespace dialbook::importer
