-- Events waiting to be relayed to Kafka, written in the same transaction as the change they announce (today: the
-- light source document of memories created by POST /v4/memories) and deleted once the broker acknowledged them.
-- Same columns as ingest.outbox, so one relay implementation serves both.
create table outbox (
    id         bigint generated always as identity primary key,
    org_id     text        not null,
    topic      text        not null,
    record_key text        not null,
    payload    text        not null,
    headers    jsonb       not null default '{}'::jsonb,
    created_at timestamptz not null default now()
);
