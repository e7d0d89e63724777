import type { ReactElement, ReactNode } from 'react';

/** One checkbox row of a picker list; `data` carries the row's data-* attributes for QA. */
export function PickerRow({
  checked,
  onToggle,
  testId,
  data,
  children,
}: {
  checked: boolean;
  onToggle: () => void;
  testId: string;
  data: Record<`data-${string}`, string>;
  children: ReactNode;
}): ReactElement {
  return (
    <li>
      <label className={`picker-row${checked ? ' is-selected' : ''}`} data-testid={testId} {...data}>
        <input type="checkbox" checked={checked} onChange={onToggle} />
        {children}
      </label>
    </li>
  );
}

/** The selection with `id` added or removed. */
export function toggled(selected: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
