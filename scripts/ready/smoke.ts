/**
 * The smoke test of a deployed (or local) stack, over HTTP as its users reach it: both generate
 * routes, an admin-created user's first SRP sign-in with a new password, then upload, edit,
 * history, delete and a job. Each step answers ✓/✗ with the reason; a step that needs an earlier
 * one's result says which step it waited for. The user it creates is deleted at the end.
 */
import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { PNG } from 'pngjs';

import { completeNewPassword, signInWithSrp } from '../../web/src/auth/srp-sign-in.js';
import { createUserWithTemporaryPassword, temporaryPassword } from '../cognito-users.js';

export interface SmokeTarget {
  invokeUrl: string;
  /** A client with the deployer's (admin) credentials for AdminCreateUser/AdminDeleteUser. */
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  clientId: string;
  /** How the generate routes are protected (Terraform's generate_auth). */
  generateAuth: 'none' | 'cognito' | 'api_key';
  apiKey?: string;
  /** How long a job may take before the step fails (default 180 s). */
  jobTimeoutMs?: number;
}

export interface StepResult {
  name: string;
  ok: boolean;
  detail: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PROMPT = 'a lighthouse on a cliff at dusk, watercolor';

class StepFailure extends Error {}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text for the message.
  }
  return { status: response.status, headers: response.headers, body };
}

/** "403 FORBIDDEN: message" from an answer, for a ✗ reason. */
function describe(answer: Answer): string {
  const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (error?.code) return shorten(`${answer.status} ${error.code}: ${error.message ?? ''}`.trim());
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? '');
  return shorten(`${answer.status} ${text}`);
}

/** The first sentence (or 160 characters) of a long reason: the table stays readable. */
export function shorten(text: string): string {
  const sentence = /^(.{20,}?[.!?])\s/.exec(text)?.[1] ?? text;
  return sentence.length > 160 ? `${sentence.slice(0, 159)}…` : sentence;
}

function expectStatus(answer: Answer, ...statuses: number[]): void {
  if (!statuses.includes(answer.status)) throw new StepFailure(describe(answer));
}

function field<T>(answer: Answer, name: string): T {
  const value = (answer.body as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || value === null || value === '') {
    throw new StepFailure(`${answer.status} answer without "${name}"`);
  }
  return value as T;
}

/** Fetches an image URL and checks it is a PNG (what every model here returns). */
async function expectImage(url: string): Promise<number> {
  const response = await fetch(url);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) {
    throw new StepFailure(
      `image URL answered ${response.status}: ${bytes.toString('utf8', 0, 200)}`,
    );
  }
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new StepFailure(
      `image URL answered ${response.headers.get('content-type') ?? '?'}, not a PNG`,
    );
  }
  return bytes.length;
}

/** A 512×512 picture with a subject on a plain background, for the upload and the edit. */
export function samplePicture(): Buffer {
  const size = 512;
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const offset = (y * size + x) * 4;
      const inside = (x - 256) ** 2 + (y - 280) ** 2 < 120 ** 2;
      png.data[offset] = inside ? 220 : 90 + (y >> 3);
      png.data[offset + 1] = inside ? 120 : 150;
      png.data[offset + 2] = inside ? 40 : 200 - (x >> 3);
      png.data[offset + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export async function runSmoke(
  target: SmokeTarget,
  onStep: (step: StepResult) => void = () => undefined,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const api = target.invokeUrl.replace(/\/$/, '');
  const state: {
    idToken?: string;
    username?: string;
    uploadKey?: string;
    editId?: string;
    jobId?: string;
  } = {};

  const step = async (
    name: string,
    needs: (keyof typeof state)[],
    run: () => Promise<string>,
  ): Promise<void> => {
    const missing = needs.find((key) => state[key] === undefined);
    let result: StepResult;
    if (missing) {
      const waitedFor: Record<string, string> = {
        idToken: 'first sign-in',
        username: 'user created',
        uploadKey: 'upload',
        editId: 'edit',
        jobId: 'job',
      };
      result = { name, ok: false, detail: `not run: needs "${waitedFor[missing]}"` };
    } else {
      try {
        result = { name, ok: true, detail: await run() };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const prefix =
          error instanceof StepFailure ? '' : `${error instanceof Error ? error.name : 'Error'}: `;
        result = { name, ok: false, detail: prefix + message };
      }
    }
    results.push(result);
    onStep(result);
  };

  const generateHeaders = (): Record<string, string> => {
    if (target.generateAuth === 'api_key' && target.apiKey) return { 'x-api-key': target.apiKey };
    if (target.generateAuth === 'cognito' && state.idToken) return { authorization: state.idToken };
    return {};
  };
  const authHeaders = (): Record<string, string> => ({ authorization: state.idToken ?? '' });
  const generateNeeds: (keyof typeof state)[] =
    target.generateAuth === 'cognito' ? ['idToken'] : [];

  const generateSteps = async (): Promise<void> => {
    await step('POST /generate', generateNeeds, async () => {
      const answer = await call(`${api}/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...generateHeaders() },
        body: JSON.stringify({ prompt: PROMPT }),
      });
      expectStatus(answer, 200);
      const bytes = await expectImage(field<string>(answer, 'image_url'));
      return `${field<string>(answer, 'model')}, PNG of ${bytes} bytes`;
    });
    await step('GET /generate?prompt= (lands on an image)', generateNeeds, async () => {
      const answer = await call(`${api}/generate?prompt=${encodeURIComponent(PROMPT)}`, {
        headers: generateHeaders(),
      });
      expectStatus(answer, 302);
      const location = answer.headers.get('location');
      if (!location) throw new StepFailure('302 without Location');
      const bytes = await expectImage(location);
      return `302 → PNG of ${bytes} bytes`;
    });
  };

  const userSteps = async (): Promise<void> => {
    const email = `ready-${randomBytes(4).toString('hex')}@example.com`;
    const temporary = temporaryPassword();
    await step('user created (AdminCreateUser)', [], async () => {
      const created = await createUserWithTemporaryPassword(target.cognito, {
        userPoolId: target.userPoolId,
        email,
        temporaryPassword: temporary,
      });
      state.username = created.User?.Username ?? email;
      return `${email} (${created.User?.UserStatus ?? 'created'})`;
    });
    await step('first sign-in (SRP, new password)', ['username'], async () => {
      const request = {
        userPoolId: target.userPoolId,
        clientId: target.clientId,
        username: email,
      };
      const first = await signInWithSrp(target.cognito, { ...request, password: temporary });
      if (first.kind !== 'new-password-required') {
        throw new StepFailure('signed in without the first-login password change');
      }
      const chosen = temporaryPassword();
      await completeNewPassword(target.cognito, {
        clientId: target.clientId,
        session: first.session,
        username: first.username,
        newPassword: chosen,
      });
      // Sign in again with the new password, as the user would next time.
      const again = await signInWithSrp(target.cognito, { ...request, password: chosen });
      if (again.kind !== 'signed-in' || !again.result.IdToken) {
        throw new StepFailure('the new password did not sign in');
      }
      state.idToken = again.result.IdToken;
      return 'NEW_PASSWORD_REQUIRED answered, then signed in with the new password';
    });
  };

  if (target.generateAuth === 'cognito') {
    await userSteps();
    await generateSteps();
  } else {
    await generateSteps();
    await userSteps();
  }

  await step('upload (pre-signed POST)', ['idToken'], async () => {
    const picture = samplePicture();
    const answer = await call(`${api}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ contentType: 'image/png', size: picture.length }),
    });
    expectStatus(answer, 200);
    const form = new FormData();
    for (const [name, value] of Object.entries(field<Record<string, string>>(answer, 'fields'))) {
      form.append(name, value);
    }
    form.append('file', new Blob([new Uint8Array(picture)], { type: 'image/png' }), 'picture.png');
    const uploaded = await fetch(field<string>(answer, 'url'), { method: 'POST', body: form });
    if (uploaded.status !== 204 && uploaded.status !== 201 && uploaded.status !== 200) {
      throw new StepFailure(
        `S3 answered ${uploaded.status}: ${(await uploaded.text()).slice(0, 200)}`,
      );
    }
    state.uploadKey = field<string>(answer, 'key');
    return `${picture.length} bytes → ${uploaded.status}`;
  });

  await step('edit (remove-background)', ['uploadKey'], async () => {
    const answer = await call(`${api}/edits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ imageKey: state.uploadKey, operation: 'remove-background' }),
    });
    expectStatus(answer, 200);
    const bytes = await expectImage(field<string>(answer, 'image_url'));
    state.editId = field<string>(answer, 'id');
    return `${field<string>(answer, 'model')}, PNG of ${bytes} bytes`;
  });

  await step('history', ['editId'], async () => {
    const answer = await call(`${api}/history?limit=50`, { headers: authHeaders() });
    expectStatus(answer, 200);
    const items = field<{ id: string }[]>(answer, 'items');
    if (!items.some((item) => item.id === state.editId)) {
      throw new StepFailure(`the edit ${state.editId ?? ''} is not in the ${items.length} items`);
    }
    return `${items.length} item(s), the edit among them`;
  });

  await step('delete', ['editId'], async () => {
    const answer = await call(`${api}/history/${encodeURIComponent(state.editId ?? '')}`, {
      method: 'DELETE',
      headers: authHeaders(),
    });
    expectStatus(answer, 204);
    const after = await call(`${api}/history?limit=50`, { headers: authHeaders() });
    expectStatus(after, 200);
    if (field<{ id: string }[]>(after, 'items').some((item) => item.id === state.editId)) {
      throw new StepFailure('204, but the record is still in history');
    }
    return '204, gone from history';
  });

  await step('job (POST /jobs, poll GET /jobs/{id})', ['idToken'], async () => {
    const started = await call(`${api}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ type: 'generate', prompt: PROMPT }),
    });
    expectStatus(started, 202);
    const id = field<string>(started, 'id');
    state.jobId = id;
    const deadline = Date.now() + (target.jobTimeoutMs ?? 180_000);
    for (;;) {
      const polled = await call(`${api}/jobs/${encodeURIComponent(id)}`, {
        headers: authHeaders(),
      });
      expectStatus(polled, 200);
      const status = field<string>(polled, 'status');
      if (status === 'succeeded') {
        const bytes = await expectImage(field<string>(polled, 'image_url'));
        return `succeeded, PNG of ${bytes} bytes`;
      }
      if (status === 'failed') {
        const error = (polled.body as { error?: { code?: string; message?: string } }).error;
        throw new StepFailure(shorten(`failed: ${error?.code ?? '?'}: ${error?.message ?? ''}`));
      }
      if (Date.now() > deadline)
        throw new StepFailure(`still ${status} after ${(target.jobTimeoutMs ?? 180_000) / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });

  // Leave nothing behind: the job's record and the user (best effort; reported, never failing).
  if (state.jobId && state.idToken) {
    await call(`${api}/history/${encodeURIComponent(state.jobId)}`, {
      method: 'DELETE',
      headers: authHeaders(),
    }).catch(() => undefined);
  }
  if (state.username) {
    await target.cognito
      .send(new AdminDeleteUserCommand({ UserPoolId: target.userPoolId, Username: state.username }))
      .catch((error: unknown) => {
        console.error(
          `Could not delete the smoke-test user ${state.username ?? ''}: ${String(error)}`,
        );
      });
  }
  return results;
}
