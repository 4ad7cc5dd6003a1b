-- The tables search-service reads, as memory-writer's (writer) and ingest-service's (ingest) migrations leave them.
-- Tests only: in a running system the owning services create them. Keep in step with
-- memory-writer/src/main/resources/db/migration and ingest-service/src/main/resources/db/migration.
create schema if not exists writer;
create schema if not exists ingest;

create table if not exists writer.chunks (
    org_id        text        not null,
    id            text        not null,
    document_id   text        not null,
    container_tag text        not null,
    position      integer     not null,
    content       text        not null,
    content_hash  text        not null,
    token_count   integer     not null,
    model_id      text        not null,
    embedding     real[]      not null,
    revision      bigint      not null,
    created_at    timestamptz not null default now(),
    constraint chunks_pk primary key (org_id, id)
);

create table if not exists writer.memories (
    org_id           text        not null,
    id               text        not null,
    container_tag    text        not null,
    memory           text        not null,
    content_hash     text        not null,
    version          integer     not null,
    parent_memory_id text,
    root_memory_id   text        not null,
    is_latest        boolean     not null default true,
    is_static        boolean     not null default false,
    is_inference     boolean     not null default false,
    is_forgotten     boolean     not null default false,
    forget_after     timestamptz,
    forget_reason    text,
    metadata         jsonb       not null default '{}'::jsonb,
    document_date    timestamptz,
    event_dates      timestamptz[] not null default '{}',
    source_count     integer     not null default 1,
    embedding        real[]      not null,
    model_id         text        not null,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    constraint memories_pk primary key (org_id, id),
    constraint memories_version_ck check (version >= 1),
    constraint memories_chain_ck check ((version = 1) = (parent_memory_id is null)
        and (version > 1 or root_memory_id = id)),
    constraint memories_metadata_ck check (jsonb_typeof(metadata) = 'object'),
    constraint memories_source_count_ck check (source_count >= 1)
);
create unique index if not exists memories_chain_version_ux on writer.memories (org_id, root_memory_id, version);
create unique index if not exists memories_chain_latest_ux on writer.memories (org_id, root_memory_id) where is_latest;

create table if not exists writer.memory_sources (
    org_id      text        not null,
    memory_id   text        not null,
    document_id text        not null,
    source_ref  text,
    created_at  timestamptz not null,
    constraint memory_sources_pk primary key (org_id, memory_id, document_id),
    constraint memory_sources_memory_fk foreign key (org_id, memory_id) references writer.memories (org_id, id)
        on delete cascade
);

create table if not exists writer.memory_relations (
    org_id         text        not null,
    from_memory_id text        not null,
    to_memory_id   text        not null,
    relation       text        not null,
    created_at     timestamptz not null,
    constraint memory_relations_pk primary key (org_id, from_memory_id, to_memory_id),
    constraint memory_relations_relation_ck check (relation in ('updates', 'extends', 'derives')),
    constraint memory_relations_from_fk foreign key (org_id, from_memory_id) references writer.memories (org_id, id)
        on delete cascade,
    constraint memory_relations_to_fk foreign key (org_id, to_memory_id) references writer.memories (org_id, id)
        on delete cascade
);

create table if not exists ingest.documents (
    org_id            text        not null,
    id                text        not null,
    container_tag     text        not null,
    custom_id         text,
    content           text,
    metadata          jsonb       not null default '{}'::jsonb,
    status            text        not null,
    status_reason     text,
    revision          bigint      not null,
    title             text,
    type              text        not null default 'text',
    summary           text,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    source            text        not null default 'text',
    content_type      text,
    filename          text,
    filepath          text,
    task_type         text        not null default 'memory',
    chunk_count       integer,
    origin            text,
    conversation_hash text,
    constraint documents_pk primary key (org_id, id)
);

create table if not exists ingest.orgs (
    id         text primary key,
    slug       text not null unique,
    name       text not null,
    created_at timestamptz not null default now()
);

create table if not exists ingest.api_keys (
    id                   text primary key,
    org_id               text not null references ingest.orgs (id),
    name                 text not null,
    key_hash             text not null unique,
    key_hint             text not null,
    role                 text not null check (role in ('admin', 'scoped')),
    container_tag        text,
    rate_limit_max       integer check (rate_limit_max > 0),
    rate_limit_window_ms bigint check (rate_limit_window_ms > 0),
    expires_at           timestamptz,
    revoked_at           timestamptz,
    created_by           text not null,
    created_at           timestamptz not null default now(),
    check ((role = 'scoped') = (container_tag is not null)),
    check ((rate_limit_max is null) = (rate_limit_window_ms is null))
);
