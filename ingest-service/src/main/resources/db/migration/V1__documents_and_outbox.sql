-- ingest-service owns the documents and the transactional outbox.
-- Every row carries the organisation that owns it; every query filters on it.

create table documents (
    org_id        text        not null,
    id            text        not null,
    container_tag text        not null,
    custom_id     text,
    content       text        not null,
    metadata      jsonb       not null default '{}'::jsonb,
    status        text        not null,
    status_reason text,
    revision      bigint      not null,
    title         text,
    type          text        not null default 'text',
    summary       text,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    constraint documents_pk primary key (org_id, id),
    constraint documents_status_ck check (status in
        ('queued', 'extracting', 'chunking', 'embedding', 'indexing', 'done', 'failed')),
    constraint documents_revision_ck check (revision >= 1)
);

-- customId is the caller's idempotency key: unique within an organisation.
create unique index documents_custom_id_ux on documents (org_id, custom_id) where custom_id is not null;
create index documents_tag_created_ix on documents (org_id, container_tag, created_at desc);
-- Documents still in the pipeline (GET /v3/documents/processing).
create index documents_in_flight_ix on documents (org_id, created_at) where status not in ('done', 'failed');

-- Events waiting to be relayed to Kafka. A row is written in the same transaction as the change it announces
-- and deleted once the broker has acknowledged it.
create table outbox (
    id         bigint generated always as identity primary key,
    org_id     text        not null,
    topic      text        not null,
    record_key text        not null,
    payload    text        not null,
    headers    jsonb       not null default '{}'::jsonb,
    created_at timestamptz not null default now()
);
