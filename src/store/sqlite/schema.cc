// Versioned migrations for the SQLite backend, applied in order on open
// (PRAGMA user_version holds the last applied one). Never edit a released migration;
// add a new one.
//
// Keys: every tenant table leads its primary and unique keys with workspace_id. Tables
// whose rows need a stable integer id (contacts, tags …) keep SQLite's rowid as physical
// key (it is also the FTS5 rowid) and carry a UNIQUE (workspace_id, id) logical key; the
// PostgreSQL schema declares PRIMARY KEY (workspace_id, id) instead. Ids are AUTOINCREMENT:
// an id is never handed out twice, even after a permanent delete.
#include "store/sqlite/schema.h"

#include "store/sqlite/internal.h"

#include <vector>

namespace dialbook::sqlite {
namespace {

struct Migration {
  const char* sql;
  void (*then)(Conn&) = nullptr;  // data work in C++ after the SQL, same transaction
};

const std::vector<Migration> kMigrations = {
    // 1: the foundation.
    {R"sql(
CREATE TABLE workspaces (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,  -- not unique: a taken name must not reveal another tenant
  default_country TEXT NOT NULL DEFAULT 'US',
  contact_limit INTEGER NOT NULL DEFAULT 0,
  contact_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX workspaces_by_name ON workspaces (name_key);
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE memberships (
  workspace_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  role TEXT NOT NULL,
  department_id INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL,
  workspace_id INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (workspace_id, id)
);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL,
  phone_formatted TEXT NOT NULL DEFAULT '',
  phone_type TEXT NOT NULL DEFAULT '',
  phone_location TEXT NOT NULL DEFAULT '',
  phones_json TEXT NOT NULL DEFAULT '[]',
  email TEXT NOT NULL DEFAULT '',
  company TEXT NOT NULL DEFAULT '',
  street TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  zip TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  starred INTEGER NOT NULL DEFAULT 0,
  do_not_call INTEGER NOT NULL DEFAULT 0,
  department_id INTEGER,
  consent_status TEXT NOT NULL DEFAULT 'unknown',
  consent_source TEXT NOT NULL DEFAULT '',
  consent_at INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT 'manual',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  last_called_at INTEGER NOT NULL DEFAULT 0,
  last_call_outcome TEXT NOT NULL DEFAULT '',
  total_calls INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  sort_name TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX contacts_key ON contacts (workspace_id, id);
CREATE UNIQUE INDEX contacts_live_phone ON contacts (workspace_id, phone) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live ON contacts (workspace_id, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_name ON contacts (workspace_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_created ON contacts (workspace_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_called ON contacts (workspace_id, last_called_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_trash ON contacts (workspace_id, deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX contacts_by_department ON contacts (workspace_id, department_id) WHERE department_id IS NOT NULL;
-- One row per live contact (rowid = contact id). Every token starts with its workspace
-- in 6 base-36 characters ("00000c" + word), so a search never leaves its workspace and
-- never intersects a workspace-wide list. Words are cut by SearchWords (Unicode letters
-- and digits) and joined by spaces; the 'ascii' tokenizer splits only on ASCII
-- separators, so no word is ever split again without its prefix. Prefix indexes of 7–10
-- characters answer 1–4 letter searches from one doclist; detail=none because only
-- (prefix) terms are asked.
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  body, tokenize = 'ascii', detail = none, prefix = '7 8 9 10'
);
CREATE TABLE tags (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  label TEXT NOT NULL,
  label_key TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  color TEXT NOT NULL DEFAULT '',
  live_count INTEGER NOT NULL DEFAULT 0,  -- live contacts with the tag (triggers below)
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, label_key),
  UNIQUE (workspace_id, id)
);
CREATE TABLE contact_tags (
  workspace_id INTEGER NOT NULL,
  tag_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  live INTEGER NOT NULL DEFAULT 1,  -- 0 while the contact is in the trash (counts read only this table)
  PRIMARY KEY (workspace_id, tag_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_by_contact ON contact_tags (workspace_id, contact_id);
CREATE TRIGGER contact_tags_ins AFTER INSERT ON contact_tags BEGIN
  UPDATE tags SET live_count = live_count + NEW.live WHERE workspace_id = NEW.workspace_id AND id = NEW.tag_id;
END;
CREATE TRIGGER contact_tags_del AFTER DELETE ON contact_tags BEGIN
  UPDATE tags SET live_count = live_count - OLD.live WHERE workspace_id = OLD.workspace_id AND id = OLD.tag_id;
END;
CREATE TRIGGER contact_tags_upd AFTER UPDATE OF live ON contact_tags WHEN NEW.live <> OLD.live BEGIN
  UPDATE tags SET live_count = live_count + NEW.live - OLD.live WHERE workspace_id = NEW.workspace_id AND id = NEW.tag_id;
END;
CREATE TABLE groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  live_count INTEGER NOT NULL DEFAULT 0,  -- live contacts in the group (triggers below)
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name_key),
  UNIQUE (workspace_id, id)
);
CREATE TABLE contact_groups (
  workspace_id INTEGER NOT NULL,
  group_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  live INTEGER NOT NULL DEFAULT 1,  -- 0 while the contact is in the trash
  PRIMARY KEY (workspace_id, group_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_groups_by_contact ON contact_groups (workspace_id, contact_id);
CREATE TRIGGER contact_groups_ins AFTER INSERT ON contact_groups BEGIN
  UPDATE groups SET live_count = live_count + NEW.live WHERE workspace_id = NEW.workspace_id AND id = NEW.group_id;
END;
CREATE TRIGGER contact_groups_del AFTER DELETE ON contact_groups BEGIN
  UPDATE groups SET live_count = live_count - OLD.live WHERE workspace_id = OLD.workspace_id AND id = OLD.group_id;
END;
CREATE TRIGGER contact_groups_upd AFTER UPDATE OF live ON contact_groups WHEN NEW.live <> OLD.live BEGIN
  UPDATE groups SET live_count = live_count + NEW.live - OLD.live WHERE workspace_id = NEW.workspace_id AND id = NEW.group_id;
END;
CREATE TABLE departments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name_key),
  UNIQUE (workspace_id, id)
);
CREATE TABLE fields (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL,
  options_json TEXT NOT NULL DEFAULT '[]',
  required INTEGER NOT NULL DEFAULT 0,
  visibility TEXT NOT NULL DEFAULT 'agent',
  position INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, key),
  UNIQUE (workspace_id, id)
);
CREATE TABLE field_values (
  workspace_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  field_id INTEGER NOT NULL,
  text_value TEXT NOT NULL,
  num_value REAL,
  PRIMARY KEY (workspace_id, contact_id, field_id)
) WITHOUT ROWID;
CREATE INDEX field_values_by_text ON field_values (workspace_id, field_id, text_value);
CREATE INDEX field_values_by_num ON field_values (workspace_id, field_id, num_value);
CREATE TABLE history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  user_id INTEGER NOT NULL DEFAULT 0,
  action TEXT NOT NULL,
  changes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX history_by_contact ON history (workspace_id, contact_id, id);
CREATE TABLE presets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  filter_json TEXT NOT NULL,
  shared INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, id)
);
)sql"},
    // 2: imports (SPEC S6) and dial lists (S10). A phone stays unique among live contacts
    // for every path except an import told to "always create" (S6.8), so the index that
    // finds a phone's owner is no longer UNIQUE; the guard is in the write transactions.
    {R"sql(
DROP INDEX contacts_live_phone;
CREATE INDEX contacts_live_phone ON contacts (workspace_id, phone) WHERE deleted_at IS NULL;
ALTER TABLE contacts ADD COLUMN import_id INTEGER;
CREATE INDEX contacts_by_import ON contacts (workspace_id, import_id) WHERE import_id IS NOT NULL;
CREATE TABLE imports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  file_path TEXT NOT NULL,
  meta_json TEXT NOT NULL DEFAULT '{}',
  mapping_json TEXT NOT NULL DEFAULT '',
  rows_total INTEGER NOT NULL DEFAULT 0,
  rows_done INTEGER NOT NULL DEFAULT 0,
  last_row INTEGER NOT NULL DEFAULT 0,
  errors_bytes INTEGER NOT NULL DEFAULT 0,
  summary_json TEXT NOT NULL DEFAULT '',
  consent_by TEXT NOT NULL DEFAULT '',
  consent_at INTEGER NOT NULL DEFAULT 0,
  list_id INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  undo_json TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  started_at INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (workspace_id, id)
);
CREATE INDEX imports_running ON imports (status) WHERE status = 'running';
-- The state of each contact an import updated, from before the import (for undo).
CREATE TABLE import_changes (
  workspace_id INTEGER NOT NULL,
  import_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  version_after INTEGER NOT NULL,
  before_json TEXT NOT NULL,
  PRIMARY KEY (workspace_id, import_id, contact_id)
) WITHOUT ROWID;
CREATE TABLE import_mappings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  columns_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name_key),
  UNIQUE (workspace_id, id)
);
CREATE TABLE dial_lists (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  dial_mode TEXT NOT NULL,
  import_id INTEGER NOT NULL DEFAULT 0,
  member_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, id)
);
CREATE TABLE dial_list_members (
  workspace_id INTEGER NOT NULL,
  list_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  phone TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  PRIMARY KEY (workspace_id, list_id, position)
) WITHOUT ROWID;
CREATE UNIQUE INDEX dial_list_members_phone ON dial_list_members (workspace_id, list_id, phone);
CREATE INDEX dial_list_members_by_contact ON dial_list_members (workspace_id, contact_id);
)sql"},
    // 3: phone digits move to their own search table, indexed by runs of 4 digits instead
    // of nine digit suffixes per number among the words (writing a contact's search rows got
    // about 3× cheaper); the words table is rebuilt without them.
    // (Its rebuild is migration 4's, which follows at once.)
    {R"sql(
DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  body, tokenize = 'ascii', detail = none, prefix = '7 8 9 10'
);
CREATE VIRTUAL TABLE contacts_phone_fts USING fts5 (
  body, digits UNINDEXED, tokenize = 'ascii', detail = none
);
)sql"},
    // 4: a contact's search row also holds a token per tag and group (FTS5 answers a search
    // with tags or groups by itself), and the live contacts having a word with a given short
    // prefix are counted (the total of a broad search without counting its matches). The
    // search tables drop their per-row token counts (columnsize=0: only ranking reads them,
    // and nothing is ranked), one b-tree write less per row. The search rows are rebuilt.
    {R"sql(
DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  body, tokenize = 'ascii', detail = none, columnsize = 0, prefix = '7 8 9 10'
);
DROP TABLE contacts_phone_fts;
CREATE VIRTUAL TABLE contacts_phone_fts USING fts5 (
  body, digits UNINDEXED, tokenize = 'ascii', detail = none, columnsize = 0
);
CREATE TABLE search_prefixes (
  workspace_id INTEGER NOT NULL,
  prefix TEXT NOT NULL,       -- 1 to 3 characters of a folded word
  contacts INTEGER NOT NULL,  -- live contacts with a word that starts with it
  PRIMARY KEY (workspace_id, prefix)
) WITHOUT ROWID;
)sql",
     // Its rebuild was here; migration 5 rebuilds the search rows of its own tables (the
     // rebuild of today's code writes those), in the same transaction (Migrate).
     nullptr},
    // 5: the search text of each live contact is kept once, in search_rows, which both search
    // tables read as their external content instead of each keeping a copy (an FTS5 table's
    // own copy is written by a statement of its own per row; search_rows is written for a
    // whole batch in multi-row statements: 4 % of an import's writer instructions). The
    // search rows are rebuilt.
    {R"sql(
DROP TABLE contacts_fts;
DROP TABLE contacts_phone_fts;
CREATE TABLE search_rows (
  id INTEGER PRIMARY KEY,            -- the contact's id
  words TEXT NOT NULL,               -- contacts_fts: folded words, then tag and group tokens
  phones TEXT NOT NULL DEFAULT '',   -- contacts_phone_fts: runs of digits ('' when no number)
  digits TEXT NOT NULL DEFAULT ''    -- every number's digits, to check a longer run
);
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  words, content = 'search_rows', content_rowid = 'id',
  tokenize = 'ascii', detail = none, columnsize = 0, prefix = '7 8 9 10'
);
CREATE VIRTUAL TABLE contacts_phone_fts USING fts5 (
  phones, digits UNINDEXED, content = 'search_rows', content_rowid = 'id',
  tokenize = 'ascii', detail = none, columnsize = 0
);
)sql",
     RebuildSearchIndex},
    // 6: a contact's row says which kinds of links it may have (bits: 1 tags, 2 groups, 4
    // custom field values; LinkKind in internal.h), so that reading a contact skips the kinds
    // it has none of (at a million contacts, looking up the three kinds was a sixth of a read
    // by id). Existing rows may have any. A contact's own writes (CreateContacts,
    // OverwriteContact) set exactly the kinds they write, and these triggers the bit of every
    // other insert (a bulk action's, a tag merge's). Removals leave the bit set: it is only
    // read as "may have".
    {R"sql(
ALTER TABLE contacts ADD COLUMN link_kinds INTEGER NOT NULL DEFAULT 7;
CREATE TRIGGER contact_tags_kind AFTER INSERT ON contact_tags BEGIN
  UPDATE contacts SET link_kinds = link_kinds | 1
  WHERE id = NEW.contact_id AND workspace_id = NEW.workspace_id AND link_kinds & 1 = 0;
END;
CREATE TRIGGER contact_groups_kind AFTER INSERT ON contact_groups BEGIN
  UPDATE contacts SET link_kinds = link_kinds | 2
  WHERE id = NEW.contact_id AND workspace_id = NEW.workspace_id AND link_kinds & 2 = 0;
END;
CREATE TRIGGER field_values_kind AFTER INSERT ON field_values BEGIN
  UPDATE contacts SET link_kinds = link_kinds | 4
  WHERE id = NEW.contact_id AND workspace_id = NEW.workspace_id AND link_kinds & 4 = 0;
END;
)sql"},
    // 7: a contact's row carries the labels of its tags (a JSON array in the order of their
    // keys), kept in step with contact_tags and the tags' labels by every write that changes
    // either (TagLabelsSql in internal.h), so that reading a contact or a page of contacts
    // does not look its tags up (at a million contacts, a tenth of a read by id's
    // instructions and a sixth of a name search's).
    {R"sql(
ALTER TABLE contacts ADD COLUMN tag_labels TEXT NOT NULL DEFAULT '[]';
UPDATE contacts SET tag_labels = (SELECT json_group_array(label) FROM (SELECT t.label FROM contact_tags x JOIN tags t
  ON t.workspace_id = x.workspace_id AND t.id = x.tag_id
  WHERE x.workspace_id = contacts.workspace_id AND x.contact_id = contacts.id ORDER BY t.label_key))
WHERE link_kinds & 1;
)sql"},
};

int UserVersion(Conn& conn) {
  auto st = conn.Prepare("PRAGMA user_version");
  return st.Step() ? static_cast<int>(st.Int(0)) : 0;
}

}  // namespace

void Migrate(Conn& conn) {
  // Up to date: no write lock taken (another process may be writing, an import say).
  if (UserVersion(conn) == static_cast<int>(kMigrations.size())) return;
  // All pending migrations in one transaction: a database is at the version it had or at the
  // last one, never between (migration 4's rebuild is migration 5's; an older binary must
  // never see 4 committed alone, with empty search tables). The version is read again inside
  // it, so two processes opening the same file cannot both migrate it.
  Tx tx(conn);
  const int version = UserVersion(conn);
  // A newer binary's schema is not understood here: writing to it would leave whatever the
  // newer migrations added (a search table, say) stale for good.
  if (version > static_cast<int>(kMigrations.size()))
    throw SqliteError(SQLITE_ERROR, "the database has schema version " + std::to_string(version) +
                                        ", newer than this Dialbook knows (" + std::to_string(kMigrations.size()) +
                                        "); use the newer dialbook binary");
  for (size_t i = version; i < kMigrations.size(); ++i) {
    conn.Exec(kMigrations[i].sql);
    if (kMigrations[i].then) kMigrations[i].then(conn);
    conn.Exec("PRAGMA user_version = " + std::to_string(i + 1));
  }
  tx.Commit();
}

}  // namespace dialbook::sqlite
