// Modal dialog on the native <dialog> element: focus is trapped, Escape closes it.
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog({ title, open, onClose, children, footer, wide }: {
  title: string; open: boolean; onClose: () => void; children: ReactNode; footer?: ReactNode; wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  if (!open) return null;
  return (
    <dialog ref={ref} className={wide ? 'dialog dialog-wide' : 'dialog'} aria-label={title}
      onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <header className="dialog-head">
        <h2>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>×</button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer && <footer className="dialog-foot">{footer}</footer>}
    </dialog>
  );
}

export function ConfirmDialog({ title, message, confirmLabel, danger, open, busy, disabled, onConfirm, onClose, error }: {
  title: string; message: ReactNode; confirmLabel: string; danger?: boolean; open: boolean; busy?: boolean;
  disabled?: boolean; onConfirm: () => void; onClose: () => void; error?: string | null;
}) {
  return (
    <Dialog title={title} open={open} onClose={onClose} footer={
      <>
        <button type="button" className="button" onClick={onClose}>Cancel</button>
        <button type="button" className={danger ? 'button danger' : 'button primary'} disabled={busy || disabled} onClick={onConfirm}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </>
    }>
      <div className="confirm-message">{message}</div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </Dialog>
  );
}
