// Issue #7: organisation settings through the official supermemory@4.25.4 SDK (client.settings.get/update), the
// chunkSize setting changing how a new document is chunked, and the container tag endpoints (which the SDK does not
// wrap) over plain HTTP: list, get, patch, merge with its status, delete. Each test works in an organisation of its own
// (POST /v3/orgs with the stack's bootstrap key), so settings never leak into other tests.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, newContainerTag, rawFetch, waitFor } from '../lib/stack.mjs';

const TEST_TIMEOUT_MS = 180_000;

/** A new organisation: its admin key and an SDK client using it. */
async function newOrg(label) {
  const res = await rawFetch('/v3/orgs', { method: 'POST', body: { name: `compat ${newContainerTag(label)}` } });
  assert.equal(res.status, 200, res.text);
  return { key: res.json.key, orgId: res.json.id, client: await connect({ apiKey: res.json.key }) };
}

async function errorOf(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

async function done(client, id) {
  return waitFor(
    async () => {
      const doc = await client.documents.get(id);
      assert.notEqual(doc.status, 'failed', `document ${id} failed: ${doc.statusReason}`);
      return doc.status === 'done' && doc;
    },
    { timeoutMs: 90_000, description: `document ${id} done` },
  );
}

/** Paragraphs of about 60 tokens each: a 64-token chunk holds about one, the default chunk several. */
function longText(sections) {
  const parts = [];
  for (let s = 1; s <= sections; s += 1) {
    parts.push(`## Section ${s}`);
    for (let p = 1; p <= 3; p += 1) {
      parts.push(
        `Paragraph ${p} of section ${s} describes how the writer turns documents into chunks, embeds every chunk ` +
          'with the model and stores the vectors so that search can find the passage again later on. It adds a ' +
          'second sentence about chunk sizes, overlaps and headings.',
      );
    }
  }
  return parts.join('\n\n');
}

describe('settings', () => {
  it('settings.get answers the defaults and settings.update round-trips, reporting only what changed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { client, orgId } = await newOrg('settings');

    const defaults = await client.settings.get();
    assert.equal(defaults.chunkSize, null);
    assert.equal(defaults.shouldLLMFilter, false);
    assert.equal(defaults.filterPrompt, null);

    const updated = await client.settings.update({
      chunkSize: 128,
      filterPrompt: 'Keep only notes about the product roadmap.',
      includeItems: ['*.md'],
      githubClientSecret: 'compat-secret-value',
    });
    assert.equal(updated.orgId, orgId);
    assert.equal(typeof updated.orgSlug, 'string');
    assert.deepEqual(Object.keys(updated.updated).sort(), ['chunkSize', 'filterPrompt', 'githubClientSecret', 'includeItems']);
    assert.equal(updated.updated.chunkSize, 128);
    assert.equal(updated.updated.githubClientSecret, '***', 'a secret is never answered in clear');
    assert.ok(Array.isArray(updated.warnings) && updated.warnings.some((w) => w.includes('includeItems')), JSON.stringify(updated));

    const read = await client.settings.get();
    assert.equal(read.chunkSize, 128);
    assert.equal(read.filterPrompt, 'Keep only notes about the product roadmap.');
    assert.deepEqual(read.includeItems, ['*.md']);
    assert.equal(read.githubClientSecret, '***');
    assert.ok(!JSON.stringify(read).includes('compat-secret-value'));

    const again = await client.settings.update({ chunkSize: 128 });
    assert.deepEqual(again.updated, {}, 'the same value again changes nothing');
    const reset = await client.settings.update({ chunkSize: null });
    assert.deepEqual(Object.keys(reset.updated), ['chunkSize']);
    assert.equal((await client.settings.get()).chunkSize, null);
  });

  it('a bad setting is a 400 naming it and changes nothing; a scoped key gets 403', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { client, key } = await newOrg('settings-bad');
    await client.settings.update({ chunkSize: 100 });

    const tooBig = await errorOf(client.settings.update({ chunkSize: 100_000, filterPrompt: 'changed' }));
    assert.equal(tooBig.status, 400);
    assert.match(JSON.stringify(tooBig.error), /chunkSize/);
    const wrongType = await errorOf(client.settings.update({ shouldLLMFilter: 'yes' }));
    assert.equal(wrongType.status, 400);
    assert.match(JSON.stringify(wrongType.error), /shouldLLMFilter/);
    const after = await client.settings.get();
    assert.equal(after.chunkSize, 100);
    assert.equal(after.filterPrompt, null);

    const scoped = await rawFetch('/v3/auth/scoped-key', { method: 'POST', apiKey: key, body: { containerTag: newContainerTag('settings-scoped') } });
    assert.equal(scoped.status, 200, scoped.text);
    const scopedClient = await connect({ apiKey: scoped.json.key, maxRetries: 0 });
    assert.equal((await errorOf(scopedClient.settings.get())).status, 403);
    assert.equal((await errorOf(scopedClient.settings.update({ chunkSize: 64 }))).status, 403);
  });

  it('turning the LLM filter on without a prompt is answered with a warning, never silently', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { client } = await newOrg('settings-filter');
    const updated = await client.settings.update({ shouldLLMFilter: true });
    assert.equal(updated.updated.shouldLLMFilter, true);
    assert.ok(
      Array.isArray(updated.warnings) && updated.warnings.some((w) => w.startsWith('shouldLLMFilter')),
      JSON.stringify(updated),
    );
    const read = await client.settings.get();
    assert.ok(read.warnings.some((w) => w.includes('filterPrompt')), JSON.stringify(read));
  });

  it('chunkSize changes how many chunks an organisation\'s new document has', { timeout: TEST_TIMEOUT_MS }, async () => {
    const small = await newOrg('chunks-small');
    const usual = await newOrg('chunks-default');
    await small.client.settings.update({ chunkSize: 64 });
    const containerTag = newContainerTag('chunks');
    const content = longText(4);

    const a = await small.client.add({ content, containerTag });
    const b = await usual.client.add({ content, containerTag });
    const withSetting = await done(small.client, a.id);
    const withDefault = await done(usual.client, b.id);

    assert.ok(
      withSetting.chunkCount > withDefault.chunkCount,
      `chunkSize 64 gave ${withSetting.chunkCount} chunks, the default ${withDefault.chunkCount}`,
    );
  });
});

describe('container tags', () => {
  it('list, get and patch a tag; merge two tags into a third and follow the merge to done; delete a tag', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { client, key } = await newOrg('tags');
    const http = (path, options = {}) => rawFetch(path, { apiKey: key, ...options });
    const first = newContainerTag('tag-a');
    const second = newContainerTag('tag-b');
    const target = newContainerTag('tag-target');

    const a = await client.add({ content: 'The orchard has forty apple trees.', containerTag: first });
    const b1 = await client.add({ content: 'The greenhouse grows basil.', containerTag: second });
    const b2 = await client.add({ content: 'The greenhouse also grows chillies.', containerTag: second });
    for (const { id } of [a, b1, b2]) await done(client, id);

    const list = await http('/v3/container-tags/list?limit=10');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.containerTags.map((t) => t.containerTag).sort(), [first, second].sort());
    assert.equal(list.json.containerTags.find((t) => t.containerTag === second).documentCount, 2);
    assert.equal(list.json.pagination.totalItems, 2);

    const patched = await http(`/v3/container-tags/${first}`, {
      method: 'PATCH',
      body: { name: 'Orchard', entityContext: 'Notes of a fruit farm.' },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json.name, 'Orchard');
    const got = await http(`/v3/container-tags/${first}`);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.containerTag, first);
    assert.equal(got.json.entityContext, 'Notes of a fruit farm.');
    assert.ok(got.json.createdAt && got.json.updatedAt);
    assert.equal((await http(`/v3/container-tags/${first}`, { method: 'PATCH', body: { name: '' } })).status, 400);
    assert.equal((await http(`/v3/container-tags/${newContainerTag('never')}`)).status, 404);

    const merge = await http('/v3/container-tags/merge', {
      method: 'POST',
      body: { containerTags: [first, second], targetContainerTag: target },
    });
    assert.equal(merge.status, 202, merge.text);
    assert.equal(merge.json.success, true);
    assert.equal(merge.json.status, 'queued');
    assert.equal(merge.json.targetTag, target);
    assert.deepEqual(merge.json.sourceTags, [first, second]);

    const status = await waitFor(
      async () => {
        const res = await http(`/v3/container-tags/merge/${merge.json.mergeId}`);
        assert.equal(res.status, 200, res.text);
        assert.ok(['queued', 'running', 'done'].includes(res.json.status), res.text);
        return res.json.status === 'done' && res.json;
      },
      { timeoutMs: 60_000, description: 'merge done' },
    );
    assert.equal(status.documentsMoved, 3);
    assert.equal(status.documentsSkipped, 0);

    for (const { id } of [a, b1, b2]) {
      const doc = await done(client, id); // re-processed under the target tag
      assert.deepEqual(doc.containerTags, [target]);
    }
    const found = await client.search.documents({ q: 'what grows in the greenhouse', containerTags: [target] });
    assert.ok(found.results.some((r) => r.documentId === b1.id), JSON.stringify(found.results));
    assert.equal((await http(`/v3/container-tags/${first}`)).status, 404, 'an emptied source tag is deleted');
    assert.equal((await http(`/v3/container-tags/${target}`)).json.documentCount, 3);

    const deleted = await http(`/v3/container-tags/${target}`, { method: 'DELETE' });
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal(deleted.json.deletedDocuments, 3);
    for (const { id } of [a, b1, b2]) {
      assert.equal((await errorOf(client.documents.get(id))).status, 404);
    }
    assert.equal((await http(`/v3/container-tags/${target}`)).status, 404);
  });

  it('a scoped key cannot list, change, merge or delete container tags', { timeout: TEST_TIMEOUT_MS }, async () => {
    const containerTag = newContainerTag('tags-scoped');
    const scoped = await rawFetch('/v3/auth/scoped-key', { method: 'POST', body: { containerTag } });
    assert.equal(scoped.status, 200, scoped.text);
    const as = (path, options = {}) => rawFetch(path, { apiKey: scoped.json.key, ...options });

    assert.equal((await as('/v3/container-tags/list')).status, 403);
    assert.equal((await as(`/v3/container-tags/${containerTag}`)).status, 403);
    assert.equal((await as(`/v3/container-tags/${containerTag}`, { method: 'PATCH', body: { name: 'x' } })).status, 403);
    assert.equal((await as(`/v3/container-tags/${containerTag}`, { method: 'DELETE' })).status, 403);
    assert.equal(
      (await as('/v3/container-tags/merge', { method: 'POST', body: { containerTags: [containerTag], targetContainerTag: `${containerTag}_x` } })).status,
      403,
    );
  });
});
