import path from 'node:path';
import { uuidSchema } from '../../shared/ids';
import type { HubStatus } from '../../shared/sync/hub-calls';
import { defaultNotebookDir } from '../notebook/paths';
import { UsageError } from './args';
import type { CliApi } from './cli-api';
import { plural, printResult } from './command-helpers';
import { defineCommand, parseSub, pickSub, type Subcommands } from './command-spec';
import { resolveEngagement } from './engagements-command';
import { formatTable } from './output';

export const HUB_USAGE = `Usage:
  outpost hub serve [--port N] [--address A] [--data DIR] [--database URL] [--redis URL]
                    [--ceiling LEVEL] [--levels A,B,…] [--tls-cert FILE --tls-key FILE] [--insecure]
  outpost hub members add KEY_OR_FINGERPRINT --engagement ID [--name NAME] [--data DIR | --database URL]
  outpost hub members add --trusted --engagement X [--notebook DIR] [--data DIR | --database URL]
  outpost hub members list [--json] [--data DIR | --database URL]
  outpost hub members remove KEY_OR_FINGERPRINT [--engagement ID] [--data DIR | --database URL]
  outpost hub connect URL --engagement X [--trust]
  outpost hub disconnect [--engagement X]
  outpost hub status [--json]
serve: a team hub (Hocuspocus) on 127.0.0.1:4455 by default, its documents in --data (the embedded
  store; default: the per-user data folder's outpost/hub) or in PostgreSQL (--database); several
  instances share documents through --redis. --ceiling: the highest level it may hold (default
  CUI); notes marked above never reach it. Another address than loopback needs TLS, or --insecure.
members: who may connect, per engagement, by device key (outpost info prints it on each laptop).
  --trusted adds this notebook's device and every device it trusts (from the bundles it joined;
  outpost devices list shows them). While a hub runs on --data, members are changed through it.
connect: sync engagement X with the hub at URL (ws://HOST:PORT or wss://…). The first time, the
  hub's key fingerprint is shown: compare it with what serve printed, then add --trust.
disconnect: stop syncing engagement X, or without --engagement forget the hub (zero network again).
`;

const DATA = { data: { type: 'string' }, database: { type: 'string' } } as const;

const SUBCOMMANDS = {
  serve: {
    flags: {
      port: { type: 'string' },
      address: { type: 'string' },
      ...DATA,
      redis: { type: 'string' },
      ceiling: { type: 'string' },
      levels: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      insecure: { type: 'boolean' },
    },
  },
  members: {
    flags: { engagement: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' }, trusted: { type: 'boolean' }, ...DATA },
    positionals: { min: 1, max: 2, names: 'add|list|remove and a device key' },
  },
  connect: { flags: { engagement: { type: 'string' }, trust: { type: 'boolean' } }, positionals: { min: 1, max: 1, names: 'URL' } },
  disconnect: { flags: { engagement: { type: 'string' } } },
  status: { flags: { json: { type: 'boolean' } } },
} as const satisfies Subcommands;

/**
 * The hub's own subcommands run without a notebook; connect, disconnect and status are the
 * notebook's, and so is `members add --trusted` (it reads the notebook's trusted devices).
 */
const HUB_SIDE = new Set(['serve', 'members', '--help', '-h']);
const needsNotebook = (args: string[]) => args[0] === 'members' && args.includes('--trusted');

export const hubCommand = defineCommand({
  name: 'hub',
  summary: 'serve|members|connect|disconnect|status: the team hub, and this notebook’s sync with it',
  usage: HUB_USAGE,
  subcommands: SUBCOMMANDS,
  noNotebook: (args) => args.length === 0 || (HUB_SIDE.has(args[0] as string) && !needsNotebook(args)),
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('hub', HUB_USAGE, SUBCOMMANDS, args);
    if (sub === 'serve') {
      const { serveHub } = await import('./hub-serve');
      return serveHub(io, parseSub(SUBCOMMANDS, 'serve', rest).values, defaultHubDir(io.env));
    }
    if (sub === 'members') {
      const { runMembers } = await import('./hub-members');
      const { values, positionals } = parseSub(SUBCOMMANDS, 'members', rest);
      if (!values.trusted) return runMembers(io, values, positionals, defaultHubDir(io.env));
      if (positionals[0] !== 'add' || positionals.length > 1)
        throw new UsageError('--trusted goes with add and no key: outpost hub members add --trusted --engagement X');
      if (!values.engagement) throw new UsageError('Name the engagement the devices may sync: --engagement X');
      const engagementId = await engagementRef(api, values.engagement);
      return runMembers(io, { ...values, engagement: engagementId }, positionals, defaultHubDir(io.env), await trustedDevices(api));
    }
    if (sub === 'connect') {
      const { values, positionals } = parseSub(SUBCOMMANDS, 'connect', rest);
      if (!values.engagement) throw new UsageError('Name the engagement to sync: --engagement X');
      const engagementId = await engagementRef(api, values.engagement);
      const status = await api.call('hub.connect', { url: positionals[0] as string, trust: values.trust ?? false, engagementId });
      io.stdout(describeStatus(status));
      if (!status.running) io.stdout('The hub is configured; the app (or outpost web) syncs while it has this notebook open.\n');
      return 0;
    }
    if (sub === 'disconnect') {
      const { values } = parseSub(SUBCOMMANDS, 'disconnect', rest);
      const status = values.engagement
        ? await api.call('hub.setEngagement', { engagementId: await engagementRef(api, values.engagement), enabled: false })
        : await api.call('hub.disconnect', {});
      io.stdout(describeStatus(status));
      return 0;
    }
    const { values } = parseSub(SUBCOMMANDS, 'status', rest);
    const status = await api.call('hub.status', {});
    printResult(io, values.json, status, () => describeStatus(status));
    return 0;
  },
});

/** An engagement of this notebook by id or codename, or the id of one to join from the hub. */
async function engagementRef(api: CliApi, ref: string): Promise<string> {
  try {
    return await resolveEngagement(api, ref);
  } catch (error) {
    if (uuidSchema.safeParse(ref).success) return ref;
    throw error;
  }
}

/** This notebook's own device and the devices it trusts (not revoked), as hub members to add. */
async function trustedDevices(api: CliApi): Promise<Array<{ fingerprint: string; name: string }>> {
  const [info, { devices }] = await Promise.all([api.call('notebook.info', {}), api.call('devices.list', {})]);
  return [
    { fingerprint: info.device.fingerprint, name: info.device.name },
    ...devices.filter((d) => !d.revokedAt).map((d) => ({ fingerprint: d.fingerprint, name: d.name })),
  ];
}

export function defaultHubDir(env: NodeJS.ProcessEnv): string {
  return path.join(path.dirname(defaultNotebookDir(process.platform, env)), 'hub');
}

export function describeStatus(status: HubStatus): string {
  if (!status.configured) return 'No team hub: this notebook opens no network connection.\n';
  const lines = [
    `Team hub ${status.url}  key ${status.fingerprint}`,
    `Connection: ${status.connection}${status.since ? ` since ${status.since}` : ''}${status.ceiling ? ` · ceiling ${status.ceiling}` : ''}`,
  ];
  if (status.lastError) lines.push(`Last error: ${status.lastError}`);
  if (!status.engagements.length) lines.push('No engagement syncs with it (outpost hub connect URL --engagement X).');
  else
    lines.push(
      formatTable(
        ['Engagement', 'Waiting', 'Received', 'Withheld', 'Refused'],
        status.engagements.map((e) => [e.codename, String(e.waiting), String(e.received), String(e.withheld), String(e.refused.length)]),
      ).trimEnd(),
    );
  for (const e of status.engagements) for (const r of e.refused) lines.push(`  ${e.codename}: ${r.docId} refused — ${r.reason}`);
  for (const e of status.engagements)
    if (e.teammates.length)
      lines.push(`  ${e.codename}: teammates seen on the hub: ${e.teammates.map((t) => `${t.name} (${t.fingerprint})`).join(', ')}`);
  for (const e of status.engagements)
    if (e.withheld) lines.push(`  ${e.codename}: ${plural(e.withheld, 'note')} marked above the hub's ceiling, never sent`);
  return `${lines.join('\n')}\n`;
}
