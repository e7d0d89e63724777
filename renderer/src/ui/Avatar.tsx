import type { ReactElement } from 'react';

/** A coloured initial: the hue is derived from the id, so a person keeps one colour everywhere. */
function hue(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 360;
  return h;
}

export function Avatar({ id, name, size = 40, group = false, online }: { id: string; name: string; size?: number; group?: boolean; online?: boolean }): ReactElement {
  const initial = [...name.trim()][0]?.toUpperCase() ?? '?';
  return (
    <span className={`avatar${group ? ' avatar-group' : ''}`} style={{ width: size, height: size, fontSize: size * 0.42, ['--avatar-hue' as string]: hue(id) }} aria-hidden="true">
      {initial}
      {online !== undefined && <span className={`presence-dot${online ? ' is-online' : ''}`} />}
    </span>
  );
}
