/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// The web app's pure modules (mask core, token and file checks) run in node: no DOM needed.
const config: Config = {
  displayName: 'web',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }] },
  testMatch: ['<rootDir>/src/**/*.test.ts'],
};

export default config;
