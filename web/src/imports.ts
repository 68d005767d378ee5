// Bulk import (SPEC S6) over the REST API (docs/API.md "Imports"): types, labels, and the
// live progress of a running import (server-sent events, or polling when they fail).
import { useEffect, useState } from 'react';
import { api, ApiError, type FieldType } from './api';

export type ImportStatus = 'draft' | 'running' | 'completed' | 'failed' | 'undone';
export type RowStatus = 'ready' | 'will_update' | 'needs_attention' | 'incomplete' | 'skip';
export type OnDuplicate = 'skip' | 'update' | 'update_empty' | 'create';
export type DialMode = 'ai' | 'manual';

export interface ImportColumn { index: number; header: string; suggested_field: string; reason: string; sample: string[] }

export interface MappingColumn {
  index: number;
  field?: string;
  new_field?: { key: string; label: string; type: FieldType };
  ignore?: boolean;
}
export interface ImportOptions {
  on_duplicate: OnDuplicate;
  tags: string[];
  auto_tag: boolean | string;
  strict: boolean;
  default_country: string;
  list: null | { name: string; dial_mode: DialMode };
}
export interface ImportMapping {
  columns: MappingColumn[];
  consent_column: number | null;
  options: ImportOptions;
  save_as?: string;
}

export interface ImportSummary {
  rows: number; imported: number; updated: number; skipped: Record<string, number>; unchanged: number;
  list: null | { id: number; name: string; added: number };
}
export interface UndoResult { at: string; removed: number; restored: number; conflicts: { contact_id: number; reason: string }[] }

export interface ImportJob {
  id: number;
  status: ImportStatus;
  file_name: string;
  format: 'csv' | 'xlsx' | 'vcard' | 'sheet';
  encoding: string;
  delimiter: string;
  rows_total: number;
  header: string[];
  columns: ImportColumn[];
  mapping: ImportMapping | null;
  progress: { rows_done: number; rows_total: number; rate: number; eta_seconds: number | null } | null;
  summary: ImportSummary | null;
  errors_file: string | null;
  error: string | null;
  consent: null | { attested_by: unknown; at: string };
  created_by: unknown;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  undo: UndoResult | null;
}

export interface Review {
  rows_total: number; will_create: number; will_update: number; will_skip: number;
  skipped: Record<string, number>;
  by_status: Partial<Record<RowStatus, number>>;
  sample: Record<string, unknown>[];
  new_fields: { key: string; label: string; type: FieldType }[];
  warnings: { column: number | string | null; message: string; suggest_index?: number | null }[];
  strict_ok: boolean;
  first_problem?: string;
}

export interface ImportRow {
  row_number: number;
  values: string[];
  status: RowStatus;
  reason: string | null;
  message: string | null;
  contact: null | { first_name?: string; last_name?: string; phone?: string; email?: string; [k: string]: unknown };
  existing_id: number | null;
}

export interface SavedMapping { id: number; name: string; columns: { header: string; field: string }[] }

export const importPath = (id: number | string, rest = '') => `/api/v1/imports/${id}${rest}`;

// The standard targets a column can be mapped to (SPEC S6.4), in the order a user expects.
export const standardTargets: { value: string; label: string }[] = [
  { value: 'phone', label: 'Phone' },
  { value: 'phones', label: 'Extra phone' },
  { value: 'name', label: 'Full name (split into first/last)' },
  { value: 'first_name', label: 'First name' },
  { value: 'last_name', label: 'Last name' },
  { value: 'email', label: 'Email' },
  { value: 'company', label: 'Company' },
  { value: 'street', label: 'Street' },
  { value: 'city', label: 'City' },
  { value: 'state', label: 'State' },
  { value: 'zip', label: 'ZIP / postal code' },
  { value: 'country', label: 'Country' },
  { value: 'notes', label: 'Notes' },
  { value: 'tags', label: 'Tags (| separated)' },
  { value: 'groups', label: 'Groups (| separated)' },
  { value: 'department', label: 'Department' },
  { value: 'do_not_call', label: 'Do not call (yes/no)' },
  { value: 'consent', label: 'Consent (yes/no)' },
];

export const reasonLabels: Record<string, string> = {
  missing_phone: 'No phone number',
  invalid_phone: 'Invalid phone number',
  fake_number: 'Fake phone number',
  invalid_email: 'Invalid email',
  invalid_field: 'Invalid field value',
  no_consent: 'No consent',
  duplicate_in_file: 'Duplicate in the file',
  already_exists: 'Already in contacts',
  contact_limit: 'Contact limit reached',
};
export const reasonLabel = (r: string) => reasonLabels[r] ?? r.replace(/_/g, ' ');

export const rowStatusLabels: Record<RowStatus, string> = {
  ready: 'Ready', will_update: 'Will update', needs_attention: 'Needs attention', incomplete: 'Incomplete', skip: 'Skip',
};

export const statusLabels: Record<ImportStatus, string> = {
  draft: 'Draft', running: 'Running', completed: 'Completed', failed: 'Failed', undone: 'Undone',
};

export const duplicateLabels: Record<OnDuplicate, { label: string; hint: string }> = {
  skip: { label: 'Skip', hint: 'Leave the existing contact as it is.' },
  update: { label: 'Update', hint: 'Overwrite the existing contact with the non-empty values of the row; tags and groups are added.' },
  update_empty: { label: 'Update only empty fields', hint: 'Fill in what the existing contact is missing; keep what it has.' },
  create: { label: 'Always create', hint: 'Create a new contact when only the email matches (a phone match is still skipped: two contacts never share a phone).' },
};

// "Imported-2026-11": the automatic tag for an import started now.
export function autoTagName(d = new Date()): string {
  return `Imported-${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

// Who started an import, whatever shape the server gives ({email,name} or a string or id).
export function personLabel(p: unknown): string {
  if (!p) return '—';
  if (typeof p === 'string') return p;
  if (typeof p === 'number') return `user #${p}`;
  if (typeof p === 'object') {
    const o = p as { email?: string; name?: string; id?: number };
    return o.name || o.email || (o.id !== undefined ? `user #${o.id}` : '—');
  }
  return String(p);
}

export function skippedTotal(s: Record<string, number> | null | undefined): number {
  return Object.values(s ?? {}).reduce((a, b) => a + b, 0);
}

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

// The list name offered for a file: its name without the extension.
export function baseName(file: string): string {
  return file.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim() || file;
}

const finished = (s: ImportStatus) => s === 'completed' || s === 'failed' || s === 'undone';

// Follows a running import: GET /imports/{id}/events (server-sent events, cookies sent by the
// browser), and when the stream errors, polls GET /imports/{id} every second instead.
export function useLiveImport(id: number | null, initial: ImportJob | null, enabled: boolean) {
  const [imp, setImp] = useState<ImportJob | null>(initial);
  const [mode, setMode] = useState<'live' | 'polling'>('live');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (initial) setImp(initial);
  }, [initial]);
  useEffect(() => {
    if (!enabled || id === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let es: EventSource | null = null;
    const accept = (j: ImportJob) => {
      if (!stopped) setImp(j);
    };
    const poll = async () => {
      if (stopped) return;
      try {
        const j = await api.get<ImportJob>(importPath(id));
        accept(j);
        setError(null);
        if (finished(j.status)) return;
      } catch (e) {
        if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) {
          setError(e.message);
          return;
        }
        setError(`Lost contact with the server (${e instanceof Error ? e.message : String(e)}); retrying…`);
      }
      timer = setTimeout(poll, 1000);
    };
    const fallback = () => {
      es?.close();
      es = null;
      if (stopped) return;
      setMode('polling');
      poll();
    };
    try {
      es = new EventSource(importPath(id, '/events'), { withCredentials: true });
    } catch {
      fallback();
      return () => { stopped = true; clearTimeout(timer); };
    }
    setMode('live');
    es.addEventListener('progress', (ev) => {
      try {
        accept(JSON.parse((ev as MessageEvent).data) as ImportJob);
      } catch {
        /* a malformed event: the next one or the final GET tells */
      }
    });
    es.addEventListener('done', (ev) => {
      es?.close();
      es = null;
      try {
        const j = JSON.parse((ev as MessageEvent).data) as ImportJob;
        if (j && typeof j === 'object' && 'status' in j) accept(j);
      } catch {
        /* "done" without a body */
      }
      // The final state (summary, error file) always from the import itself.
      poll();
    });
    es.onerror = fallback;
    return () => {
      stopped = true;
      es?.close();
      clearTimeout(timer);
    };
  }, [id, enabled]);
  return { imp, setImp, mode, error };
}
