import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from './button';

/** A modal confirmation built on <dialog>: Escape cancels, focus returns to the page on close. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmText: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-label={props.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
      className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="p-5">
        <h2 className="mb-2 text-lg font-semibold">{props.title}</h2>
        <div className="mb-4 text-sm text-slate-700">{props.children}</div>
        <div className="flex justify-end gap-2">
          <Button onClick={props.onCancel}>Cancel</Button>
          <Button variant={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
            {props.confirmText}
          </Button>
        </div>
      </div>
    </dialog>
  );
}

/**
 * The common case: a confirmation about one thing the user picked (a project, a dataset, a file). Open while
 * `target` is set; confirming calls `onConfirm(target)`, and either button clears it through `onClose`.
 */
export function ConfirmFor<T>(props: {
  target: T | null;
  title: string;
  children: ReactNode;
  confirmText: string;
  danger?: boolean;
  onConfirm: (target: T) => void;
  onClose: () => void;
}) {
  const { target, onConfirm, onClose, ...rest } = props;
  return (
    <ConfirmDialog
      {...rest}
      open={target !== null}
      onCancel={onClose}
      onConfirm={() => {
        if (target !== null) onConfirm(target);
        onClose();
      }}
    />
  );
}
