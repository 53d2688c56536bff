import fs from 'node:fs';
import { toErrorInfo } from '../../shared/errors';
import { inspectNotebookLock } from '../notebook/lock';
import { SCHEMA_VERSION } from '../notebook/migrations';
import { Notebook } from '../notebook/notebook';
import { notebookLayout } from '../notebook/paths';
import { parseCommand } from './args';
import { type CliIO, json } from './output';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Checks a notebook without changing its content: lock, schema version, identity, projections. */
export async function doctorCommand(dir: string, args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommand(args, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const checks: Check[] = [];
  const report = () => {
    if (values.json) io.stdout(json({ notebook: dir, ok: checks.every((c) => c.ok), checks }));
    else {
      io.stdout(`Notebook: ${dir}\n`);
      for (const check of checks) io.stdout(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}\n`);
    }
    return checks.every((c) => c.ok) ? 0 : 1;
  };

  if (!fs.existsSync(notebookLayout(dir).database)) {
    checks.push({ name: 'notebook', ok: false, detail: `no notebook database in ${dir}` });
    return report();
  }
  const lock = inspectNotebookLock(dir);
  if (lock && !lock.stale) {
    const who = lock.holder
      ? `${lock.holder.kind} process ${lock.holder.pid} on ${lock.holder.hostname}, since ${lock.holder.since}`
      : 'a process starting up';
    checks.push({ name: 'lock', ok: false, detail: `held by ${who}; close it to check the database` });
    return report();
  }
  let notebook: Notebook;
  try {
    notebook = await Notebook.open(dir, { kind: 'doctor' });
  } catch (error) {
    checks.push({ name: 'open', ok: false, detail: toErrorInfo(error).message });
    return report();
  }
  try {
    const took = notebook.lock.tookOverFrom;
    checks.push({
      name: 'lock',
      ok: true,
      detail: took ? `stale lock of ${took.kind} process ${took.pid} (since ${took.since}) was taken over` : 'free',
    });
    checks.push({ name: 'schema', ok: true, detail: `version ${SCHEMA_VERSION} (current)` });
    checks.push({ name: 'device', ok: true, detail: `${notebook.device.name} (${notebook.device.deviceId})` });
    const counts = await notebook.db.query<{ docs: number; updates: number }>(
      'SELECT (SELECT count(*)::int FROM docs) AS docs, (SELECT count(*)::int FROM doc_updates) AS updates',
    );
    const { docs, updates } = counts.rows[0] ?? { docs: 0, updates: 0 };
    checks.push({ name: 'documents', ok: true, detail: `${docs} documents, ${updates} logged updates` });
    const problems = await notebook.checkProjections();
    checks.push({
      name: 'projections',
      ok: problems.length === 0,
      detail: problems.length ? `${problems.join('; ')} — run: outpost projections rebuild` : 'consistent with the update log',
    });
  } finally {
    await notebook.close();
  }
  return report();
}
