/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// ESM TypeScript through ts-jest, transpile-only: `npm run typecheck` does the type checking once.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
} satisfies Config['projects'] extends (infer P)[] | undefined ? Exclude<P, string> : never;

const config: Config = {
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  // Integration tests start whole stacks and render real PNGs on a 2-core machine.
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{shared,functions,scripts,web}/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
    },
    {
      ...common,
      displayName: 'static',
      testMatch: ['<rootDir>/test/static/**/*.test.ts'],
    },
  ],
};

export default config;
