// The issue-#4 memory endpoints: memories.updateMemory and memories.forget through the official supermemory@4.25.4
// SDK, and the endpoints the SDK does not wrap (POST /v4/memories, /v4/memories/list, /v4/memories/forget-matching,
// /v4/conversations) through raw HTTP, as Supermemory's API documents them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Supermemory, connect, newContainerTag, rawFetch, waitFor } from '../lib/stack.mjs';

const TEST_TIMEOUT_MS = 90_000;

async function createMemories(containerTag, memories) {
  const res = await rawFetch('/v4/memories', { method: 'POST', body: { containerTag, memories } });
  assert.equal(res.status, 201, `POST /v4/memories: expected 201, got ${res.status} ${res.text}`);
  assert.equal(typeof res.json.documentId, 'string', `POST /v4/memories: documentId missing in ${res.text}`);
  assert.equal(res.json.memories.length, memories.length, `POST /v4/memories: wrong count in ${res.text}`);
  return res.json;
}

async function listMemories(containerTag, extra = {}) {
  const res = await rawFetch('/v4/memories/list', { method: 'POST', body: { containerTags: [containerTag], ...extra } });
  assert.equal(res.status, 200, `POST /v4/memories/list: expected 200, got ${res.status} ${res.text}`);
  assert.ok(Array.isArray(res.json.memoryEntries), `list: memoryEntries must be an array: ${res.text}`);
  return res.json;
}

describe('memories', () => {
  it('updateMemory makes a new version and keeps the old one as history', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('mem-update');
    const created = await createMemories(containerTag, [{ content: 'John prefers dark mode', isStatic: true }]);
    const first = created.memories[0];
    assert.equal(first.version, 1);

    const updated = await client.memories.updateMemory({
      containerTag,
      id: first.id,
      newContent: 'John now prefers light mode',
    });
    assert.notEqual(updated.id, first.id, 'a new version has a new id');
    assert.equal(updated.memory, 'John now prefers light mode');
    assert.equal(updated.version, 2);
    assert.equal(updated.parentMemoryId, first.id);
    assert.equal(updated.rootMemoryId, first.id);
    assert.equal(typeof updated.createdAt, 'string');

    const listed = await listMemories(containerTag);
    assert.equal(listed.memoryEntries.length, 1, `only the latest version is listed: ${JSON.stringify(listed)}`);
    const entry = listed.memoryEntries[0];
    assert.equal(entry.id, updated.id);
    assert.equal(entry.isLatest, true);
    assert.deepEqual(
      entry.history.map((h) => [h.id, h.isLatest]),
      [[first.id, false]],
      `the first version is history: ${JSON.stringify(entry.history)}`,
    );
  });

  it('updateMemory finds a memory by its exact content', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('mem-content');
    await createMemories(containerTag, [{ content: 'Ana lives in Paris' }]);

    const updated = await client.memories.updateMemory({
      containerTag,
      content: 'Ana lives in Paris',
      newContent: 'Ana lives in Berlin',
    });
    assert.equal(updated.version, 2);
    assert.equal(updated.memory, 'Ana lives in Berlin');
  });

  it('forget marks a memory forgotten once; again is a conflict; unknown ids are not found', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('mem-forget');
    const created = await createMemories(containerTag, [{ content: 'The user is allergic to peanuts', isStatic: true }]);
    const id = created.memories[0].id;

    const forgotten = await client.memories.forget({ containerTag, id, reason: 'asked to forget' });
    assert.deepEqual(forgotten, { id, forgotten: true });
    await assert.rejects(client.memories.forget({ containerTag, id }), Supermemory.ConflictError);
    await assert.rejects(
      client.memories.forget({ containerTag, id: `missing${randomBytes(6).toString('hex')}` }),
      Supermemory.NotFoundError,
    );
    await assert.rejects(
      client.memories.forget({ containerTag: newContainerTag('mem-other'), id }),
      Supermemory.NotFoundError,
      'a memory of another container tag is not found',
    );

    const listed = await listMemories(containerTag);
    assert.equal(listed.memoryEntries.length, 0, 'a forgotten memory is not listed');
  });

  it('rejects bad input with a reason and stores nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('mem-bad');
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ content: `fact ${i}` }));
    for (const body of [
      { containerTag, memories: tooMany },
      { containerTag, memories: [{ content: '' }] },
      { containerTag: 'bad tag!', memories: [{ content: 'x' }] },
    ]) {
      const res = await rawFetch('/v4/memories', { method: 'POST', body });
      assert.equal(res.status, 400, `expected 400 for ${JSON.stringify(body).slice(0, 80)}: ${res.status} ${res.text}`);
      assert.equal(typeof res.json?.error, 'string');
    }
    await assert.rejects(
      client.memories.updateMemory({ containerTag, id: 'nosuchmemory', newContent: 'x' }),
      Supermemory.NotFoundError,
    );
    const listed = await listMemories(containerTag);
    assert.equal(listed.memoryEntries.length, 0);
  });

  it('forget-matching previews with dryRun and then forgets only what matches', { timeout: TEST_TIMEOUT_MS }, async () => {
    const containerTag = newContainerTag('mem-matching');
    const created = await createMemories(containerTag, [
      { content: 'Maria adopted a golden retriever named Max' },
      { content: 'Maria works as a nurse in Lisbon' },
    ]);
    const dog = created.memories[0].id;

    const preview = await rawFetch('/v4/memories/forget-matching', {
      method: 'POST',
      body: { containerTag, query: 'golden retriever dog Max', threshold: 0.5, dryRun: true },
    });
    assert.equal(preview.status, 200, preview.text);
    assert.equal(preview.json.dryRun, true);
    assert.deepEqual(preview.json.candidates.map((c) => c.id), [dog], `only the dog matches: ${preview.text}`);
    assert.equal((await listMemories(containerTag)).memoryEntries.length, 2, 'a dry run changes nothing');

    const run = await rawFetch('/v4/memories/forget-matching', {
      method: 'POST',
      body: { containerTag, query: 'golden retriever dog Max', threshold: 0.5 },
    });
    assert.equal(run.status, 200, run.text);
    assert.equal(run.json.forgotten, 1, run.text);
    const left = await listMemories(containerTag);
    assert.deepEqual(left.memoryEntries.map((m) => m.memory), ['Maria works as a nurse in Lisbon']);
  });
});

describe('conversations', () => {
  it('stores a conversation as a document and turns it into memories', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('conv');
    const conversationId = `conv-${randomBytes(4).toString('hex')}`;
    const messages = [
      { role: 'user', content: 'Hi! I live in Paris and I work as a pastry chef.', name: 'Ana' },
      { role: 'assistant', content: 'Nice to meet you, Ana!' },
    ];
    const res = await rawFetch('/v4/conversations', {
      method: 'POST',
      body: { conversationId, containerTags: [containerTag], messages },
    });
    assert.ok(res.status === 200 || res.status === 201, `POST /v4/conversations: ${res.status} ${res.text}`);
    const documentId = res.json.id;
    assert.equal(typeof documentId, 'string', res.text);

    await waitFor(
      async () => (await client.documents.get(documentId)).status === 'done',
      { timeoutMs: 60_000, description: `conversation document ${documentId} done` },
    );
    const listed = await waitFor(
      async () => {
        const page = await listMemories(containerTag);
        return page.memoryEntries.some((m) => /Paris/.test(m.memory)) ? page : undefined;
      },
      { timeoutMs: 60_000, description: 'a memory about Paris' },
    );
    const paris = listed.memoryEntries.find((m) => /Paris/.test(m.memory));
    assert.ok(paris.documentIds.includes(documentId), `the memory names its conversation: ${JSON.stringify(paris)}`);
  });
});
