import type { ReactElement } from 'react';
import type { User } from '../../../protocol';
import { Avatar } from './Avatar';

/** A checkbox list of people; each row carries the test id and data-user-id. */
export function PeoplePicker({ people, selected, onChange, testId }: { people: User[]; selected: ReadonlySet<string>; onChange: (next: ReadonlySet<string>) => void; testId: string }): ReactElement {
  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  return (
    <ul className="picker-list">
      {people.map((user) => (
        <li key={user.id}>
          <label className={`picker-row${selected.has(user.id) ? ' is-selected' : ''}`} data-testid={testId} data-user-id={user.id}>
            <input type="checkbox" checked={selected.has(user.id)} onChange={() => toggle(user.id)} />
            <Avatar id={user.id} name={user.displayName} size={32} />
            <span className="person-names">
              <span className="person-name">{user.displayName}</span>
              <span className="person-username">@{user.username}</span>
            </span>
          </label>
        </li>
      ))}
    </ul>
  );
}
