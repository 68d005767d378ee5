// Small shared pieces: toasts, loading and empty states, tag chips, labelled fields.
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { ApiError } from '../api';

type Toast = { id: number; text: string; kind: 'ok' | 'error' };
const ToastContext = createContext<(text: string, kind?: 'ok' | 'error') => void>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t, { id, text, kind }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 4500);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => <div key={t.id} className={`toast toast-${t.kind}`}>{t.text}</div>)}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return <div className="spinner-row" role="status"><span className="spinner" aria-hidden="true" />{label}</div>;
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-art" aria-hidden="true">☎</div>
      <h3>{title}</h3>
      {children && <div className="empty-text">{children}</div>}
    </div>
  );
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof Error ? error.message : String(error);
  return <div className="banner banner-error" role="alert">{text}</div>;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export function TagChip({ label, color, onRemove }: { label: string; color?: string; onRemove?: () => void }) {
  return (
    <span className="chip" style={color ? { borderColor: color, background: `${color}1a` } : undefined}>
      {color && <span className="chip-dot" style={{ background: color }} aria-hidden="true" />}
      {label}
      {onRemove && <button type="button" className="chip-x" aria-label={`Remove ${label}`} onClick={onRemove}>×</button>}
    </span>
  );
}

export function FieldRow({ label, htmlFor, error, hint, children }: {
  label: string; htmlFor: string; error?: string; hint?: string; children: ReactNode;
}) {
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <div className="hint">{hint}</div>}
      {error && <div className="field-error" id={`${htmlFor}-error`} role="alert">{error}</div>}
    </div>
  );
}
