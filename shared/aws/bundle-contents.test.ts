/**
 * Each function's bundle carries the SDK clients its builder wires and no others: the point of
 * the per-function runtimes. Bundles with the options of scripts/build.ts that decide what
 * tree-shaking keeps, and reads esbuild's metafile for the packages that made it into the output.
 */
import { build } from 'esbuild';
import path from 'node:path';

import { REPO_ROOT, listFunctions } from '../../scripts/build.js';

/** The packages that matter for size: every client, and the POST-policy signer (~75 KB). */
const WATCHED = [
  '@aws-sdk/client-s3',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-bedrock-runtime',
  '@aws-sdk/client-lambda',
  '@aws-sdk/s3-presigned-post',
] as const;
type Watched = (typeof WATCHED)[number];

const S3 = '@aws-sdk/client-s3';
const DYNAMODB = '@aws-sdk/client-dynamodb';
const BEDROCK = '@aws-sdk/client-bedrock-runtime';
const LAMBDA = '@aws-sdk/client-lambda';
const UPLOAD_SIGNER = '@aws-sdk/s3-presigned-post';

const EXPECTED: Record<string, Watched[]> = {
  edits: [S3, DYNAMODB, BEDROCK],
  generate: [S3, DYNAMODB, BEDROCK],
  'generate-query': [S3, DYNAMODB, BEDROCK],
  history: [S3, DYNAMODB],
  jobs: [S3, DYNAMODB, LAMBDA],
  'job-worker': [S3, DYNAMODB, BEDROCK],
  models: [],
  uploads: [S3, UPLOAD_SIGNER],
};

async function packagesIn(functionName: string): Promise<Watched[]> {
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, 'functions', functionName, 'handler.ts')],
    bundle: true,
    write: false,
    outfile: path.join(REPO_ROOT, 'dist', 'bundle-contents', `${functionName}.mjs`),
    treeShaking: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
  });
  const kept = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
  return WATCHED.filter((name) => kept.some((file) => file.includes(`node_modules/${name}/`)));
}

describe('function bundles', () => {
  it('has an expectation for every function', async () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(await listFunctions());
  });

  it.each(Object.entries(EXPECTED))(
    '%s carries only the clients it uses',
    async (functionName, expected) => {
      expect(await packagesIn(functionName)).toEqual(
        WATCHED.filter((name) => expected.includes(name)),
      );
    },
  );
});
