/**
 * Captures what Powertools writes to stdout and stderr (log lines, EMF metric blobs) during a test, so
 * tests can assert on logs and metrics and the test output stays quiet.
 */
import { jest } from '@jest/globals';

export interface CapturedOutput {
  /** Every JSON line written so far. */
  lines(): Record<string, unknown>[];
  /** Everything written so far, as one string (for "never contains" checks). */
  text(): string;
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const record = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  // Powertools writes info and metrics to stdout, warnings and errors to stderr.
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record),
    jest.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  const text = () => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

/**
 * captureOutput() around every test of the file: capturing starts before each test and stops
 * after it, so a test reads only its own lines.
 */
export function captureOutputInEachTest(): Omit<CapturedOutput, 'restore'> {
  let current: CapturedOutput | undefined;
  beforeEach(() => {
    current = captureOutput();
  });
  afterEach(() => current?.restore());
  const active = (): CapturedOutput => {
    if (!current) throw new Error('output is captured only while a test runs');
    return current;
  };
  return { lines: () => active().lines(), text: () => active().text() };
}
