import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal built on the browser's own `<dialog>`: `showModal()` makes the rest of the
 * page inert, keeps keyboard focus inside, and Escape cancels — nothing to re-implement.
 */
export function ModalDialog({
  title,
  onClose,
  children,
  className,
}: {
  title: string;
  /** Escape, or a button of the dialog that closes it. */
  onClose: () => void;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
