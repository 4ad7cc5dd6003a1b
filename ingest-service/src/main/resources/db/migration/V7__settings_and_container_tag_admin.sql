-- Issue #7: organisation settings (GET/PATCH /v3/settings), container tag administration (/v3/container-tags/*) and
-- container tag merges.

-- One row per organisation that changed a setting; an organisation without a row has the defaults. memory-writer
-- reads chunk_size, should_llm_filter and filter_prompt (read only) when it processes the organisation's documents.
create table org_settings (
    org_id            text primary key references orgs (id) on delete cascade,
    -- Largest chunk in embedding-model tokens; null: the installation's default (writer.chunking.max-tokens).
    chunk_size        integer check (chunk_size > 0),
    should_llm_filter boolean not null default false,
    filter_prompt     text,
    -- Connector settings, stored and returned; Engram has no connectors, so nothing reads them yet.
    include_items     jsonb,
    exclude_items     jsonb,
    connectors        jsonb not null default '{}'::jsonb,
    updated_at        timestamptz not null default now()
);

-- Supermemory's container tag settings: a display name and memory filesystem paths (stored and returned).
alter table container_tags
    add column name                    text,
    add column memory_filesystem_paths text[];

-- POST /v3/container-tags/merge: one row per merge, its progress and outcome (GET /v3/container-tags/merge/{id}).
create table container_tag_merges (
    id                text primary key,
    org_id            text        not null,
    target_tag        text        not null,
    source_tags       text[]      not null,
    status            text        not null check (status in ('queued', 'running', 'done', 'failed')),
    documents_moved   integer     not null default 0,
    documents_skipped integer     not null default 0,
    reason            text,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    finished_at       timestamptz
);

create index container_tag_merges_unfinished on container_tag_merges (updated_at) where status in ('queued', 'running');
