// The issue-#3 document endpoints driven by the official supermemory@4.25.4 SDK: documents.batchAdd, uploadFile,
// update, delete, deleteBulk, list (with filters) and listProcessing. These assert acceptance and response shapes
// only; the memory-writer pipeline is checked by documents.test.mjs, so nothing here waits for `done`.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { toFile } from 'supermemory';
import { Supermemory, ALL_DOCUMENT_STATUSES, connect, newContainerTag } from '../lib/stack.mjs';

const TEST_TIMEOUT_MS = 60_000;

function assertAccepted(response, what) {
  assert.ok(response && typeof response === 'object', `${what}: expected an object, got ${JSON.stringify(response)}`);
  assert.equal(typeof response.id, 'string', `${what}: id must be a string; got ${JSON.stringify(response)}`);
  assert.ok(response.id.length > 0, `${what}: id must not be empty`);
  assert.ok(
    ALL_DOCUMENT_STATUSES.includes(response.status),
    `${what}: status must be a document status, got ${JSON.stringify(response.status)}`,
  );
}

async function assertRejects(promise, ErrorClass, what) {
  await assert.rejects(promise, (err) => {
    assert.ok(
      err instanceof ErrorClass,
      `${what}: expected ${ErrorClass.name}, got ${err?.constructor?.name} ${err?.status}: ${err?.message}`,
    );
    assert.equal(typeof err.error?.error, 'string', `${what}: body.error must be a string; got ${JSON.stringify(err.error)}`);
    assert.equal(typeof err.error?.details, 'string', `${what}: body.details must be a string; got ${JSON.stringify(err.error)}`);
    return true;
  });
}

/** documents.get must answer (never 404 for an accepted id) and return the SDK's document shape. */
async function getDocument(client, id) {
  const doc = await client.documents.get(id);
  assert.equal(doc.id, id, `documents.get(${id}): wrong id`);
  assert.ok(ALL_DOCUMENT_STATUSES.includes(doc.status), `documents.get(${id}): unknown status ${doc.status}`);
  assert.ok(Array.isArray(doc.containerTags), `documents.get(${id}): containerTags must be an array`);
  return doc;
}

function unknownId() {
  return `compatmissing${randomBytes(8).toString('hex')}`;
}

describe('documents.batchAdd', () => {
  it('accepts objects and strings with shared fields and reports a bad item in its own result', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('batch');
    const customId = `compat-batch-${randomBytes(4).toString('hex')}`;

    const response = await client.documents.batchAdd({
      containerTag,
      metadata: { source: 'compat', batch: 1 },
      documents: [
        { content: 'Batch item one: the lighthouse keeper paints the door blue.', customId },
        'Batch item two: a plain string document.',
        { content: '', metadata: { bad: true } },
      ],
    });

    assert.ok(Array.isArray(response.results), `batchAdd: results must be an array; got ${JSON.stringify(response)}`);
    assert.equal(response.results.length, 3, 'batchAdd: one result per item');
    assert.equal(response.success, 2, `batchAdd: success count; got ${JSON.stringify(response)}`);
    assert.equal(response.failed, 1, `batchAdd: failed count; got ${JSON.stringify(response)}`);
    assertAccepted(response.results[0], 'batchAdd result 0');
    assertAccepted(response.results[1], 'batchAdd result 1');
    assert.notEqual(response.results[0].id, response.results[1].id, 'batchAdd: items got the same id');
    const bad = response.results[2];
    assert.equal(bad.id, '', `batchAdd: a failed item has an empty id; got ${JSON.stringify(bad)}`);
    assert.equal(bad.status, 'error', `batchAdd: a failed item has status "error"; got ${JSON.stringify(bad)}`);
    assert.equal(typeof bad.error, 'string', 'batchAdd: a failed item has an error');
    assert.match(bad.details, /documents\[2\]\.content/, 'batchAdd: details name the item and field');

    const first = await getDocument(client, response.results[0].id);
    assert.deepEqual(first.containerTags, [containerTag]);
    assert.equal(first.customId, customId);
    assert.deepEqual(first.metadata, { source: 'compat', batch: 1 });
    const second = await getDocument(client, response.results[1].id);
    assert.equal(second.content, 'Batch item two: a plain string document.');

    // The same customId again updates that document.
    const again = await client.documents.batchAdd({
      containerTag,
      documents: [{ content: 'Batch item one, second version.', customId }],
    });
    assert.equal(again.results[0].id, response.results[0].id, 'batchAdd: a known customId updates the same document');
  });

  it('rejects an empty batch with BadRequestError', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    await assertRejects(client.documents.batchAdd({ documents: [] }), Supermemory.BadRequestError, 'empty batch');
  });
});

describe('documents.uploadFile', () => {
  it('accepts a Markdown file made with toFile, with tag, metadata and path', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('upload');
    const file = await toFile(
      Buffer.from('# Field notes\n\nThe heron returns to the pond every morning at six.\n'),
      'field-notes.md',
      { type: 'text/markdown' },
    );

    const response = await client.documents.uploadFile({
      file,
      containerTag,
      metadata: JSON.stringify({ kind: 'notes', year: 2024 }),
      filepath: '/compat/field-notes.md',
    });

    assertAccepted(response, 'uploadFile');
    const doc = await getDocument(client, response.id);
    assert.deepEqual(doc.containerTags, [containerTag]);
    assert.equal(doc.filepath, '/compat/field-notes.md');
    assert.deepEqual(doc.metadata, { kind: 'notes', year: 2024 });
  });

  it('accepts a global File with the deprecated containerTags JSON string', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('upload_file');
    const file = new File(['name,city\nAda,London\nGrace,Arlington\n'], 'people.csv', { type: 'text/csv' });

    const response = await client.documents.uploadFile({ file, containerTags: JSON.stringify([containerTag, 'other']) });

    assertAccepted(response, 'uploadFile(File)');
    const doc = await getDocument(client, response.id);
    assert.deepEqual(doc.containerTags, [containerTag]);
  });

  it('rejects a file whose bytes are an image with BadRequestError', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const file = await toFile(png, 'not-really-text.txt', { type: 'text/plain' });
    await assertRejects(
      client.documents.uploadFile({ file, containerTag: newContainerTag('upload_png') }),
      Supermemory.BadRequestError,
      'PNG upload',
    );
  });
});

describe('documents.update', () => {
  it('changes metadata in place and content as a new queued revision', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('update');
    const added = await client.documents.add({ content: 'The bakery opens at seven.', containerTag, metadata: { v: 1 } });

    const metadataOnly = await client.documents.update(added.id, { metadata: { v: 2, note: 'changed' } });
    assertAccepted(metadataOnly, 'update(metadata)');
    assert.equal(metadataOnly.id, added.id);
    assert.deepEqual((await getDocument(client, added.id)).metadata, { v: 2, note: 'changed' });

    const newContent = await client.documents.update(added.id, { content: 'The bakery now opens at eight.' });
    assert.equal(newContent.id, added.id);
    assert.equal(newContent.status, 'queued', 'update(content): a new content is queued for processing');
    assert.equal((await getDocument(client, added.id)).content, 'The bakery now opens at eight.');
  });

  it('rejects an unknown id with NotFoundError', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    await assertRejects(client.documents.update(unknownId(), { metadata: { a: 1 } }), Supermemory.NotFoundError, 'update unknown');
  });
});

describe('documents.delete', () => {
  it('deletes by id and by customId; the document is then 404', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('delete');
    const customId = `compat-delete-${randomBytes(4).toString('hex')}`;
    const byId = await client.documents.add({ content: 'Delete me by id.', containerTag });
    const byCustomId = await client.documents.add({ content: 'Delete me by customId.', containerTag, customId });

    // 204 No Content: the SDK resolves to null.
    assert.equal(await client.documents.delete(byId.id), null);
    assert.equal(await client.documents.delete(customId), null);

    await assertRejects(client.documents.get(byId.id), Supermemory.NotFoundError, 'get after delete');
    await assertRejects(client.documents.get(byCustomId.id), Supermemory.NotFoundError, 'get after delete by customId');
  });

  it('rejects an unknown id with NotFoundError', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    await assertRejects(client.documents.delete(unknownId()), Supermemory.NotFoundError, 'delete unknown');
  });
});

describe('documents.deleteBulk', () => {
  it('deletes by ids and reports unknown ids', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('bulk_ids');
    const a = await client.documents.add({ content: 'Bulk a.', containerTag });
    const b = await client.documents.add({ content: 'Bulk b.', containerTag });
    const missing = unknownId();

    const response = await client.documents.deleteBulk({ ids: [a.id, b.id, missing] });

    assert.equal(response.success, true, `deleteBulk(ids): ${JSON.stringify(response)}`);
    assert.equal(response.deletedCount, 2, `deleteBulk(ids): ${JSON.stringify(response)}`);
    assert.ok(Array.isArray(response.errors) && response.errors.length === 1, `deleteBulk(ids): ${JSON.stringify(response)}`);
    assert.equal(response.errors[0].id, missing);
    assert.equal(typeof response.errors[0].error, 'string');
    await assertRejects(client.documents.get(a.id), Supermemory.NotFoundError, 'get after bulk delete');
  });

  it('deletes every document of the given container tags', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('bulk_tags');
    await client.documents.add({ content: 'Tagged one.', containerTag });
    await client.documents.add({ content: 'Tagged two.', containerTag });

    const response = await client.documents.deleteBulk({ containerTags: [containerTag] });

    assert.equal(response.success, true, `deleteBulk(containerTags): ${JSON.stringify(response)}`);
    assert.equal(response.deletedCount, 2, `deleteBulk(containerTags): ${JSON.stringify(response)}`);
    assert.deepEqual(response.containerTags, [containerTag]);
  });

  it('deletes by filepath prefix', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('bulk_path');
    const root = `/compat/${containerTag}`;
    await client.documents.add({ content: 'Under the prefix.', containerTag, filepath: `${root}/docs/a.md` });
    const kept = await client.documents.add({ content: 'Beside the prefix.', containerTag, filepath: `${root}/docs_old/b.md` });

    const response = await client.documents.deleteBulk({ filepath: `${root}/docs/` });

    assert.equal(response.deletedCount, 1, `deleteBulk(filepath): ${JSON.stringify(response)}`);
    await getDocument(client, kept.id);
  });

  it('rejects a request naming no criterion with BadRequestError', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    await assertRejects(client.documents.deleteBulk({}), Supermemory.BadRequestError, 'deleteBulk({})');
  });
});

describe('documents.list', () => {
  it('filters by metadata, pages exactly and includes content on request', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('list');
    const red = await client.documents.add({ content: 'Red one.', containerTag, metadata: { color: 'red', size: 3 } });
    await client.documents.add({ content: 'Blue one.', containerTag, metadata: { color: 'blue', size: 7 } });
    const redBig = await client.documents.add({ content: 'Red big.', containerTag, metadata: { color: 'Red', size: 9 } });

    const filtered = await client.documents.list({
      containerTags: [containerTag],
      filters: {
        AND: [
          { key: 'color', value: 'red', ignoreCase: true },
          { OR: [{ key: 'size', value: '5', filterType: 'numeric', numericOperator: '>' }, { key: 'size', value: '3' }] },
        ],
      },
      sort: 'createdAt',
      order: 'asc',
      includeContent: true,
    });

    assert.ok(Array.isArray(filtered.memories), `list: memories must be an array; got ${JSON.stringify(filtered)}`);
    assert.deepEqual(filtered.memories.map((m) => m.id), [red.id, redBig.id]);
    assert.deepEqual(filtered.pagination, { currentPage: 1, limit: 50, totalItems: 2, totalPages: 1 });
    const memory = filtered.memories[0];
    for (const key of ['id', 'connectionId', 'createdAt', 'customId', 'filepath', 'metadata', 'status', 'summary', 'title', 'type', 'updatedAt']) {
      assert.ok(key in memory, `list: memory lacks ${key}; got ${JSON.stringify(memory)}`);
    }
    assert.equal(memory.content, 'Red one.');
    assert.deepEqual(memory.containerTags, [containerTag]);
    assert.ok(!Number.isNaN(Date.parse(memory.createdAt)), 'list: createdAt must be a date');

    const page = await client.documents.list({ containerTags: [containerTag], limit: '2', page: 2 });
    assert.deepEqual(page.pagination, { currentPage: 2, limit: 2, totalItems: 3, totalPages: 2 });
    assert.deepEqual(page.memories.map((m) => m.id), [red.id], 'list: newest first, so page 2 holds the oldest');
    assert.ok(!('content' in page.memories[0]), 'list: content only with includeContent');
  });

  it('rejects a malformed filter with BadRequestError naming its path', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    await assert.rejects(
      client.documents.list({ filters: { AND: [{ key: 'a', value: '1' }, { key: 'b', value: 'x', filterType: 'numeric' }] } }),
      (err) => {
        assert.ok(err instanceof Supermemory.BadRequestError, `expected BadRequestError, got ${err?.constructor?.name}: ${err?.message}`);
        assert.match(err.error?.details ?? '', /filters\.AND\[1\]\.value/);
        return true;
      },
    );
  });
});

describe('documents.listProcessing', () => {
  it('returns {documents, totalCount} with documents still in the pipeline', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    await client.documents.add({ content: 'Something to process.', containerTag: newContainerTag('processing') });

    const response = await client.documents.listProcessing();

    assert.ok(Array.isArray(response.documents), `listProcessing: documents must be an array; got ${JSON.stringify(response)}`);
    assert.equal(response.totalCount, response.documents.length, 'listProcessing: totalCount counts documents');
    for (const doc of response.documents) {
      assert.equal(typeof doc.id, 'string');
      assert.ok(!Number.isNaN(Date.parse(doc.createdAt)), `listProcessing: createdAt must be a date; got ${doc.createdAt}`);
      assert.ok(
        ['queued', 'extracting', 'chunking', 'embedding', 'indexing'].includes(doc.status),
        `listProcessing: ${doc.id} has status ${doc.status}, which is not in flight`,
      );
    }
  });
});
