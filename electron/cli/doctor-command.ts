import fs from 'node:fs';
import { toErrorInfo } from '../../shared/errors';
import type { NotebookCheck } from '../../shared/notebook/calls';
import { inspectNotebookLock } from '../notebook/lock';
import { notebookLayout } from '../notebook/paths';
import type { CliApi } from './cli-api';
import { defineCommand, parseSub, type Subcommands } from './command-spec';
import { json } from './output';

/**
 * Checks a notebook without changing its content: lock, schema version, identity, projections.
 * While the app holds the notebook, the checks run in it (through its command channel).
 */
export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'check the notebook: lock, schema version, projection consistency',
  usage: 'Usage: outpost doctor [--json]\n',
  subcommands: { '': { flags: { json: { type: 'boolean' } } } } as const satisfies Subcommands,
  // It opens the notebook itself, to report what stands in the way instead of failing on it.
  noNotebook: true,
  run: async ({ io, dir }, args) => {
    const { values } = parseSub(doctorCommand.subcommands, '', args);
    const checks: NotebookCheck[] = [];
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
    if (lock && !lock.stale && !lock.holder?.commands) {
      const who = lock.holder
        ? `${lock.holder.kind} process ${lock.holder.pid} on ${lock.holder.hostname}, since ${lock.holder.since}`
        : 'a process starting up';
      checks.push({ name: 'lock', ok: false, detail: `held by ${who}; close it to check the database` });
      return report();
    }
    let api: CliApi;
    try {
      const { connectToHolder } = await import('./channel-client');
      const holder = await connectToHolder(dir);
      if (holder) {
        api = holder;
        checks.push({ name: 'lock', ok: true, detail: `held by ${holder.answeredBy}; checked through it` });
      } else {
        const { openDirect } = await import('./direct-api');
        const direct = await openDirect(dir);
        api = direct;
        const took = direct.notebook.lock.tookOverFrom;
        checks.push({
          name: 'lock',
          ok: true,
          detail: took ? `stale lock of ${took.kind} process ${took.pid} (since ${took.since}) was taken over` : 'free',
        });
      }
    } catch (error) {
      checks.push({ name: 'open', ok: false, detail: toErrorInfo(error).message });
      return report();
    }
    try {
      checks.push(...(await api.call('notebook.check', {})).checks);
    } finally {
      await api.close();
    }
    return report();
  },
});
