import { type FormEvent, useState } from 'react';
import type { TeamMember } from '../../shared/engagements/model';
import type { ApplyChange } from './fields';

interface Props {
  team: TeamMember[];
  apply: ApplyChange<Array<{ id?: string; name: string; role: string }>>;
}

/** The engagement's team: edit names and roles in place, add and remove members. */
export function TeamEditor({ team, apply }: Props) {
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [error, setError] = useState<string | null>(null);

  const update = (index: number, change: Partial<TeamMember>) => {
    setError(apply(team.map((member, i) => (i === index ? { ...member, ...change } : member))));
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    const refused = apply([...team, { name, role }]);
    setError(refused);
    if (!refused) {
      setName('');
      setRole('');
    }
  };

  return (
    <section className="team" aria-labelledby="team-heading">
      <h3 id="team-heading">Team</h3>
      {team.length === 0 && <p className="muted">No one on this engagement yet.</p>}
      <ul>
        {team.map((member, index) => (
          <li key={member.id}>
            <input
              aria-label={`Name of team member ${index + 1}`}
              value={member.name}
              onChange={(e) => update(index, { name: e.target.value })}
            />
            <input
              aria-label={`Role of ${member.name}`}
              value={member.role}
              placeholder="Role"
              onChange={(e) => update(index, { role: e.target.value })}
            />
            <button
              type="button"
              onClick={() => setError(apply(team.filter((m) => m.id !== member.id)))}
              aria-label={`Remove ${member.name}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="add-member" onSubmit={add}>
        <input aria-label="New team member name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} />
        <input aria-label="New team member role" placeholder="Role" value={role} onChange={(e) => setRole(e.target.value)} />
        <button type="submit" disabled={!name.trim()}>
          Add member
        </button>
      </form>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
