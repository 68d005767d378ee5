// The web app's only way to the server: the public REST API (docs/API.md).
// Session cookie auth; every state-changing call carries the CSRF token from /me.

export type Role = 'admin' | 'manager' | 'agent';

export interface Me {
  user: { id: number; email: string; name: string };
  workspace: { id: number; name: string; default_country: string };
  role: Role;
  department: string | null;
  csrf_token: string | null;
  workspaces: { id: number; name: string; role: Role }[];
}

export interface Contact {
  id: number;
  first_name: string;
  last_name: string;
  phone: string;
  phone_formatted: string;
  phone_type: string;
  phone_location: string;
  phones: { label: string; number: string; formatted: string; type: string; location: string }[];
  email: string;
  company: string;
  street: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  notes: string;
  starred: boolean;
  department: string | null;
  tags: string[];
  groups: string[];
  custom_fields: Record<string, string | number | boolean>;
  do_not_call: boolean;
  consent: { status: 'unknown' | 'granted' | 'revoked'; source: string; at: string | null };
  source: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  last_called_at: string | null;
  last_call_outcome: string | null;
  total_calls: number;
  version: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total: number;
}

export interface Tag { id: number; label: string; description: string; color: string; count: number }
export interface NamedSet { id: number; name: string; count: number }
export type FieldType = 'text' | 'long_text' | 'integer' | 'decimal' | 'date' | 'dropdown' | 'checkbox';
export interface FieldDef {
  id: number; key: string; label: string; type: FieldType; options: string[];
  required: boolean; visibility: 'all' | 'manager' | 'admin'; order: number; archived: boolean;
}
export type Filter = Record<string, string | string[]>;
export interface Preset { id: number; name: string; filter: Filter; shared: boolean; user_id: number }
export interface HistoryEntry {
  id: number; at: string; user: { id: number; email: string } | null; action: string;
  changes: Record<string, { from?: unknown; to?: unknown }>;
}
export interface Member { user: { id: number; email: string; name: string }; role: Role; department: string | null }
export interface Token { id: number; name: string; user_id: number; created_at: string; last_used_at: string | null; token?: string }
export interface Workspace { id: number; name: string; default_country: string; contact_limit: number; contact_count: number }

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get field(): string | undefined {
    return typeof this.details.field === 'string' ? this.details.field : undefined;
  }
}

let csrfToken: string | null = null;

// A 401 outside sign-in means the session ended (signed out elsewhere, expired): the app
// goes back to the sign-in form.
export const SIGNED_OUT_EVENT = 'dialbook:signed-out';
export function noteStatus(status: number, path: string) {
  if (status === 401 && !path.startsWith('/api/v1/auth/login') && !path.startsWith('/api/v1/me'))
    window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
}
export function setCsrf(token: string | null) {
  csrfToken = token;
}

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const h: Record<string, string> = { ...headers };
  // A FormData body (file upload) goes as multipart/form-data; the browser sets the boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'unavailable', 'Cannot reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    noteStatus(res.status, path);
    const err = (json as { error?: { code: string; message: string; details?: Record<string, unknown> } })?.error;
    throw new ApiError(res.status, err?.code ?? 'internal', err?.message ?? `The server answered ${res.status}.`, err?.details ?? {});
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown, headers?: Record<string, string>) => request<T>('PATCH', path, body, headers),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, form),
  del: (path: string) => request<void>('DELETE', path),
};

// Filter object → query string (arrays repeat the key).
export function toQuery(filter: Filter, extra: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) {
    if (Array.isArray(v)) v.forEach((x) => x !== '' && p.append(k, x));
    else if (v !== '' && v !== undefined) p.append(k, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') p.append(k, v);
  return p.toString();
}

export function fullName(c: Pick<Contact, 'first_name' | 'last_name'>): string {
  return `${c.first_name} ${c.last_name}`.trim();
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function atLeast(role: Role, least: Role): boolean {
  const rank = { agent: 0, manager: 1, admin: 2 };
  return rank[role] >= rank[least];
}
