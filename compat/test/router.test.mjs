// The Memory Router (issue #6) through the official `openai` and `@anthropic-ai/sdk` clients: an app changes only its
// base URL (the provider's URL rides in the path) and adds Engram's key and a user id. The provider is a scripted
// server in this process that records what it received, so the tests can check what the router forwarded: the
// user's memories in the system prompt, the user's turns untouched, the provider key passed through. The stack must
// let the router reach it: start it with ROUTER_UPSTREAM_ALLOWED_HOSTS=127.0.0.1 and
// ROUTER_UPSTREAM_PRIVATE_HOSTS=127.0.0.1 (.ci/run does).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { API_KEY, BASE_URL, connect, newContainerTag, rawFetch, waitFor } from '../lib/stack.mjs';

const TEST_TIMEOUT_MS = 90_000;
const PROVIDER_KEY = 'sk-provider-compat-key';
const ANSWER = 'Noted, I will remember that.';

/** The scripted provider: answers OpenAI and Anthropic calls, streamed or not, and keeps every request it got. */
class ScriptedProvider {
  received = [];

  async start() {
    this.server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        this.received.push({ path: req.url, headers: req.headers, body });
        if (req.url.endsWith('/chat/completions')) this.openai(body, res);
        else if (req.url.endsWith('/messages')) this.anthropic(body, res);
        else {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `no route ${req.url}`, type: 'invalid_request_error' } }));
        }
      });
    });
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${this.server.address().port}`;
  }

  stop() {
    this.server?.closeAllConnections?.();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The last request whose user turn mentions `marker`. */
  requestWith(marker) {
    const found = this.received.filter((r) => JSON.stringify(r.body.messages ?? []).includes(marker));
    assert.ok(found.length > 0, `the provider never received a request mentioning ${marker}`);
    return found[found.length - 1];
  }

  openai(body, res) {
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-compat',
          object: 'chat.completion',
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const words = ANSWER.split(/(?<= )/);
    words.forEach((word, i) => {
      const delta = i === 0 ? { role: 'assistant', content: word } : { content: word };
      const chunk = { id: 'chatcmpl-compat', object: 'chat.completion.chunk', created: 1, model: body.model };
      res.write(`data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
    });
    const last = { id: 'chatcmpl-compat', object: 'chat.completion.chunk', created: 1, model: body.model };
    res.write(`data: ${JSON.stringify({ ...last, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  anthropic(body, res) {
    const message = {
      id: 'msg_compat',
      type: 'message',
      role: 'assistant',
      model: body.model,
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ ...message, content: [{ type: 'text', text: ANSWER }], stop_reason: 'end_turn' }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
    send('message_start', { message: { ...message, content: [] } });
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    for (const word of ANSWER.split(/(?<= )/)) {
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } });
    }
    send('content_block_stop', { index: 0 });
    send('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } });
    send('message_stop', {});
    res.end();
  }
}

/** Static memories (the profile) are injected whatever the question, so the checks do not hang on similarity. */
async function rememberAbout(userId, facts) {
  const res = await rawFetch('/v4/memories', {
    method: 'POST',
    body: { containerTag: userId, memories: facts.map((content) => ({ content, isStatic: true })) },
  });
  assert.equal(res.status, 201, `POST /v4/memories: expected 201, got ${res.status} ${res.text}`);
}

function openaiClient(provider, userId, extra = {}) {
  return new OpenAI({
    apiKey: PROVIDER_KEY,
    baseURL: `${BASE_URL}/v3/${provider.base}/v1`,
    defaultHeaders: { 'x-supermemory-api-key': API_KEY, 'x-sm-user-id': userId, ...extra },
    maxRetries: 0,
    timeout: 30_000,
  });
}

function anthropicClient(provider, userId) {
  return new Anthropic({
    apiKey: PROVIDER_KEY,
    baseURL: `${BASE_URL}/v3/${provider.base}`,
    defaultHeaders: { 'x-supermemory-api-key': API_KEY, 'x-sm-user-id': userId },
    maxRetries: 0,
    timeout: 30_000,
  });
}

/** A refusal of the scripted provider itself means the stack was started without the loopback allowance. */
function explainRefusal(err) {
  if (err?.status === 403) {
    throw new Error(
      'the router refused the scripted provider on 127.0.0.1: start the stack with ' +
        'ROUTER_UPSTREAM_ALLOWED_HOSTS=127.0.0.1 ROUTER_UPSTREAM_PRIVATE_HOSTS=127.0.0.1',
      { cause: err },
    );
  }
  throw err;
}

/**
 * Runs a router call until it is answered without failing open: the router forwards a request unchanged when search
 * (memories) or ingest (a conversation's stored turns) answers slower than its timeout (150 ms), which a freshly started
 * stack on a busy machine does for its first requests; that is correct behaviour, but these tests are about what the
 * router adds. Gives up after a few spaced tries with the router's own reason.
 */
async function withMemories(call) {
  let last;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 300));
    last = await call().catch(explainRefusal);
    const error = last.response.headers.get('x-supermemory-error');
    if (!error) return last;
    if (last.data?.[Symbol.asyncIterator]) for await (const chunk of last.data) void chunk; // drain the stream
  }
  assert.fail(`the router kept failing open: ${last.response.headers.get('x-supermemory-error')}`);
}

function systemText(messages) {
  return messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join('')))
    .join('\n');
}

describe('memory router', () => {
  const provider = new ScriptedProvider();
  before(async () => {
    await provider.start();
    // The router gives search and ingest 150 ms before failing open; a freshly started stack's first searches and
    // reads take longer (JIT, the first query embedding). Warm both paths until they answer well within that.
    const deadline = Date.now() + 60_000;
    const tag = newContainerTag('router-warm');
    for (let i = 0; Date.now() < deadline; i += 1) {
      const started = Date.now();
      await rawFetch('/v4/profile', { method: 'POST', body: { containerTag: tag, q: `warming up ${i}` } });
      await rawFetch(`/v4/conversations/warm-${i}?containerTag=${tag}`);
      if (Date.now() - started < 60 && i >= 5) break;
    }
  });
  after(() => provider.stop());

  it('openai chat completion: memories in the system prompt, user turns and provider key untouched', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await connect();
    const userId = newContainerTag('router-openai');
    await rememberAbout(userId, ['The user is vegetarian and lives in Lisbon']);
    const userTurn = `What should I cook tonight? (${userId})`;

    const { data, response } = await withMemories(() =>
      openaiClient(provider, userId)
        .chat.completions.create({
          model: 'gpt-compat',
          messages: [
            { role: 'system', content: 'You are a helpful cook.' },
            { role: 'user', content: userTurn },
          ],
        })
        .withResponse(),
    );

    assert.equal(data.choices[0].message.content, ANSWER);
    const seen = provider.requestWith(userId);
    assert.equal(seen.path, '/v1/chat/completions');
    assert.equal(seen.headers.authorization, `Bearer ${PROVIDER_KEY}`, 'the provider key must pass through');
    assert.equal(seen.headers['x-supermemory-api-key'], undefined, "Engram's key must not reach the provider");
    const system = systemText(seen.body.messages);
    assert.match(system, /^You are a helpful cook\./, 'the client system prompt comes first');
    assert.match(system, /vegetarian and lives in Lisbon/, `no memory injected: ${system}`);
    assert.deepEqual(
      seen.body.messages.filter((m) => m.role === 'user'),
      [{ role: 'user', content: userTurn }],
      'user turns are forwarded exactly as sent',
    );
    assert.equal(response.headers.get('x-supermemory-context-modified'), 'true');
    assert.ok(Number(response.headers.get('x-supermemory-chunks-retrieved')) >= 1);
    assert.ok(Number(response.headers.get('x-supermemory-tokens-processed')) > 0);
    assert.ok(response.headers.get('x-supermemory-conversation-id'), 'conversation id header missing');
    assert.equal(response.headers.get('x-supermemory-error'), null);
  });

  it('openai streaming: the answer arrives as chunks, and a fact told then is injected in a later conversation', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await connect();
    const userId = newContainerTag('router-stream');
    await rememberAbout(userId, ['The user has a cat']);
    const conversationId = `conv-${userId}`.slice(0, 100);

    const { data: stream, response } = await withMemories(() =>
      openaiClient(provider, userId, { 'x-sm-conversation-id': conversationId })
        .chat.completions.create({
          model: 'gpt-compat',
          stream: true,
          messages: [{ role: 'user', content: 'Please remember that my cat is named Zorblax and she loves tuna.' }],
        })
        .withResponse(),
    );
    const pieces = [];
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta?.content;
      if (text) pieces.push(text);
    }

    assert.ok(pieces.length > 1, `expected several chunks, got ${pieces.length}`);
    assert.equal(pieces.join(''), ANSWER);
    assert.equal(response.headers.get('x-supermemory-conversation-id'), conversationId);
    assert.equal(provider.requestWith('Zorblax').body.stream, true);
    assert.match(systemText(provider.requestWith('Zorblax').body.messages), /has a cat/);

    // The exchange went to engram.conversations.v1; memory-writer turns the user's turn into memories of the tag.
    const found = await waitFor(
      async () => {
        const res = await rawFetch('/v4/memories/list', { method: 'POST', body: { containerTags: [userId] } });
        assert.equal(res.status, 200, res.text);
        return res.json.memoryEntries.find((m) => /Zorblax/.test(m.memory));
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'a memory of the streamed conversation' },
    );
    assert.match(found.memory, /Zorblax/);

    // A later conversation of the same user is told what the first one taught.
    const later = `What is the name of my cat? (${userId} later)`;
    const { response: laterResponse } = await withMemories(() =>
      openaiClient(provider, userId, { 'x-sm-conversation-id': `${conversationId}-2`.slice(0, 100) })
        .chat.completions.create({ model: 'gpt-compat', messages: [{ role: 'user', content: later }] })
        .withResponse(),
    );
    assert.match(systemText(provider.requestWith(later).body.messages), /Zorblax/);
    assert.ok(Number(laterResponse.headers.get('x-supermemory-chunks-retrieved')) >= 2);
  });

  it('anthropic messages, plain and streamed: memories appended to system, provider key passed through', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await connect();
    const userId = newContainerTag('router-anthropic');
    await rememberAbout(userId, ['The user prefers answers in French']);
    const anthropic = anthropicClient(provider, userId);

    const { data: message, response } = await withMemories(() =>
      anthropic.messages
        .create({
          model: 'claude-compat',
          max_tokens: 64,
          system: 'Be brief.',
          messages: [{ role: 'user', content: `Bonjour (${userId})` }],
        })
        .withResponse(),
    );
    assert.equal(message.content[0].text, ANSWER);
    assert.ok(response.headers.get('x-supermemory-conversation-id'));
    const seen = provider.requestWith(`Bonjour (${userId})`);
    assert.equal(seen.path, '/v1/messages');
    // The SDK sends its key as x-api-key or, in newer versions, as Authorization: Bearer; either way, untouched.
    assert.ok(
      seen.headers['x-api-key'] === PROVIDER_KEY || seen.headers.authorization === `Bearer ${PROVIDER_KEY}`,
      `the provider key must pass through: ${JSON.stringify(seen.headers)}`,
    );
    const system = typeof seen.body.system === 'string' ? seen.body.system : seen.body.system.map((b) => b.text).join('');
    assert.match(system, /^Be brief\./);
    assert.match(system, /prefers answers in French/);
    assert.deepEqual(seen.body.messages, [{ role: 'user', content: `Bonjour (${userId})` }]);

    const stream = anthropic.messages.stream({
      model: 'claude-compat',
      max_tokens: 64,
      messages: [{ role: 'user', content: `Encore (${userId})` }],
    });
    assert.equal(await stream.finalText().catch(explainRefusal), ANSWER);
    assert.match(JSON.stringify(provider.requestWith(`Encore (${userId})`).body.system), /prefers answers in French/);
  });

  it('backfills a conversation: a client that sends only its new turn reaches the provider with the earlier ones', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await connect();
    const userId = newContainerTag('router-backfill');
    const conversationId = `conv-${userId}`.slice(0, 100);
    const client = openaiClient(provider, userId, { 'x-sm-conversation-id': conversationId });
    const first = `My favourite colour is teal. (${userId})`;
    // Only an exchange answered with the stored history at hand is published (see router-service/README.md).
    await withMemories(() =>
      client.chat.completions.create({ model: 'gpt-compat', messages: [{ role: 'user', content: first }] }).withResponse(),
    );

    // The router published the exchange; ingest-service stores the conversation's turns when it reads the event.
    await waitFor(
      async () => {
        const res = await rawFetch(
          `/v4/conversations/${encodeURIComponent(conversationId)}?containerTag=${encodeURIComponent(userId)}`,
        );
        if (res.status === 404) return false;
        assert.equal(res.status, 200, res.text);
        return res.json.messages.length >= 2;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the first exchange stored' },
    );

    const next = `And what did I just tell you? (${userId})`;
    const { response } = await withMemories(() =>
      client.chat.completions.create({ model: 'gpt-compat', messages: [{ role: 'user', content: next }] }).withResponse(),
    );
    const turns = provider
      .requestWith(next)
      .body.messages.filter((m) => m.role !== 'system')
      .map((m) => [m.role, m.content]);
    assert.deepEqual(turns, [
      ['user', first],
      ['assistant', ANSWER],
      ['user', next],
    ]);
    assert.equal(response.headers.get('x-supermemory-turns-backfilled'), '2');
  });

  it('refuses a provider that is neither allow-listed nor public, in the shape the SDK parses', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await connect();
    const client = new OpenAI({
      apiKey: PROVIDER_KEY,
      baseURL: `${BASE_URL}/v3/http://10.11.12.13/v1`,
      defaultHeaders: { 'x-supermemory-api-key': API_KEY },
      maxRetries: 0,
    });
    await assert.rejects(
      client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.APIError, `expected an APIError, got ${err}`);
        assert.equal(err.status, 403);
        assert.equal(err.code, 'upstream_not_allowed');
        assert.match(err.message, /10\.11\.12\.13/);
        return true;
      },
    );
  });

  it("refuses a wrong Engram key with the provider's error shape", { timeout: TEST_TIMEOUT_MS }, async () => {
    await connect();
    const client = new OpenAI({
      apiKey: PROVIDER_KEY,
      baseURL: `${BASE_URL}/v3/${provider.base}/v1`,
      defaultHeaders: { 'x-supermemory-api-key': 'not-the-key' },
      maxRetries: 0,
    });
    await assert.rejects(
      client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
      (err) => err instanceof OpenAI.AuthenticationError && err.status === 401,
    );
  });
});
