import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, type Stack, type StackOptions } from '../../scripts/local/stack.js';

export interface TestStack extends Stack {
  dataDir: string;
  /** Stops the stack and deletes its state. */
  destroy(): Promise<void>;
}

/** A whole local stack on free ports with its own state folder. */
export async function startTestStack(options: Partial<StackOptions> = {}): Promise<TestStack> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'imagegen-it-')));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stack = await startStack({
    ports: { gateway: 0, s3: 0, dynamodb: 0, cognito: 0, bedrock: 0, lambda: 0, bedrockControl: 0 },
    ...options,
    // Function logs and EMF metrics would drown the test output; the functions still run them.
    functionEnv: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...options.functionEnv,
    },
    dataDir,
  });
  return {
    ...stack,
    dataDir,
    destroy: async () => {
      await stack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`Expected JSON, got ${response.status}: ${text.slice(0, 300)}`);
  }
}
