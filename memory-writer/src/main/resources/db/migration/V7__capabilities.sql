-- Issue #7: what this memory-writer installation can do, reported at start, so ingest-service (which reads this table
-- only) can say in /v3/settings when a setting has no effect, e.g. shouldLLMFilter without an extraction LLM.
create table capabilities (
    name        text primary key,
    available   boolean     not null,
    detail      text,
    reported_at timestamptz not null default now()
);
