import type { ApiClient } from '../api/client.js';
import type { EditRequest, GenerateRequest } from '../api/types.js';

export type Route = 'generate' | 'edit' | 'history';

/** What views may ask of the app shell, so they never import each other. */
export interface AppContext {
  api: ApiClient;
  navigate(route: Route): void;
  /**
   * Opens a picture (by URL) as the edit input: downloaded, then uploaded again via /uploads;
   * `settings` fills the edit form too (a History item).
   */
  openInEditor(source: { url: string; name: string; settings?: EditRequest }): void;
  /** Fills the generate form; `run` submits it straight away. */
  openInGenerator(request: GenerateRequest, run: boolean): void;
  /** Tells history that something new exists, so it reloads when next shown. */
  markHistoryStale(): void;
}
