/**
 * A corpus of real-looking traces and logs, generated: each kind's error with variables drawn
 * from `v` (host, id, number, …), so a test can make the same error with other values and a
 * different error of the same kind.
 */
export interface Vars {
  host: string;
  ip: string;
  n: number;
  id: string;
  user: string;
  path: string;
  ts: string;
}

export function vars(seed: number): Vars {
  const hex = (k: number) => ((seed * 2654435761 + k * 40503) >>> 0).toString(16).padStart(8, '0');
  return {
    host: `db${(seed % 90) + 10}.client${seed % 7}.corp`,
    ip: `10.${seed % 250}.${(seed * 7) % 250}.${(seed * 13) % 250}`,
    n: 1000 + ((seed * 7919) % 90000),
    id: `${hex(1)}-${hex(2).slice(0, 4)}-4${hex(3).slice(0, 3)}-a${hex(4).slice(0, 3)}-${hex(5)}${hex(6).slice(0, 4)}`,
    user: ['alice', 'bob', 'svc_batch', 'etl_loader'][seed % 4] as string,
    path: `/var/data/inbox/batch-${seed}/orders_${seed * 3}.csv`,
    ts: `2026-0${(seed % 9) + 1}-1${seed % 10}T0${seed % 10}:${10 + (seed % 49)}:${10 + (seed % 49)}.${100 + (seed % 800)}Z`,
  };
}

export const javaOdbcTimeout = (
  v: Vars,
) => `${v.ts} ERROR [pool-${v.n % 9}-thread-${v.n % 31}] c.a.b.OrderImport - import failed for batch ${v.n}
java.sql.SQLTimeoutException: Query timed out after ${v.n % 60} seconds on ${v.host}
\tat com.acme.billing.dao.OrderDao.findOpen(OrderDao.java:${v.n % 400})
\tat com.acme.billing.service.ImportService.run(ImportService.java:${v.n % 300})
\tat com.acme.billing.jobs.NightlyJob.execute(NightlyJob.java:57)
\tat java.base/java.lang.Thread.run(Thread.java:833)
Caused by: java.net.SocketTimeoutException: Read timed out
\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)
\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:${v.n % 200})
\tat com.microsoft.sqlserver.jdbc.TDSChannel.read(IOBuffer.java:2023)
\t... 12 more`;

export const javaNpe = (
  v: Vars,
) => `Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "${v.user}" is null
\tat com.acme.crm.Mapper.toDto(Mapper.java:${v.n % 99})
\tat com.acme.crm.Api.handle(Api.java:12)
\tat com.acme.crm.Main.main(Main.java:5)`;

export const dotnetSql = (
  v: Vars,
) => `Unhandled exception. System.Data.SqlClient.SqlException (0x80131904): Login failed for user '${v.user}'.
   at System.Data.SqlClient.SqlInternalConnection.OnError(SqlException exception, Boolean breakConnection, Action\`1 wrapCloseInAction)
   at System.Data.SqlClient.TdsParser.ThrowExceptionAndWarning(TdsParserStateObject stateObj, Boolean callerHasConnectionLock, Boolean asyncClose)
   at Acme.Ledger.Data.Repository.Open() in C:\\build\\agent${v.n % 5}\\src\\Repository.cs:line ${v.n % 300}
   at Acme.Ledger.Program.Main(String[] args) in C:\\build\\src\\Program.cs:line 14
ClientConnectionId:${v.id}`;

export const dotnetNullRef = (v: Vars) => `System.NullReferenceException: Object reference not set to an instance of an object.
   at Acme.Ledger.Posting.Apply(Entry e) in D:\\src\\Posting.cs:line ${v.n % 90}
   at Acme.Ledger.Program.Main(String[] args) in D:\\src\\Program.cs:line 20`;

export const pythonKey = (v: Vars) => `Traceback (most recent call last):
  File "/opt/etl/run.py", line ${v.n % 200}, in <module>
    main()
  File "/opt/etl/pipeline.py", line ${v.n % 90}, in main
    rows = load(cfg["source"])
  File "/opt/etl/loaders/csv_loader.py", line 41, in load
    return parse(open(path))
KeyError: 'customer_${v.n}'`;

export const pythonConn = (v: Vars) => `Traceback (most recent call last):
  File "/srv/app/sync.py", line 77, in push
    conn = psycopg2.connect(host="${v.host}", port=5432)
psycopg2.OperationalError: could not connect to server: Connection refused (${v.ip}:5432)`;

export const nodeTypeError = (v: Vars) => `TypeError: Cannot read properties of undefined (reading '${v.user}')
    at normalizeOrder (/app/src/orders/normalize.js:${v.n % 80}:17)
    at processBatch (/app/src/orders/batch.js:${v.n % 40}:5)
    at async Promise.all (index ${v.n % 10})
    at async main (/app/src/index.js:12:3)`;

export const nodeEconnrefused = (v: Vars) => `Error: connect ECONNREFUSED ${v.ip}:6379
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1595:16)`;

export const goPanic = (v: Vars) => `panic: runtime error: index out of range [${v.n % 10}] with length ${v.n % 7}

goroutine ${v.n % 50} [running]:
main.parseRecord({0xc000${v.n.toString(16)}, 0x${v.n.toString(16)}})
\t/home/build/ingest/parse.go:${v.n % 100} +0x1d4
main.main()
\t/home/build/ingest/main.go:33 +0x85
exit status 2`;

export const goNilMap = (v: Vars) => `panic: assignment to entry in nil map

goroutine 1 [running]:
github.com/acme/agent/config.(*Store).Set(0x0, {0x${v.n.toString(16)}, 0x4})
\t/go/src/agent/config/store.go:${v.n % 60} +0x55
main.main()
\t/go/src/agent/main.go:19 +0x2b`;

export const syslogDisk = (
  v: Vars,
) => `Mar  ${(v.n % 9) + 1} 0${v.n % 10}:14:0${v.n % 10} ${v.host.split('.')[0]} kernel: [${v.n}.${v.n % 1000}] EXT4-fs error (device sda${v.n % 4}): ext4_find_entry:1455: inode #${v.n}: comm rsync: reading directory lblock 0
Mar  ${(v.n % 9) + 1} 0${v.n % 10}:14:1${v.n % 10} ${v.host.split('.')[0]} systemd[1]: Started Daily apt download activities.
Mar  ${(v.n % 9) + 1} 0${v.n % 10}:14:2${v.n % 10} ${v.host.split('.')[0]} CRON[${v.n}]: (root) CMD (run-parts /etc/cron.hourly)`;

export const syslogSshd = (
  v: Vars,
) => `Mar  3 11:0${v.n % 10}:00 gw01 sshd[${v.n}]: error: maximum authentication attempts exceeded for ${v.user} from ${v.ip} port ${v.n} ssh2 [preauth]
Mar  3 11:0${v.n % 10}:02 gw01 sshd[${v.n + 1}]: error: maximum authentication attempts exceeded for root from ${v.ip} port ${v.n + 9} ssh2 [preauth]`;

export const journaldOom = (v: Vars) => `-- Logs begin at Mon 2026-03-02 08:00:01 UTC, end at Tue 2026-03-03 10:00:00 UTC. --
Mar 03 09:5${v.n % 10}:12 app${v.n % 9}.client.corp systemd[1]: billing.service: Main process exited, code=killed, status=9/KILL
Mar 03 09:5${v.n % 10}:12 app${v.n % 9}.client.corp systemd[1]: billing.service: Failed with result 'oom-kill'.`;

export const jsonLines = (v: Vars) =>
  [
    JSON.stringify({ ts: v.ts, level: 'info', msg: `request served in ${v.n % 300} ms`, path: '/api/orders' }),
    JSON.stringify({
      ts: v.ts,
      level: 'error',
      msg: `payment gateway returned 502 for order ${v.n}`,
      order: v.n,
      err: { type: 'GatewayError', message: 'bad gateway' },
    }),
    JSON.stringify({
      ts: v.ts,
      level: 'error',
      msg: `payment gateway returned 502 for order ${v.n + 7}`,
      order: v.n + 7,
      err: { type: 'GatewayError', message: 'bad gateway' },
    }),
  ].join('\n');

export const jsonLinesAuth = (v: Vars) =>
  [
    JSON.stringify({ time: v.ts, level: 'error', message: `token for ${v.user} expired at ${v.ts}`, request_id: v.id }),
    JSON.stringify({ time: v.ts, level: 'info', message: 'shutting down' }),
  ].join('\n');

export const pgUnique = (v: Vars) => `ERROR:  duplicate key value violates unique constraint "orders_pkey"
DETAIL:  Key (id)=(${v.n}) already exists.
CONTEXT:  COPY orders, line ${v.n % 500}`;

export const oracleTable = (v: Vars) => `ORA-00942: table or view does not exist
ORA-06512: at "BILLING.PKG_ORDERS", line ${v.n % 300}`;

export const http502 = (v: Vars) => `HTTP/1.1 502 Bad Gateway
Server: nginx/1.${v.n % 30}.0
Date: Tue, 03 Mar 2026 10:0${v.n % 10}:00 GMT
Content-Type: application/json

{"error":"upstream ${v.host} did not respond within ${v.n % 60}s","requestId":"${v.id}"}`;

export const http401 = (v: Vars) => `HTTP/2 401 Unauthorized
www-authenticate: Bearer error="invalid_token"

{"message":"The access token expired at ${v.ts}"}`;

export const plainLog = (v: Vars) => `${v.ts} INFO  [main] Starting export of ${v.n} records
${v.ts} ERROR [worker-${v.n % 8}] Failed to write ${v.path}: disk quota exceeded (${v.n} bytes requested)
${v.ts} INFO  [main] Export done`;

export const plainLogLock = (v: Vars) => `${v.ts} WARN  [main] retrying
${v.ts} ERROR [worker-${v.n % 8}] Deadlock detected while locking row ${v.n} in table invoices; transaction ${v.id} rolled back`;
