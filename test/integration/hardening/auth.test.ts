/**
 * Who may do what, through the whole local stack: the Cognito authorizer refuses missing, expired,
 * tampered, foreign and wrong-audience tokens with 401, and a signed-in user never reaches another
 * user's records or images (the same 404 as for something that does not exist).
 *
 * Expired and wrong-audience tokens are minted with the pool's own RS256 key, which the Cognito
 * stand-in keeps in `<dataDir>/cognito/signing-key.json` (scripts/local/cognito/tokens.ts): the
 * only thing wrong with each is the one claim under test, and a control token minted the same way
 * is accepted, so a 401 can only come from that claim.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { claimsOf, createSignedInUser, type SignedInUser } from '../cognito-user.js';
import { startTestStack, type TestStack } from '../stack-fixture.js';
import {
  errorAnswer,
  pngOf,
  postJson,
  RecordsTable,
  uploadImage,
  type ImageAnswer,
} from './helpers.js';

type Minter = (claims: JWTPayload) => Promise<string>;

/** Signs `claims` as the local pool does (RS256, the pool's kid), with the pool's own key. */
async function poolMinter(dataDir: string): Promise<Minter> {
  const stored = JSON.parse(
    await readFile(path.join(dataDir, 'cognito', 'signing-key.json'), 'utf8'),
  ) as { kid: string; privateJwk: JWK };
  const key = await importJWK(stored.privateJwk, 'RS256');
  return (claims) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: stored.kid }).sign(key);
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe('authentication and ownership through the local stack', () => {
  let stack: TestStack;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let mint: Minter;
  /** Claims of a real ID token of Alice's, to copy and change one at a time. */
  let aliceClaims: JWTPayload;
  let records: RecordsTable;

  beforeAll(async () => {
    stack = await startTestStack();
    [alice, bob] = await Promise.all([createSignedInUser(stack), createSignedInUser(stack)]);
    mint = await poolMinter(stack.dataDir);
    aliceClaims = claimsOf(alice.idToken);
    records = new RecordsTable(stack);
  });

  afterAll(async () => {
    records?.destroy();
    await stack?.destroy();
  });

  const history = (authorization?: string): Promise<Response> =>
    fetch(`${stack.invokeUrl}/history`, {
      headers: authorization === undefined ? {} : { authorization },
    });

  describe('the Cognito authorizer', () => {
    it('accepts a token minted with the pool key and fresh claims (the control)', async () => {
      const token = await mint({ ...aliceClaims, iat: nowSeconds(), exp: nowSeconds() + 600 });
      expect((await history(token)).status).toBe(200);
    });

    it('accepts the issued token with a Bearer prefix too', async () => {
      expect((await history(`Bearer ${alice.idToken}`)).status).toBe(200);
    });

    type TokenCase = [string, () => Promise<string | undefined>];
    const tokenCases: TokenCase[] = [
      ['no token', () => Promise.resolve(undefined)],
      ['an empty Authorization header', () => Promise.resolve('')],
      ['a token that is not a JWT', () => Promise.resolve('not-a-jwt')],
      [
        'an expired token',
        () => mint({ ...aliceClaims, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }),
      ],
      [
        'a token whose claims were edited after signing',
        () => {
          const [head, , signature] = alice.idToken.split('.');
          const forged = Buffer.from(JSON.stringify({ ...aliceClaims, sub: bob.sub })).toString(
            'base64url',
          );
          return Promise.resolve(`${head}.${forged}.${signature}`);
        },
      ],
      [
        'a token whose signature was changed',
        () => {
          const [head, payload, signature = ''] = alice.idToken.split('.');
          const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
          return Promise.resolve(`${head}.${payload}.${flipped}`);
        },
      ],
      [
        'a token for another app client (wrong audience)',
        () =>
          mint({
            ...aliceClaims,
            aud: 'another0client0id00000000b',
            iat: nowSeconds(),
            exp: nowSeconds() + 600,
          }),
      ],
      [
        'a token from another user pool (wrong issuer)',
        () =>
          mint({
            ...aliceClaims,
            iss: `https://cognito-idp.${stack.config.region}.amazonaws.com/${stack.config.region}_OtherPool`,
            iat: nowSeconds(),
            exp: nowSeconds() + 600,
          }),
      ],
      [
        'an access token instead of an ID token',
        () =>
          mint({
            ...aliceClaims,
            token_use: 'access',
            iat: nowSeconds(),
            exp: nowSeconds() + 600,
          }),
      ],
      [
        'a token signed by someone else’s key under the pool’s key id',
        async () => {
          const { kid } = JSON.parse(
            await readFile(path.join(stack.dataDir, 'cognito', 'signing-key.json'), 'utf8'),
          ) as { kid: string };
          const { privateKey } = await generateKeyPair('RS256');
          return new SignJWT({ ...aliceClaims, iat: nowSeconds(), exp: nowSeconds() + 600 })
            .setProtectedHeader({ alg: 'RS256', kid })
            .sign(privateKey);
        },
      ],
      [
        'an unsigned token (alg none)',
        () => {
          const head = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString(
            'base64url',
          );
          const payload = Buffer.from(JSON.stringify(aliceClaims)).toString('base64url');
          return Promise.resolve(`${head}.${payload}.`);
        },
      ],
    ];

    it.each(tokenCases)('refuses %s on GET /history with 401', async (_name, token) => {
      expect(await errorAnswer(await history(await token()))).toEqual({
        status: 401,
        code: 'UNAUTHORIZED',
        problems: [],
      });
    });

    it.each([
      ['POST', '/uploads', JSON.stringify({ contentType: 'image/png', size: 10 })],
      ['POST', '/edits', JSON.stringify({ imageKey: 'users/x/uploads/y', prompt: 'x' })],
      ['DELETE', '/history/some-id', undefined],
    ])('refuses %s %s without a token with 401', async (method, route, body) => {
      const response = await fetch(`${stack.invokeUrl}${route}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
      });
      expect(await errorAnswer(response)).toEqual({
        status: 401,
        code: 'UNAUTHORIZED',
        problems: [],
      });
    });
  });

  describe("another user's things", () => {
    /** Bob's edit: a record with his userId (generate routes are open, so they record nobody). */
    let bobEdit: ImageAnswer;
    let bobUploadKey: string;

    beforeAll(async () => {
      bobUploadKey = await uploadImage(stack, bob.idToken, pngOf(64, 64));
      const edited = await postJson(
        `${stack.invokeUrl}/edits`,
        {
          imageKey: bobUploadKey,
          prompt: "bob's private lighthouse",
          mask: pngOf(64, 64, (x) => x < 32).toString('base64'),
        },
        { authorization: bob.idToken },
      );
      if (edited.status !== 200) throw new Error(`setup: ${await edited.text()}`);
      bobEdit = (await edited.json()) as ImageAnswer;
    });

    it('deleting his history item answers 404, and the item and its image stay', async () => {
      const response = await fetch(`${stack.invokeUrl}/history/${bobEdit.id}`, {
        method: 'DELETE',
        headers: { authorization: alice.idToken },
      });
      expect(await errorAnswer(response)).toEqual({
        status: 404,
        code: 'NOT_FOUND',
        problems: [],
      });
      const stored = (await records.scan()).find((record) => record.id === bobEdit.id);
      expect(stored).toMatchObject({ userId: bob.sub, status: 'succeeded' });
      expect((await fetch(bobEdit.image_url)).status).toBe(200);
    });

    it.each([
      ['his upload', () => bobUploadKey],
      ['his edited image', () => bobEdit.images[0]?.key ?? ''],
    ])('editing %s answers 404, like a key that does not exist', async (_name, key) => {
      const body = {
        imageKey: key(),
        prompt: 'make it mine',
        mask: pngOf(64, 64, (x) => x < 32).toString('base64'),
      };
      const foreign = await postJson(`${stack.invokeUrl}/edits`, body, {
        authorization: alice.idToken,
      });
      expect(await errorAnswer(foreign)).toEqual({
        status: 404,
        code: 'NOT_FOUND',
        problems: [],
      });
    });

    it('his history item is listed for him and never for her', async () => {
      const idsFor = async (user: SignedInUser): Promise<string[]> => {
        const response = await history(user.idToken);
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: { id: string }[] };
        return page.items.map((item) => item.id);
      };
      expect(await idsFor(bob)).toContain(bobEdit.id);
      expect(await idsFor(alice)).not.toContain(bobEdit.id);
    });

    it('an anonymous generation belongs to nobody: deleting it answers 404', async () => {
      const anonymous = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'nobody owns this',
        model: 'amazon.nova-canvas-v1:0',
      });
      expect(anonymous.status).toBe(200);
      const { id } = (await anonymous.json()) as ImageAnswer;
      const response = await fetch(`${stack.invokeUrl}/history/${id}`, {
        method: 'DELETE',
        headers: { authorization: alice.idToken },
      });
      expect(await errorAnswer(response)).toEqual({
        status: 404,
        code: 'NOT_FOUND',
        problems: [],
      });
    });

    describe('his job', () => {
      let bobJobId: string;

      beforeAll(async () => {
        const submitted = await postJson(
          `${stack.invokeUrl}/jobs`,
          { type: 'generate', prompt: "bob's long job", model: 'amazon.nova-canvas-v1:0' },
          { authorization: bob.idToken },
        );
        if (submitted.status !== 202) throw new Error(`setup: ${await submitted.text()}`);
        bobJobId = ((await submitted.json()) as { id: string }).id;
      });

      it('is 404 to her on GET /jobs/{id}, and readable by him', async () => {
        const read = (user: SignedInUser): Promise<Response> =>
          fetch(`${stack.invokeUrl}/jobs/${bobJobId}`, {
            headers: { authorization: user.idToken },
          });
        expect(await errorAnswer(await read(alice))).toEqual({
          status: 404,
          code: 'NOT_FOUND',
          problems: [],
        });
        expect((await read(bob)).status).toBe(200);
      });

      it.each([
        ['her', () => alice],
        ['him', () => bob],
      ])('is no history item: DELETE /history/{job id} by %s answers 404', async (_who, user) => {
        const response = await fetch(`${stack.invokeUrl}/history/${bobJobId}`, {
          method: 'DELETE',
          headers: { authorization: user().idToken },
        });
        expect(await errorAnswer(response)).toEqual({
          status: 404,
          code: 'NOT_FOUND',
          problems: [],
        });
      });
    });

    it('his own delete still works (the 404s were about ownership)', async () => {
      const response = await fetch(`${stack.invokeUrl}/history/${bobEdit.id}`, {
        method: 'DELETE',
        headers: { authorization: bob.idToken },
      });
      expect(response.status).toBe(204);
      expect((await records.scan()).map((record) => record.id)).not.toContain(bobEdit.id);
    });
  });
});
