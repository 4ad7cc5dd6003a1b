// Issue #7: keys and organisations through the official supermemory@4.25.4 SDK. A client built with a scoped key
// (made with POST /v3/auth/scoped-key, which the SDK does not wrap) is held to its container tag; a revoked key is
// refused; a key over its rate limit gets 429 with Retry-After; two organisations using the same container tag never
// see each other's documents.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, newContainerTag, rawFetch, waitFor } from '../lib/stack.mjs';

const TEST_TIMEOUT_MS = 120_000;

async function scopedKey(body) {
  const res = await rawFetch('/v3/auth/scoped-key', { method: 'POST', body });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

async function statusOf(promise) {
  try {
    await promise;
    return 200;
  } catch (err) {
    return err.status;
  }
}

async function done(client, id) {
  await waitFor(async () => (await client.documents.get(id)).status === 'done', {
    timeoutMs: 60_000,
    description: `document ${id} done`,
  });
}

describe('keys and organisations', () => {
  it('an SDK client with a scoped key is auto-scoped, held to its tag, and refused once revoked', { timeout: TEST_TIMEOUT_MS }, async () => {
    const containerTag = newContainerTag('scoped');
    const other = newContainerTag('scoped-other');
    const created = await scopedKey({ containerTag, name: 'compat widget', expiresInDays: 1 });
    assert.match(created.key, /^em_[A-Za-z0-9]{43}$/);
    assert.equal(created.containerTag, containerTag);
    assert.ok(created.allowedEndpoints.includes('/v4/search'));

    const admin = await connect();
    const foreign = await admin.add({ content: 'The lighthouse keeper paints boats every Tuesday.', containerTag: other });
    const scoped = await connect({ apiKey: created.key, maxRetries: 0 });

    const { id } = await scoped.add({ content: 'The lighthouse keeper collects sea glass every Tuesday.' });
    assert.deepEqual((await scoped.documents.get(id)).containerTags, [containerTag], 'no tag given: the key\'s own');
    await done(scoped, id);
    await done(admin, foreign.id);

    const found = await scoped.search.documents({ q: 'what does the lighthouse keeper do on Tuesdays' });
    assert.ok(found.results.some((r) => r.documentId === id), JSON.stringify(found.results));
    assert.ok(!found.results.some((r) => r.documentId === foreign.id), 'another tag never shows to a scoped key');
    const listed = await scoped.documents.list({});
    assert.deepEqual(listed.memories.map((m) => m.id), [id]);

    assert.equal(await statusOf(scoped.add({ content: 'x', containerTag: other })), 403);
    assert.equal(await statusOf(scoped.search.documents({ q: 'lighthouse', containerTags: [other] })), 403);
    assert.equal(await statusOf(scoped.documents.get(foreign.id)), 404, 'a document of another tag does not exist for it');

    const revoked = await rawFetch(`/v3/auth/scoped-key/${created.id}`, { method: 'DELETE' });
    assert.equal(revoked.status, 200, revoked.text);
    await waitFor(async () => (await statusOf(scoped.search.documents({ q: 'lighthouse' }))) === 401, {
      timeoutMs: 20_000,
      description: 'the revoked key refused by search-service (it caches keys for up to 10 s)',
    });
    assert.equal(await statusOf(scoped.documents.get(id)), 401, 'refused at once where it was revoked');
  });

  it('a key over its rate limit gets 429 with Retry-After', { timeout: TEST_TIMEOUT_MS }, async () => {
    const created = await scopedKey({ containerTag: newContainerTag('limited'), rateLimitMax: 2, rateLimitTimeWindow: 600_000 });
    for (let i = 0; i < 2; i++) {
      const ok = await rawFetch('/v3/documents/processing', { apiKey: created.key });
      assert.equal(ok.status, 200, ok.text);
    }
    const refused = await rawFetch('/v3/documents/processing', { apiKey: created.key });
    assert.equal(refused.status, 429, refused.text);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 600, `Retry-After ${retryAfter}`);
    assert.equal(refused.json.retryAfterSeconds, retryAfter);
  });

  it('two organisations using the same container tag never see each other\'s documents', { timeout: TEST_TIMEOUT_MS }, async () => {
    const containerTag = newContainerTag('two-orgs');
    const org = await rawFetch('/v3/orgs', { method: 'POST', body: { name: `compat ${containerTag}` } });
    assert.equal(org.status, 200, org.text);
    const ours = await connect();
    const theirs = await connect({ apiKey: org.json.key });

    const mine = await ours.add({ content: 'Our pilot lands the seaplane at dawn.', containerTag });
    const yours = await theirs.add({ content: 'Their pilot lands the seaplane at dusk.', containerTag });
    await done(ours, mine.id);
    await done(theirs, yours.id);

    const q = 'when does the pilot land the seaplane';
    const oursFound = await ours.search.documents({ q, containerTags: [containerTag] });
    const theirsFound = await theirs.search.documents({ q, containerTags: [containerTag] });
    assert.deepEqual(oursFound.results.map((r) => r.documentId), [mine.id]);
    assert.deepEqual(theirsFound.results.map((r) => r.documentId), [yours.id]);
    assert.equal(await statusOf(theirs.documents.get(mine.id)), 404);
    assert.deepEqual((await theirs.documents.list({ containerTags: [containerTag] })).memories.map((m) => m.id), [yours.id]);
  });
});
