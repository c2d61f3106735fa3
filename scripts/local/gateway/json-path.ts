/**
 * The JSONPath subset API Gateway mapping uses: `$`, `$.a.b`, `$.list[0]`, `$['key with space']`
 * and `$.list[*].field`. https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings.html
 */
type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' };

function parseSteps(path: string): Step[] {
  const trimmed = path.trim();
  if (!trimmed.startsWith('$')) throw new Error(`JSONPath must start with $: ${path}`);
  const steps: Step[] = [];
  const pattern =
    /\.([^.[\]]+)|\[\s*(\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*\*\s*\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < trimmed.length) {
    const match = pattern.exec(trimmed);
    if (!match) throw new Error(`Unsupported JSONPath: ${path}`);
    if (match[1] === '*') steps.push({ kind: 'all' });
    else if (match[1] !== undefined) steps.push({ kind: 'key', key: match[1] });
    else if (match[2] !== undefined) steps.push({ kind: 'index', index: Number(match[2]) });
    else if (match[3] !== undefined || match[4] !== undefined) {
      steps.push({ kind: 'key', key: (match[3] ?? match[4])! });
    } else steps.push({ kind: 'all' });
  }
  return steps;
}

/** Evaluates `path` against `root`; undefined when nothing is there. */
export function jsonPath(root: unknown, path: string): unknown {
  let current: unknown[] = [root];
  let multiple = false;
  for (const step of parseSteps(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      if (step.kind === 'key') {
        if (Object.hasOwn(value, step.key)) next.push((value as Record<string, unknown>)[step.key]);
      } else if (step.kind === 'index') {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
      } else {
        multiple = true;
        const children: unknown[] = Array.isArray(value)
          ? (value as unknown[])
          : Object.values(value);
        next.push(...children);
      }
    }
    current = next;
  }
  return multiple ? current : current[0];
}
