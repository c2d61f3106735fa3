import { buildFunctions } from '../../scripts/build.js';

/** Integration tests run the real bundles, so build them once before any test file starts a stack. */
export default async function globalSetup(): Promise<void> {
  await buildFunctions();
}
