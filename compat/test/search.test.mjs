// Issue #5 so far: search.memories (/v4/search) and search.documents (/v3/search) through the official
// supermemory@4.25.4 SDK. The ids search returns must work with memories.updateMemory and memories.forget.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, newContainerTag, rawFetch, waitFor } from '../lib/stack.mjs';

const TEST_TIMEOUT_MS = 90_000;

describe('search', () => {
  it('search.memories finds a memory by meaning, and its id works with updateMemory and forget', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('search-mem');
    const other = newContainerTag('search-other');
    for (const [tag, memories] of [
      [containerTag, [{ content: 'Lena is allergic to shellfish' }, { content: 'Lena plays the violin on Sundays' }]],
      [other, [{ content: 'Omar is allergic to shellfish' }]],
    ]) {
      const res = await rawFetch('/v4/memories', { method: 'POST', body: { containerTag: tag, memories } });
      assert.equal(res.status, 201, res.text);
    }

    const found = await client.search.memories({ q: 'what food allergies does she have', containerTag, threshold: 0.3 });
    assert.ok(Array.isArray(found.results), JSON.stringify(found));
    assert.equal(found.results[0]?.memory, 'Lena is allergic to shellfish', JSON.stringify(found.results));
    assert.ok(!found.results.some((r) => r.memory?.startsWith('Omar')), 'another container tag never shows');
    const id = found.results[0].id;
    assert.equal(typeof found.results[0].similarity, 'number');

    const updated = await client.memories.updateMemory({ containerTag, id, newContent: 'Lena is allergic to shellfish and peanuts' });
    assert.equal(updated.parentMemoryId, id);
    const again = await client.search.memories({ q: 'what food allergies does she have', containerTag, threshold: 0.3 });
    assert.equal(again.results[0]?.id, updated.id, 'only the latest version is found');

    assert.deepEqual(await client.memories.forget({ containerTag, id: updated.id }), { id: updated.id, forgotten: true });
    const after = await client.search.memories({ q: 'what food allergies does she have', containerTag, threshold: 0.3 });
    assert.ok(!after.results.some((r) => r.id === updated.id), 'a forgotten memory is not found');
  });

  it('search.documents finds an indexed document and groups its chunks', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('search-doc');
    const { id } = await client.add({
      content: 'The quarterly report says revenue grew by twelve percent, driven by the new subscription plan.',
      containerTag,
    });
    await waitFor(async () => (await client.documents.get(id)).status === 'done', {
      timeoutMs: 60_000,
      description: `document ${id} done`,
    });

    const found = await client.search.documents({ q: 'how much did revenue grow', containerTags: [containerTag] });
    assert.equal(found.results[0]?.documentId, id, JSON.stringify(found));
    assert.ok(found.results[0].chunks.length >= 1);
    assert.match(found.results[0].chunks[0].content, /twelve percent/);
  });

  it('rejects a search without q with a reason', { timeout: TEST_TIMEOUT_MS }, async () => {
    const res = await rawFetch('/v4/search', { method: 'POST', body: { containerTag: 'x' } });
    assert.equal(res.status, 400, res.text);
    assert.equal(typeof res.json?.error, 'string');
  });
});
