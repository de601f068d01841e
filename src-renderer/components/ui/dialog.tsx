import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import './dialog.css';

export interface DialogProps {
  title: string;
  /** Called on Escape and whenever the dialog closes by itself; the parent then stops rendering it. */
  onClose: () => void;
  children: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** A line under the title. */
  subtitle?: ReactNode;
  className?: string;
  /** Shown above the title (e.g. a production warning). */
  banner?: ReactNode;
}

/**
 * A modal dialog on the native <dialog>: the browser keeps it in the top
 * layer, makes the rest of the page inert, and closes it on Escape. Render it
 * to open it; stop rendering it to close it. Focus returns to whatever was
 * focused before it opened.
 */
export function Dialog({ title, onClose, children, size = 'md', subtitle, className, banner }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // jsdom has no showModal: fall back to the `open` attribute there.
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', '');
    }
    // React's autoFocus ran while the dialog was still closed (nothing in it
    // could take focus), and showModal() may focus the dialog or a scrollable
    // part of it (Chromium makes those focusable): put the
    // focus on the first field (Name, in most forms), as the user expects.
    const active = document.activeElement;
    if (!active || !dialog.contains(active) || !active.matches('input, select, textarea, button')) {
      dialog.querySelector<HTMLElement>('input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled)')?.focus();
    }
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={['dialog', `dialog-${size}`, className ?? ''].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      onClose={() => {
        // A close event queued by an earlier close() may arrive after the
        // dialog was shown again (React's development double effects): only
        // a dialog that is really closed reports it.
        if (ref.current && !ref.current.open) onCloseRef.current();
      }}
      onCancel={() => onCloseRef.current()}
    >
      {banner}
      <header className="dialog-header">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {subtitle ? <div className="dialog-subtitle">{subtitle}</div> : null}
      </header>
      {children}
    </dialog>
  );
}

export function DialogBody({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={['dialog-body', className ?? ''].filter(Boolean).join(' ')}>{children}</div>;
}

export function DialogFooter({ children, start }: { children: ReactNode; start?: ReactNode }) {
  return (
    <div className="dialog-footer">
      {start ? <div className="dialog-footer-start">{start}</div> : null}
      <div className="dialog-footer-end">{children}</div>
    </div>
  );
}
