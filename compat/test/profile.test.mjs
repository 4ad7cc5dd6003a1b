// Issue #5: client.profile (/v4/profile) through the official supermemory@4.25.4 SDK. Memories created with
// isStatic: true land in profile.static, the others in profile.dynamic; a brand-new tag has an empty profile.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, newContainerTag, rawFetch } from '../lib/stack.mjs';

const TEST_TIMEOUT_MS = 90_000;

describe('profile', () => {
  it('client.profile splits a tag\'s memories into static and dynamic', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const containerTag = newContainerTag('profile');
    const res = await rawFetch('/v4/memories', {
      method: 'POST',
      body: {
        containerTag,
        memories: [
          { content: 'Mira is a marine biologist', isStatic: true },
          { content: 'Mira is packing for a dive trip this weekend', isStatic: false },
        ],
      },
    });
    assert.equal(res.status, 201, res.text);

    const { profile, searchResults } = await client.profile({ containerTag });
    assert.ok(Array.isArray(profile.static) && Array.isArray(profile.dynamic), JSON.stringify(profile));
    assert.deepEqual(profile.static, ['Mira is a marine biologist'], JSON.stringify(profile));
    assert.deepEqual(profile.dynamic, ['Mira is packing for a dive trip this weekend'], JSON.stringify(profile));
    assert.equal(searchResults, undefined, 'no searchResults without q');
  });

  it('a brand-new tag has an empty profile, not an error', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = await connect();
    const result = await client.profile({ containerTag: newContainerTag('profile-new') });
    assert.deepEqual(result.profile, { static: [], dynamic: [] });
  });

  it('rejects a profile request without containerTag with a reason', { timeout: TEST_TIMEOUT_MS }, async () => {
    const res = await rawFetch('/v4/profile', { method: 'POST', body: {} });
    assert.equal(res.status, 400, res.text);
    assert.match(res.json?.details ?? '', /containerTag/);
  });
});
