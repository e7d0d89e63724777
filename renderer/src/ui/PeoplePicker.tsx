import type { ReactElement } from 'react';
import type { User } from '../../../protocol';
import { Avatar } from './Avatar';
import { PickerRow, toggled } from './PickerRow';

/** A checkbox list of people; each row carries the test id and data-user-id. */
export function PeoplePicker({ people, selected, onChange, testId }: { people: User[]; selected: ReadonlySet<string>; onChange: (next: ReadonlySet<string>) => void; testId: string }): ReactElement {
  return (
    <ul className="picker-list">
      {people.map((user) => (
        <PickerRow key={user.id} checked={selected.has(user.id)} onToggle={() => onChange(toggled(selected, user.id))} testId={testId} data={{ 'data-user-id': user.id }}>
          <Avatar id={user.id} name={user.displayName} size={32} />
          <span className="person-names">
            <span className="person-name">{user.displayName}</span>
            <span className="person-username">@{user.username}</span>
          </span>
        </PickerRow>
      ))}
    </ul>
  );
}
