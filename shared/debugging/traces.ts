import {
  DOTNET_FRAME,
  DOTNET_HEADER,
  GO_FUNC,
  GO_GOROUTINE,
  GO_PANIC,
  JAVA_FRAME,
  JAVA_HEADER,
  type LogKind,
  NODE_FRAME,
  NODE_HEADER,
  PYTHON_FINAL,
  PYTHON_FRAME,
} from './kinds';

/** What a stack trace says: the exception (the root cause where the trace chains them), its message, its top frames. */
export interface TraceFacts {
  exceptionType: string;
  message: string;
  /** Innermost first, line numbers dropped (they move with every build). */
  frames: string[];
}

/** Frames kept in a signature: enough to tell call sites apart, few enough that refactors far up the stack do not split groups. */
export const TOP_FRAMES = 5;

const basename = (path: string) => path.split(/[\\/]/).pop() ?? path;

interface Section {
  type: string;
  message: string;
  frames: string[];
}

function javaLike(lines: readonly string[], header: RegExp, frame: RegExp, frameName: (m: RegExpMatchArray) => string): TraceFacts | null {
  const sections: Section[] = [];
  for (const raw of lines) {
    const f = raw.match(frame);
    if (f && /^\s/.test(raw)) {
      sections.at(-1)?.frames.push(frameName(f));
      continue;
    }
    const h = raw.trim().match(header);
    if (h?.[1]) sections.push({ type: h[1], message: (h[2] ?? '').trim(), frames: [] });
  }
  if (!sections.length) return null;
  // The root cause is the last "Caused by" / inner exception; a cause printed with only
  // "... N more" shares its frames with the exception above it.
  const root = sections.at(-1) as Section;
  const frames = root.frames.length ? root.frames : (sections.find((s) => s.frames.length)?.frames ?? []);
  return { exceptionType: root.type, message: root.message, frames: frames.slice(0, TOP_FRAMES) };
}

function python(lines: readonly string[]): TraceFacts | null {
  const frames: string[] = [];
  let final: RegExpMatchArray | null = null;
  for (const raw of lines) {
    const f = raw.match(PYTHON_FRAME);
    if (f) {
      frames.push(`${basename(f[1] ?? '')}:${f[2] ?? ''}`);
      continue;
    }
    if (/^\S/.test(raw)) {
      if (/^Traceback \(most recent call last\)/.test(raw)) frames.length = 0;
      const m = raw.match(PYTHON_FINAL);
      if (m) final = m;
    }
  }
  if (!final?.[1]) return null;
  return { exceptionType: final[1], message: (final[2] ?? '').trim(), frames: frames.reverse().slice(0, TOP_FRAMES) };
}

function go(lines: readonly string[]): TraceFacts | null {
  let panic: string | null = null;
  let inGoroutine = false;
  const frames: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (panic === null) {
      const p = line.match(GO_PANIC);
      if (p) panic = (p[1] ?? '').trim();
    }
    if (GO_GOROUTINE.test(line)) {
      // Only the first goroutine: the one that panicked.
      if (inGoroutine) break;
      inGoroutine = true;
      continue;
    }
    if (inGoroutine) {
      const f = line.match(GO_FUNC);
      if (f?.[1] && !f[1].startsWith('runtime.') && !line.startsWith('panic(')) frames.push(f[1]);
    }
  }
  if (panic === null && !frames.length) return null;
  return { exceptionType: 'panic', message: panic ?? '', frames: frames.slice(0, TOP_FRAMES) };
}

/** The facts of a trace of `kind`, or null when its lines hold no exception header. */
export function parseTrace(kind: LogKind, lines: readonly string[]): TraceFacts | null {
  switch (kind) {
    case 'java-trace':
      return javaLike(lines, JAVA_HEADER, JAVA_FRAME, (m) => m[1] ?? '');
    case 'dotnet-trace':
      return javaLike(lines, DOTNET_HEADER, DOTNET_FRAME, (m) => (m[1] ?? '').replace(/`\d+/g, ''));
    case 'node-trace':
      return javaLike(lines, NODE_HEADER, NODE_FRAME, (m) => m[1] ?? basename((m[2] ?? m[3] ?? '').replace(/:\d+:\d+$/, '')));
    case 'python-trace':
      return python(lines);
    case 'go-trace':
      return go(lines);
    default:
      return null;
  }
}
