import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

import { parseApiDefinition, renderOpenApiText } from './openapi.js';

const OPENAPI_PATH = fileURLToPath(new URL('../../../shared/api/openapi.yaml', import.meta.url));
const TEXT = readFileSync(OPENAPI_PATH, 'utf8');
const VALUES = {
  region: 'cn-north-1',
  cors_origin: 'https://app.example.com',
  public_security: '[]',
  user_pool_arn: 'arn:aws-cn:cognito-idp:cn-north-1:000000000000:userpool/cn-north-1_Test',
};

/** Every integration URI of the rendered document (Lambda and others). */
function integrationUris(rendered: string): string[] {
  const document = parseYaml(rendered, { merge: true }) as {
    paths: Record<string, Record<string, { 'x-amazon-apigateway-integration'?: { uri?: string } }>>;
  };
  return Object.values(document.paths).flatMap((operations) =>
    Object.values(operations)
      .map((operation) => operation['x-amazon-apigateway-integration']?.uri)
      .filter((uri): uri is string => typeof uri === 'string'),
  );
}

describe('shared/api/openapi.yaml partition', () => {
  it('never hard-codes the aws partition in an ARN (aws-cn and aws-us-gov accounts exist)', () => {
    const code = TEXT.split('\n').filter((line) => !line.trimStart().startsWith('#'));
    expect(code.filter((line) => /arn:aws[:-]/.test(line))).toEqual([]);
  });

  it('puts the partition placeholder into every Lambda integration URI', () => {
    const uris = integrationUris(renderOpenApiText(TEXT, { ...VALUES, partition: 'aws-cn' }));
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) {
      expect(uri).toMatch(
        /^arn:aws-cn:apigateway:cn-north-1:lambda:path\/2015-03-31\/functions\/arn:aws-cn:lambda:cn-north-1:\d{12}:function:[a-z-]+\/invocations$/,
      );
    }
  });

  it('refuses to render without a partition, as Terraform would', () => {
    expect(() => renderOpenApiText(TEXT, VALUES)).toThrow(/partition/);
  });

  it('still finds each function behind its route in another partition', () => {
    const api = parseApiDefinition(
      parseYaml(renderOpenApiText(TEXT, { ...VALUES, partition: 'aws-us-gov' }), {
        merge: true,
      }) as Record<string, unknown>,
    );
    const generate = api.resources.find((resource) => resource.path === '/generate');
    expect(generate?.operations.get('POST')?.integration.functionName).toBe('generate');
    expect(generate?.operations.get('GET')?.integration.functionName).toBe('generate-query');
  });
});
