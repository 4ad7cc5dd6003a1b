// POST /v3/documents and GET /v3/documents/{id}, driven by the official supermemory@4.25.4 SDK and raw HTTP.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  Supermemory,
  ALL_DOCUMENT_STATUSES,
  PIPELINE_STATUSES,
  connect,
  newContainerTag,
  rawFetch,
  waitFor,
} from '../lib/stack.mjs';

const DONE_TIMEOUT_MS = Number.parseInt(process.env.ENGRAM_DONE_TIMEOUT_MS || '60000', 10);

/** Asserts an HTTP error response: the expected status and a JSON body with string `error` and `details`. */
function assertErrorResponse(res, expectedStatus, what) {
  assert.equal(res.status, expectedStatus, `${what}: expected HTTP ${expectedStatus}, got ${res.status}; body: ${res.text}`);
  assert.ok(res.json && typeof res.json === 'object', `${what}: body is not a JSON object: ${res.text}`);
  assert.equal(typeof res.json.error, 'string', `${what}: body.error must be a string; body: ${res.text}`);
  assert.equal(typeof res.json.details, 'string', `${what}: body.details must be a string; body: ${res.text}`);
}

describe('documents', () => {
  it('client.add → documents.get never 404s and status moves forward to done', { timeout: DONE_TIMEOUT_MS + 30_000 }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('lifecycle');
    const content = `Engram compat lifecycle ${containerTag}: the quick brown fox prefers blueberries over apples.`;

    const added = await client.add({ content, containerTag });
    assert.equal(typeof added.id, 'string', `add: id must be a string, got ${JSON.stringify(added)}`);
    assert.ok(added.id.length > 0, 'add: id must be non-empty');
    assert.ok(
      PIPELINE_STATUSES.includes(added.status),
      `add: status must be queued or a later pipeline status, got ${JSON.stringify(added.status)}`,
    );

    const seen = [added.status];
    const final = await waitFor(
      async () => {
        let doc;
        try {
          doc = await client.documents.get(added.id);
        } catch (err) {
          if (err instanceof Supermemory.NotFoundError) {
            assert.fail(`documents.get(${added.id}) returned 404 after add; statuses seen so far: ${seen.join(' → ')}`);
          }
          throw err;
        }
        assert.equal(doc.id, added.id, 'documents.get: id differs from the id add returned');
        assert.ok(ALL_DOCUMENT_STATUSES.includes(doc.status), `documents.get: unknown status ${JSON.stringify(doc.status)}`);
        if (doc.status !== seen[seen.length - 1]) seen.push(doc.status);
        return doc.status === 'done' || doc.status === 'failed' ? doc : undefined;
      },
      { timeoutMs: DONE_TIMEOUT_MS, intervalMs: 200, description: `document ${added.id} reaching done` },
    ).catch((err) => {
      // Re-throw timeouts with the up-to-date status history.
      if (err instanceof Error && err.message.startsWith('waitFor:')) {
        throw new Error(`document ${added.id} not done within ${DONE_TIMEOUT_MS} ms; statuses seen: ${seen.join(' → ')}`);
      }
      throw err;
    });

    assert.equal(final.status, 'done', `document ended ${final.status}; statuses seen: ${seen.join(' → ')}`);

    for (const s of seen) {
      assert.ok(PIPELINE_STATUSES.includes(s), `status ${JSON.stringify(s)} is not a pipeline status; seen: ${seen.join(' → ')}`);
    }
    const order = seen.map((s) => PIPELINE_STATUSES.indexOf(s));
    for (let i = 1; i < order.length; i += 1) {
      assert.ok(order[i] > order[i - 1], `status went backwards (${seen[i - 1]} → ${seen[i]}); seen: ${seen.join(' → ')}`);
    }
  });

  describe('POST /v3/documents rejects bad input', () => {
    it('missing content → 400 {error, details}', async () => {
      await connect();
      const res = await rawFetch('/v3/documents', { method: 'POST', body: { containerTag: newContainerTag('nocontent') } });
      assertErrorResponse(res, 400, 'missing content');
    });

    it('malformed JSON → 400 {error, details}', async () => {
      await connect();
      const res = await rawFetch('/v3/documents', { method: 'POST', body: '{"content": "half a document",' });
      assertErrorResponse(res, 400, 'malformed JSON');
    });

    it('containerTag with illegal characters → 400 {error, details}', async () => {
      await connect();
      const res = await rawFetch('/v3/documents', { method: 'POST', body: { content: 'valid content', containerTag: 'bad tag!' } });
      assertErrorResponse(res, 400, 'containerTag "bad tag!"');
    });

    it('containerTag over 100 characters → 400 {error, details}', async () => {
      await connect();
      const containerTag = 'a'.repeat(101);
      const res = await rawFetch('/v3/documents', { method: 'POST', body: { content: 'valid content', containerTag } });
      assertErrorResponse(res, 400, 'containerTag of 101 chars');
    });

    it('no Authorization header → 401', async () => {
      await connect();
      const res = await rawFetch('/v3/documents', {
        method: 'POST',
        auth: false,
        body: { content: 'valid content', containerTag: newContainerTag('noauth') },
      });
      assert.equal(res.status, 401, `no auth: expected HTTP 401, got ${res.status}; body: ${res.text}`);
    });
  });

  describe('GET /v3/documents/{id} for an unknown id', () => {
    const unknownId = `compatmissing${randomBytes(8).toString('hex')}`;

    it('raw HTTP → 404 {error, details}', async () => {
      await connect();
      const res = await rawFetch(`/v3/documents/${unknownId}`);
      assertErrorResponse(res, 404, `GET /v3/documents/${unknownId}`);
    });

    it('SDK documents.get rejects with NotFoundError', async () => {
      const client = await connect();
      await assert.rejects(client.documents.get(unknownId), (err) => {
        assert.ok(err instanceof Supermemory.NotFoundError, `expected NotFoundError, got ${err?.name}: ${err?.message}`);
        return true;
      });
    });
  });
});
