// Shared helpers for the Engram compatibility tests.
//
// Everything here talks to an already running Engram stack; nothing is started or mocked.
// Configuration comes from the environment:
//   ENGRAM_BASE_URL          base URL of the stack          (default http://localhost:6767)
//   ENGRAM_API_KEY           API key sent as Bearer token   (required; ./engram compat passes the stack's key)
//   ENGRAM_SDK_TIMEOUT_MS    per-request SDK/fetch timeout  (default 10000)
//   ENGRAM_SDK_MAX_RETRIES   SDK retries per request        (default 1)

import { randomBytes } from 'node:crypto';
import Supermemory from 'supermemory';

export { Supermemory };

function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

export const BASE_URL = (process.env.ENGRAM_BASE_URL || 'http://localhost:6767').replace(/\/+$/, '');
export const API_KEY = process.env.ENGRAM_API_KEY;
if (!API_KEY) {
  throw new Error('ENGRAM_API_KEY is not set: run the harness with ./engram compat, or export the stack\'s key (./engram key).');
}
export const REQUEST_TIMEOUT_MS = envInt('ENGRAM_SDK_TIMEOUT_MS', 10_000);
export const MAX_RETRIES = envInt('ENGRAM_SDK_MAX_RETRIES', 1);

/** Document processing pipeline, in order (supermemory@4.25.4 DocumentGetResponse.status minus unknown/failed). */
export const PIPELINE_STATUSES = Object.freeze(['queued', 'extracting', 'chunking', 'embedding', 'indexing', 'done']);
/** Every status value the SDK declares for a document. */
export const ALL_DOCUMENT_STATUSES = Object.freeze(['unknown', ...PIPELINE_STATUSES, 'failed']);

/** One id per test process; every container tag made here carries it, so runs never see each other's data. */
export const RUN_ID = randomBytes(6).toString('hex');
let tagCounter = 0;

/**
 * A container tag unique to this run (and to each call): `compat_<runId>_<n>` or `compat_<runId>_<label>_<n>`.
 * Only [A-Za-z0-9_.-], well under the 100 character limit.
 */
export function newContainerTag(label) {
  tagCounter += 1;
  const safe = label ? `${String(label).replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40)}_` : '';
  return `compat_${RUN_ID}_${safe}${tagCounter}`;
}

/** SDK client pointed at the stack, with bounded timeout and few retries so a broken stack fails fast. */
export function createClient(overrides = {}) {
  return new Supermemory({
    apiKey: API_KEY,
    baseURL: BASE_URL,
    timeout: REQUEST_TIMEOUT_MS,
    maxRetries: MAX_RETRIES,
    ...overrides,
  });
}

/**
 * Poll `fn` until it returns a truthy value and return that value.
 * Errors thrown by `fn` are NOT swallowed: they fail the wait at once (a 404 while polling is a bug, not a "not yet").
 * On timeout, throws an Error naming `description` and the last value seen.
 */
export async function waitFor(fn, { timeoutMs = 30_000, intervalMs = 250, description = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (let attempt = 1; ; attempt += 1) {
    last = await fn(attempt);
    if (last) return last;
    if (Date.now() >= deadline) {
      throw new Error(
        `waitFor: ${description} not met within ${timeoutMs} ms (${attempt} attempts); last value: ${safeJson(last)}`,
      );
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function safeJson(v) {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function describeFetchError(err, timeoutMs) {
  if (err?.name === 'TimeoutError') return `no response within ${timeoutMs} ms`;
  const cause = err?.cause;
  const code = [cause?.code, cause?.errors?.[0]?.code, err?.code].find((c) => typeof c === 'string');
  return [code, cause?.message || err?.message].filter(Boolean).join(': ');
}

/**
 * Plain HTTP against the stack, bypassing the SDK (for malformed input and exact status/body checks).
 * `body`: a string is sent verbatim, anything else is JSON.stringify'd. `auth: false` omits Authorization;
 * `apiKey` sends another key than the stack's.
 * Resolves to { status, headers, text, json } where json is the parsed body or undefined.
 */
export async function rawFetch(path, { method = 'GET', body, auth = true, apiKey = API_KEY, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (auth) h.Authorization = `Bearer ${apiKey}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const url = `${BASE_URL}${path}`;
  let res;
  try {
    res = await fetch(url, { method, headers: h, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw new Error(`${method} ${url} failed: ${describeFetchError(err, REQUEST_TIMEOUT_MS)}`, { cause: err });
  }
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * Throws a clear error if nothing answers HTTP on BASE_URL. Any HTTP status counts as reachable.
 */
export async function assertStackReachable() {
  const timeoutMs = Math.min(REQUEST_TIMEOUT_MS, 5_000);
  try {
    const res = await fetch(`${BASE_URL}/`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
  } catch (err) {
    // No `cause` attached on purpose: the message says it all and keeps the test report short.
    throw new Error(
      `Engram stack not reachable at ${BASE_URL} (${describeFetchError(err, timeoutMs)}). ` +
        'Start the stack or point ENGRAM_BASE_URL at it.',
    );
  }
}

let reachable;

/**
 * Call at the start of every test: checks (once per process) that the stack answers, then returns an SDK client.
 * With no stack, every test fails at once with the same one-line reason (counted as failures, not cancellations).
 */
export async function connect(clientOverrides) {
  reachable ??= assertStackReachable();
  await reachable;
  return createClient(clientOverrides);
}
