import * as Y from 'yjs';
import { noteBody } from '../shared/notes/doc';
/**
 * A seeded, deterministic corpus of engagement notes for `bench/notes.ts`: what a team of
 * forward-deployed engineers writes over a few years of ERP / warehouse / plant-floor / ML
 * integrations. Word frequencies follow a Zipf law (a few words everywhere, a long tail of rare
 * ones: error codes, IDoc segments, PLC tags, hostnames) so searches hit very different numbers of
 * notes; each engagement leans on its own topics; note lengths are log-normal (most notes are a
 * page, a few are very long).
 */
import type { NoteType } from '../shared/notes/model';

/** mulberry32: a tiny seeded PRNG (not cryptographic; reproducible corpora are the point). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

/** Standard normal by Box–Muller. */
function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Samples ranks 0..n-1 with P(rank r) ∝ 1 / (r + 1)^s. */
class Zipf<T> {
  private readonly cumulative: Float64Array;
  constructor(
    readonly items: readonly T[],
    s: number,
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    for (let r = 0; r < items.length; r++) {
      total += 1 / (r + 1) ** s;
      this.cumulative[r] = total;
    }
    for (let r = 0; r < items.length; r++) (this.cumulative as Float64Array)[r] = (this.cumulative[r] as number) / total;
  }
  sample(rng: Rng): T {
    const x = rng();
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return this.items[lo] as T;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary, roughly in order of how often it appears (Zipf ranks follow this order).

const FUNCTION_WORDS = `the to and of a in is for on at with after from that it was we be by not as this are but
have has they their if when then so all no can will should would could into out up over again only still now
before about because more some than while which there where who been were each also same per any other next`.split(/\s+/);

const GENERAL = `customer site job batch queue error issue team shift report data file run check change load
fix test user server update time day night morning week access owner config value table field record step
call ticket status plan script service log restart message network connection release window meeting
version export import backlog handover rollout cutover pilot sprint outage workaround escalation review
approval follow-up root cause vendor contract scope estimate dashboard alert metric threshold baseline
production staging sandbox laptop badge escort floor office demo training feedback priority blocker risk
deadline budget invoice timestamp timezone duplicate missing mismatch stale retry backoff throttle limit
timeout latency throughput capacity memory disk cpu cache index query schema migration rollback snapshot
backup restore patch upgrade downgrade deploy build pipeline container cluster node pod image registry`.split(/\s+/);

const DOMAIN = `erp sap idoc odbc sftp edi wms plc kafka mqtt oracle postgres sql api rest soap json xml csv
warehouse inventory replenishment forecast demand supply order purchase shipment carrier pallet sku lot
pick wave picking putaway slotting dock yard trailer conveyor sorter scanner barcode rfid label printer
model drift retraining feature pipeline inference training accuracy precision recall anomaly embedding
vpn firewall proxy certificate tls ldap saml sso okta mfa jumpbox bastion airgap enclave usb
mes scada historian opc hmi tag setpoint alarm interlock line station cell robot agv cobot
tms routing dispatch telematics gps eta geofence freight manifest customs invoice tariff
snowflake databricks airflow dbt spark parquet s3 blob lake warehouse-db etl elt cdc debezium
kubernetes docker helm terraform ansible jenkins gitlab github argo grafana prometheus splunk datadog
bapi rfc abap hana s4 ecc fiori basis transport client-copy material vendor-master bom routing-sheet
as400 db2 mainframe cobol jcl ftp pgp gpg cron windows-service iis dotnet java python node powershell`.split(/\s+/);

const RARE = `hy000 08s01 ora-12170 ora-01555 ora-00060 e1edk01 e1edp01 e1edka1 orders05 desadv01 invoic02 matmas05
debmas07 wmmbxy shpcon x12-856 x12-940 x12-945 edifact-desadv as2 mdn gs1-128 sscc gtin epcis
s7-1500 controllogix modbus profinet ethernet-ip rslinx kepware ignition wonderware pi-af osisoft
line3.conveyor.speed line3.conveyor.fault press7.cycle.count oven2.zone4.temp palletizer.jam.count
psi-drift kl-divergence shap isolation-forest xgboost lightgbm prophet arima holt-winters
erp-prd-02 wms-db-01 edi-gw-03 plc-gw-line3 kafka-broker-2 sftp-in-01 airflow-sched jump-07
sqlstate ssis biztalk mulesoft boomi informatica talend seeburger sterling-b2b cleo opentext
lm-studio onnx triton vllm tensorrt faiss pgvector qdrant milvus weaviate chroma
honeywell-intelligrated dematic knapp swisslog autostore locus 6-river zebra-tc52 honeywell-ct60
blue-yonder manhattan-scale korber infor-wms oracle-wms sap-ewm sap-wm highjump reddwerks`.split(/\s+/);

/** Collocations inserted as units, so phrase queries find them. */
const PHRASES = `pick wave|odbc timeout|model drift|sap idoc|plc tag|sftp drop|edi mapping|wave release|
cycle count|short pick|label printer|dock door|carrier cutoff|batch job|nightly export|feature store|
shadow mode|ground truth|service account|change window|firewall rule|connection pool|dead letter queue|
consumer lag|partition rebalance|schema registry|safety stock|lead time|reorder point|bill of materials|
goods receipt|purchase order|sales order|delivery note|advance ship notice|proof of delivery|
clock skew|certificate expiry|token refresh|rate limit|retry storm|deadlock victim|snapshot too old|
root cause|action item|open question|next step|go live|hyper care|user acceptance test|data dictionary`
  .split('|')
  .map((p) => p.trim());

export const TAGS = `erp sftp edi latency wms plc kafka sap idoc odbc oracle sql api forecast drift model inventory
replenishment picking shipping carrier labels scanners rfid conveyor scada mes historian opc vpn firewall
certificates sso security access onboarding handover cutover rollback incident outage performance
memory cache etl airflow dbt snowflake monitoring alerting grafana kubernetes docker ci terraform
customer vendor decision contract runbook training`.split(/\s+/);

export const CLIENTS = [
  'Acme Logistics',
  'Borealis Bank',
  'Cobalt Mining',
  'Delta Freight',
  'Evergreen Foods',
  'Fjord Energy',
  'Granite Insurance',
];
export const SITES = ['Reno DC', 'Plant 4', 'HQ Data Center', 'Rotterdam Port', 'Enclave B', 'Cold Store 2', 'Memphis Hub', 'Line 3'];
const NAMES = ['Priya', 'Marco', 'Jun', 'Aisha', 'Tomasz', 'Lena', 'Diego', 'Sven', 'Mei', 'Omar', 'Kofi', 'Hana'];
const CODENAMES = `HERON OSPREY KESTREL MERLIN CONDOR FALCON HARRIER PELICAN ALBATROSS IBIS EGRET PLOVER CURLEW
GANNET PETREL TERN AVOCET DUNLIN LAPWING BITTERN`.split(/\s+/);

export const NOTE_TYPE_WEIGHTS: Array<[NoteType, number]> = [
  ['field-log', 30],
  ['incident', 18],
  ['meeting', 16],
  ['general', 12],
  ['runbook', 9],
  ['decision', 8],
  ['integration-contract', 7],
];

const SECTIONS: Record<NoteType, string[]> = {
  'field-log': ['On site', 'Observations', 'Done today', 'Blockers', 'Tomorrow'],
  incident: ['Symptoms', 'Timeline', 'Investigation', 'Root cause', 'Fix', 'Follow-ups'],
  decision: ['Context', 'Options', 'Decision', 'Consequences'],
  'integration-contract': ['Systems', 'Endpoints', 'Payloads', 'Schedules', 'Error handling', 'Owners'],
  meeting: ['Attendees', 'Agenda', 'Notes', 'Decisions', 'Action items'],
  runbook: ['Purpose', 'Prerequisites', 'Steps', 'Verification', 'Rollback'],
  general: ['Notes', 'Details', 'Links'],
};

const CLASSIFICATION_WEIGHTS: Array<[string, number]> = [
  ['UNCLASSIFIED', 50],
  ['CUI', 30],
  ['CONFIDENTIAL', 15],
  ['SECRET', 5],
];

function weighted<T>(rng: Rng, table: Array<[T, number]>): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let x = rng() * total;
  for (const [value, w] of table) {
    x -= w;
    if (x < 0) return value;
  }
  return (table[table.length - 1] as [T, number])[0];
}

const VOCABULARY = [...FUNCTION_WORDS, ...GENERAL, ...DOMAIN, ...RARE];
const words = new Zipf(VOCABULARY, 1.05);

/**
 * The long tail: 50,000 identifiers (SKUs, tickets, purchase orders, error codes), Zipf-ranked
 * too, so the commonest is in hundreds of notes and most are in one or none.
 */
const IDENTIFIERS = 50_000;
const identifierRanks = new Zipf(
  Array.from({ length: IDENTIFIERS }, (_, r) => r),
  1.0,
);
export function identifier(rank: number): string {
  const h = Math.imul(rank + 1, 0x9e3779b1) >>> 0;
  switch (rank % 4) {
    case 0:
      return `sku-${10000 + (h % 90000)}`;
    case 1:
      return `inc${String(1000000 + (h % 9000000)).padStart(7, '0')}`;
    case 2:
      return `po-45${String(h % 100000000).padStart(8, '0')}`;
    default:
      return `err-${1000 + (h % 9000)}`;
  }
}
const phrases = new Zipf(PHRASES, 1.0);
const tagZipf = new Zipf(TAGS, 0.9);

export interface EngagementSpec {
  client: string;
  codename: string;
  site: string;
  /** Words and tags this engagement writes about more than others. */
  topicWords: string[];
  topicTags: string[];
}

export function engagementSpecs(count: number, seed = 7): EngagementSpec[] {
  const rng = mulberry32(seed);
  const specs: EngagementSpec[] = [];
  for (let i = 0; i < count; i++) {
    const topicWords = Array.from({ length: 30 }, () => pick(rng, rng() < 0.9 ? DOMAIN : RARE));
    specs.push({
      client: pick(rng, CLIENTS),
      codename: `${CODENAMES[i % CODENAMES.length]}-${String(Math.floor(i / CODENAMES.length) + 1)}`,
      site: pick(rng, SITES),
      topicWords,
      topicTags: Array.from({ length: 6 }, () => pick(rng, TAGS)),
    });
  }
  return specs;
}

export interface GeneratedNote {
  engagement: number;
  type: NoteType;
  title: string;
  tags: string[];
  classification: string;
  markdown: string;
  words: number;
}

/** How the notes projection counts words (shared/notes/doc.ts bodyFacts). */
const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/** Writes one note's Markdown, counting words as it goes. */
class Writer {
  private parts: string[] = [];
  words = 0;
  constructor(
    private readonly rng: Rng,
    private readonly topic: EngagementSpec,
  ) {}

  word(): string {
    const r = this.rng();
    if (r < 0.15) return pick(this.rng, this.topic.topicWords);
    if (r < 0.25) return phrases.sample(this.rng);
    if (r < 0.255) return identifier(identifierRanks.sample(this.rng)).toUpperCase();
    return words.sample(this.rng);
  }

  sentence(min = 6, max = 20): string {
    const n = between(this.rng, min, max);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = this.word();
      const r = this.rng();
      if (r < 0.015) w = `\`${w.replace(/ /g, '_')}\``;
      else if (r < 0.025) w = `**${w}**`;
      out.push(w);
    }
    const text = out.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}${this.rng() < 0.1 ? '?' : '.'}`;
  }

  paragraph(): void {
    const n = between(this.rng, 2, 6);
    this.push(Array.from({ length: n }, () => this.sentence()).join(' '));
  }

  list(): void {
    const task = this.rng() < 0.35;
    const n = between(this.rng, 3, 7);
    const items = Array.from({ length: n }, () => {
      const prefix = task ? (this.rng() < 0.4 ? '- [x] ' : '- [ ] ') : '- ';
      return `${prefix}${this.sentence(3, 12)}`;
    });
    this.push(items.join('\n'));
  }

  table(): void {
    const rows = between(this.rng, 3, 8);
    const lines = ['| System | Endpoint | Owner | Status |', '| --- | --- | --- | --- |'];
    for (let i = 0; i < rows; i++) {
      const cells = [
        pick(this.rng, DOMAIN),
        `${pick(this.rng, RARE)}:${between(this.rng, 1000, 9999)}`,
        pick(this.rng, NAMES),
        this.sentence(2, 5),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
    this.push(lines.join('\n'));
  }

  code(): void {
    const kind = pick(this.rng, ['sql', 'bash', 'yaml', 'json', 'python', 'text'] as const);
    const w = () => words.sample(this.rng).replace(/[^a-z0-9]/gi, '_');
    const lines: string[] = [];
    const n = between(this.rng, 3, 14);
    for (let i = 0; i < n; i++) {
      switch (kind) {
        case 'sql':
          lines.push(
            `SELECT ${w()}, ${w()} FROM ${pick(this.rng, ['VBAK', 'VBAP', 'LIKP', 'MARA', 'EKPO', 'stg_orders'])} WHERE ${w()} = '${w()}';`,
          );
          break;
        case 'bash':
          lines.push(`ssh ${pick(this.rng, RARE)} 'sudo systemctl restart ${w()} && tail -n 200 /var/log/${w()}.log'`);
          break;
        case 'yaml':
          lines.push(`${w()}:\n  host: ${pick(this.rng, RARE)}\n  timeout_s: ${between(this.rng, 5, 120)}`);
          break;
        case 'json':
          lines.push(`{"${w()}": "${w()}", "qty": ${between(this.rng, 1, 500)}, "sku": "SKU-${between(this.rng, 10000, 99999)}"}`);
          break;
        case 'python':
          lines.push(`df["${w()}"] = df["${w()}"].rolling(${between(this.rng, 3, 30)}).mean()  # ${w()} ${w()}`);
          break;
        default:
          lines.push(
            `2026-0${between(this.rng, 1, 9)}-1${between(this.rng, 0, 9)}T0${between(this.rng, 0, 9)}:${between(this.rng, 10, 59)}:${between(this.rng, 10, 59)}Z ${pick(this.rng, ['WARN', 'ERROR', 'INFO'])} ${w()}: ${pick(this.rng, RARE)} ${w()} ${w()}`,
          );
      }
    }
    this.push(`\`\`\`${kind}\n${lines.join('\n')}\n\`\`\``);
  }

  heading(text: string, level = 2): void {
    this.push(`${'#'.repeat(level)} ${text}`);
  }

  raw(text: string): void {
    this.push(text);
  }

  /** Adds a block, counting its words as the notes projection will (without Markdown markup). */
  private push(markdown: string): void {
    const text = markdown
      .replace(/^```.*$/gm, '')
      .replace(/^(#+|- \[[ x]\]|-) /gm, '')
      .replace(/\*\*|`|\|/g, ' ');
    this.words += text.match(WORD)?.length ?? 0;
    this.parts.push(markdown);
  }

  toString(): string {
    return `${this.parts.join('\n\n')}\n`;
  }
}

function titleFor(rng: Rng, type: NoteType, spec: EngagementSpec, index: number): string {
  const day = `2026-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`;
  const phrase = phrases.sample(rng);
  const thing = pick(rng, spec.topicWords);
  switch (type) {
    case 'field-log':
      return `Field log ${day}`;
    case 'incident':
      return `Incident: ${phrase} on ${thing} at ${spec.site}`;
    case 'decision':
      return `Decision: ${phrase} for ${thing}`;
    case 'integration-contract':
      return `Integration: ${pick(rng, DOMAIN)} ↔ ${thing}`;
    case 'meeting':
      return `Meeting with ${spec.client} about ${phrase}`;
    case 'runbook':
      return `Runbook: ${phrase} (${thing})`;
    default:
      return `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)} and ${thing}`;
  }
}

/** Log-normal word counts: median ≈ 490 words, mean ≈ 880, a tail of notes of tens of thousands. */
function targetWords(rng: Rng): number {
  return Math.min(40_000, Math.max(25, Math.round(Math.exp(Math.log(490) + 1.08 * gaussian(rng)))));
}

/** Note `index` of the corpus: the same for the same (seed, index, engagements) on every run. */
export function generateNote(index: number, specs: EngagementSpec[], seed = 42): GeneratedNote {
  const rng = mulberry32((seed * 2654435761) ^ Math.imul(index + 1, 0x9e3779b1));
  // Some engagements are busier than others.
  const engagement = Math.min(specs.length - 1, Math.floor(specs.length * rng() ** 1.4));
  const spec = specs[engagement] as EngagementSpec;
  const type = weighted(rng, NOTE_TYPE_WEIGHTS);
  const w = new Writer(rng, spec);
  const target = targetWords(rng);
  const sections = SECTIONS[type];
  const withCode = rng() < (type === 'runbook' || type === 'incident' || type === 'integration-contract' ? 0.6 : 0.15);
  const withTable = rng() < (type === 'integration-contract' ? 0.7 : 0.05);
  let s = 0;
  while (w.words < target) {
    w.heading(sections[s % sections.length] as string);
    s++;
    const blocks = between(rng, 1, 4);
    for (let b = 0; b < blocks && w.words < target; b++) {
      const r = rng();
      if (withCode && r < 0.15) w.code();
      else if (withTable && r < 0.22) w.table();
      else if (r < 0.45) w.list();
      else w.paragraph();
    }
  }
  const tagCount = Math.floor(rng() * 5);
  const tags = new Set<string>();
  for (let i = 0; i < tagCount; i++) tags.add(rng() < 0.5 ? pick(rng, spec.topicTags) : tagZipf.sample(rng));
  return {
    engagement,
    type,
    title: titleFor(rng, type, spec, index),
    tags: [...tags],
    classification: weighted(rng, CLASSIFICATION_WEIGHTS),
    markdown: w.toString(),
    words: w.words,
  };
}

/** The closing paragraph of the long note: what the UI bench waits for. */
export const LONG_NOTE_MARKER = 'LASTPARAGRAPH';
export const LONG_NOTE_LAST_LINE = `Handed the line over to the night shift; checksum QX7 ${LONG_NOTE_MARKER} confirmed.`;

/** A long field log of about `wordCount` words: short timestamped paragraphs, as typed on site. */
export function generateLongNote(spec: EngagementSpec, wordCount: number, seed = 99): GeneratedNote {
  const rng = mulberry32(seed);
  const w = new Writer(rng, spec);
  let hour = 0;
  let nextHeading = 0;
  while (w.words < wordCount - 40) {
    if (w.words >= nextHeading) {
      w.heading(`Shift ${hour + 1}`);
      nextHeading += 2000;
    }
    const time = `${String(6 + (hour % 14)).padStart(2, '0')}:${String(between(rng, 0, 59)).padStart(2, '0')}`;
    const r = rng();
    if (r < 0.1) w.list();
    else if (r < 0.13) w.code();
    else w.raw(`${time} — ${w.sentence(10, 30)} ${w.sentence(10, 30)}`);
    if (rng() < 0.02) hour++;
  }
  w.raw(LONG_NOTE_LAST_LINE);
  return {
    engagement: 0,
    type: 'field-log',
    title: 'Field log: go-live week, all shifts',
    tags: ['cutover', 'wms', 'handover'],
    classification: 'CUI',
    markdown: w.toString(),
    words: w.words,
  };
}

const WORDS =
  'the scanner dropped its session again after the firmware update and the wave release stalled for twelve minutes while the erp api answered slowly'.split(
    ' ',
  );

/** One edit as a person makes it: a few words typed somewhere, or a few characters deleted. */
export function typingEdit(doc: Y.Doc, rng: () => number): void {
  const texts: Y.XmlText[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) texts.push(child);
      else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(noteBody(doc));
  const text = texts[Math.floor(rng() * texts.length)];
  if (!text) return;
  doc.transact(() => {
    if (rng() < 0.15 && text.length > 10) {
      const at = Math.floor(rng() * (text.length - 5));
      text.delete(at, 1 + Math.floor(rng() * 4));
    } else {
      const words = Array.from({ length: 1 + Math.floor(rng() * 5) }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' ');
      text.insert(Math.floor(rng() * (text.length + 1)), ` ${words}`);
    }
  });
}
