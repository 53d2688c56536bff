import path from 'node:path';
import { classificationLevelsSchema } from '../../shared/classification';
import { UsageError } from './args';
import { splitList } from './command-helpers';
import type { CliIO } from './output';

export const DEFAULT_HUB_PORT = 4455;

export interface ServeFlags {
  port?: string;
  address?: string;
  data?: string;
  database?: string;
  redis?: string;
  ceiling?: string;
  levels?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  insecure?: boolean;
}

/** `outpost hub serve`: runs until Ctrl+C or SIGTERM, then stores what is pending and stops. */
export async function serveHub(io: CliIO, flags: ServeFlags, defaultDir: string): Promise<number> {
  const port = flags.port === undefined ? DEFAULT_HUB_PORT : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number (0: any free port)');
  if (!!flags['tls-cert'] !== !!flags['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
  for (const [flag, scheme] of [
    ['database', /^postgres(ql)?:\/\//],
    ['redis', /^rediss?:\/\//],
  ] as const)
    if (flags[flag] !== undefined && !scheme.test(flags[flag] as string))
      throw new UsageError(`--${flag} takes a ${flag === 'database' ? 'postgres://' : 'redis://'} URL`);
  let levels: string[] | undefined;
  if (flags.levels !== undefined) {
    const parsed = classificationLevelsSchema.safeParse(splitList(flags.levels));
    if (!parsed.success) throw new UsageError(`--levels: ${parsed.error.issues[0]?.message}`);
    levels = parsed.data;
  }
  const { startHub } = await import('../hub/hub-server');
  const hub = await startHub({
    dataDir: path.resolve(flags.data ?? defaultDir),
    databaseUrl: flags.database,
    redisUrl: flags.redis,
    port,
    address: flags.address,
    ceiling: flags.ceiling ?? 'CUI',
    levels,
    tls: flags['tls-cert'] ? { certFile: flags['tls-cert'], keyFile: flags['tls-key'] as string } : undefined,
    insecure: flags.insecure,
  });
  io.stdout(
    `Team hub listening on ${hub.url}\n` +
      `Key fingerprint: ${hub.fingerprint}\n` +
      `Ceiling: ${hub.ceiling} (levels ${hub.levels.join(' < ')})\n` +
      `Store: ${flags.database ? 'PostgreSQL' : `embedded, in ${path.resolve(flags.data ?? defaultDir)}`}${flags.redis ? ' · scaled out through Redis' : ''}\n` +
      'Add members with: outpost hub members add KEY --engagement ID. Ctrl+C stops it.\n',
  );
  await new Promise<void>((resolve) => {
    if (io.stopSignal) void io.stopSignal.then(resolve);
    else {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }
  });
  await hub.close();
  io.stdout('Team hub stopped.\n');
  return 0;
}
