// Schema migrations of the SQLite backend (see schema.cc).
#pragma once
#include "store/sqlite/db.h"

namespace dialbook::sqlite {
void Migrate(Conn& conn);  // throws SqliteError
}
