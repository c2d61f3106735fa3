import { createHistoryService, decodeCursor, encodeCursor } from './history-service.js';
import type { ImageRecord } from './ports.js';
import { InMemoryImageStore, InMemoryRecordStore, steppingClock } from './test-doubles.js';
import { thrownBy } from '../models/test-fixtures.js';

function record(id: string, createdAt: string, userId = 'me'): ImageRecord {
  return {
    id,
    kind: 'generation',
    route: 'POST /generate',
    userId,
    model: 'm',
    prompt: `prompt ${id}`,
    parameters: {},
    outputKeys: [`users/${userId}/generated/${id}/0.png`],
    outputSeeds: [1],
    status: 'succeeded',
    createdAt,
    updatedAt: createdAt,
  };
}

function setup() {
  const images = new InMemoryImageStore();
  const records = new InMemoryRecordStore();
  for (const [index, id] of ['a', 'b', 'c', 'd', 'e'].entries()) {
    records.records.set(id, record(id, `2026-01-0${index + 1}T00:00:00.000Z`));
  }
  records.records.set('theirs', record('theirs', '2026-01-09T00:00:00.000Z', 'other'));
  const service = createHistoryService({
    images,
    records,
    clock: steppingClock(),
    urlExpirySeconds: 60,
  });
  return { images, records, service };
}

describe('history service: records left pending by a crash', () => {
  const NOW = '2026-01-02T03:04:05.000Z';
  function pendingRecord(id: string, deadlineAt?: string): ImageRecord {
    return {
      ...record(id, '2026-01-02T03:00:00.000Z'),
      outputKeys: [],
      status: 'pending',
      ...(deadlineAt ? { deadlineAt } : {}),
    };
  }

  function serviceWith(...pending: ImageRecord[]) {
    const records = new InMemoryRecordStore();
    for (const item of pending) records.records.set(item.id, item);
    const service = createHistoryService({
      images: new InMemoryImageStore(),
      records,
      clock: steppingClock(NOW),
      urlExpirySeconds: 60,
    });
    return { records, service };
  }

  it('reads a pending record past its deadline as failed, and writes it so', async () => {
    const { records, service } = serviceWith(
      pendingRecord('dead', '2026-01-02T03:01:00.000Z'),
      pendingRecord('running', '2026-01-02T03:10:00.000Z'),
    );
    const page = await service.list('me', { limit: 10 });
    const byId = Object.fromEntries(page.items.map((item) => [item.id, item]));
    expect(byId.dead).toMatchObject({ status: 'failed', errorCode: 'MODEL_TIMEOUT' });
    expect(byId.running).toMatchObject({ status: 'pending' });
    expect(records.records.get('dead')).toMatchObject({ status: 'failed', updatedAt: NOW });
    expect(records.records.get('running')?.status).toBe('pending');
  });

  it('gives records written before deadlines existed 15 minutes', async () => {
    const { service } = serviceWith({
      ...pendingRecord('old'),
      createdAt: '2026-01-02T02:49:00.000Z',
    });
    const [item] = (await service.list('me', { limit: 10 })).items;
    expect(item).toMatchObject({ id: 'old', status: 'failed' });
  });

  it('keeps what the function wrote when it finished just before the reader', async () => {
    const { records, service } = serviceWith(pendingRecord('late', '2026-01-02T03:01:00.000Z'));
    // The function finishes between the reader's query and its conditional write.
    const failIfUnchanged = records.failIfUnchanged.bind(records);
    records.failIfUnchanged = async (id, seen, outcome) => {
      await records.finish(id, {
        status: 'succeeded',
        outputKeys: ['users/me/generated/late/0.png'],
        outputSeeds: [1],
        updatedAt: '2026-01-02T03:04:04.000Z',
        durationMs: 1,
        modelMs: 1,
      });
      return failIfUnchanged(id, seen, outcome);
    };
    const [item] = (await service.list('me', { limit: 10 })).items;
    expect(item).toMatchObject({ id: 'late', status: 'succeeded' });
  });
});

describe('history service', () => {
  it('walks all of the caller’s records newest first, page by page', async () => {
    const { service } = setup();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;

    do {
      const page = await service.list('me', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(pages).toBe(3);
  });

  it('signs every output on each listing', async () => {
    const { service } = setup();

    const first = await service.list('me', { limit: 1 });
    const again = await service.list('me', { limit: 1 });

    expect(first.items[0]?.images[0]).toMatchObject({ key: 'users/me/generated/e/0.png', seed: 1 });
    expect(again.items[0]?.images[0]?.url).not.toBe(first.items[0]?.images[0]?.url);
  });

  it('rejects cursors that are garbage or belong to someone else', () => {
    const theirs = encodeCursor({ id: 'x', userId: 'other', createdAt: '2026-01-01' });

    expect(thrownBy(() => decodeCursor('!!!', 'me'))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(
      thrownBy(() => decodeCursor(Buffer.from('{"id":1}').toString('base64url'), 'me')),
    ).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(thrownBy(() => decodeCursor(theirs, 'me'))).toMatchObject({ status: 400 });
  });

  it('deletes a record’s outputs and mask but not its input upload', async () => {
    const { service, images, records } = setup();
    records.records.set('edit', {
      ...record('edit', '2026-01-07T00:00:00.000Z'),
      kind: 'edit',
      inputKey: 'users/me/uploads/u1',
      maskKey: 'users/me/edits/edit/mask.png',
    });

    await service.remove('me', 'edit');

    expect(images.deleted.sort()).toEqual([
      'users/me/edits/edit/mask.png',
      'users/me/generated/edit/0.png',
    ]);
    expect(records.records.has('edit')).toBe(false);
  });

  it('answers NOT_FOUND for someone else’s record and leaves it alone', async () => {
    const { service, images, records } = setup();

    await expect(service.remove('me', 'theirs')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(images.deleted).toEqual([]);
    expect(records.records.has('theirs')).toBe(true);
  });
});
