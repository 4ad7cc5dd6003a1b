-- memory-writer owns the memories: atomic facts of one container tag, with versions, sources and relations.
-- search-service reads these tables (read only) to filter hits by state and to build a hit's context (its parents and
-- children in the version chain, related memories); every row carries the organisation that owns it.

create table memories (
    org_id           text        not null,
    id               text        not null,
    container_tag    text        not null,
    -- the fact itself
    memory           text        not null,
    -- SHA-256 (hex) of the normalised text (see ContentHash): the key of duplicate lookups within a tag
    content_hash     text        not null,
    -- the version chain: version 1 is its own root and has no parent; an update adds version n+1 whose parent is
    -- version n, and only one version of a chain is the latest
    version          integer     not null,
    parent_memory_id text,
    root_memory_id   text        not null,
    is_latest        boolean     not null default true,
    is_static        boolean     not null default false,
    is_inference     boolean     not null default false,
    -- soft forgetting: a forgotten row stays as history; forget_after in the past counts as forgotten at read time
    -- (a sweep then records it here)
    is_forgotten     boolean     not null default false,
    forget_after     timestamptz,
    forget_reason    text,
    metadata         jsonb       not null default '{}'::jsonb,
    -- temporalContext: when the source was written and the dates of the events the fact mentions
    document_date    timestamptz,
    event_dates      timestamptz[] not null default '{}',
    -- how many times the fact was observed (1 when created, one more per further source document)
    source_count     integer     not null default 1,
    -- the vector indexed for the memory, kept so its point can be rewritten (e.g. isLatest=false) without the model
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

-- One row per version of a chain, and at most one latest version per chain.
create unique index memories_chain_version_ux on memories (org_id, root_memory_id, version);
create unique index memories_chain_latest_ux on memories (org_id, root_memory_id) where is_latest;
-- Listing a tag's latest memories (the default of /v4/memories/list) newest first.
create index memories_tag_latest_ix on memories (org_id, container_tag, created_at desc) where is_latest;
-- Duplicate and exact-content lookups within a tag.
create index memories_tag_hash_ix on memories (org_id, container_tag, content_hash);
-- The expiry sweep: memories that will expire and are not yet recorded as forgotten.
create index memories_forget_after_ix on memories (forget_after) where not is_forgotten and forget_after is not null;

-- Where each memory came from: the documents (and conversations, which are documents) it was extracted from, or the
-- light document recorded by POST /v4/memories. source_ref points inside the document (e.g. a turn or chunk).
create table memory_sources (
    org_id      text        not null,
    memory_id   text        not null,
    document_id text        not null,
    source_ref  text,
    created_at  timestamptz not null,
    constraint memory_sources_pk primary key (org_id, memory_id, document_id),
    constraint memory_sources_memory_fk foreign key (org_id, memory_id) references memories (org_id, id)
        on delete cascade
);

-- The memories of a document (e.g. to drop or re-derive them when the document is deleted).
create index memory_sources_document_ix on memory_sources (org_id, document_id);

-- How memories relate: from_memory_id <relation> to_memory_id, e.g. "v2 updates v1", "B extends A",
-- "C derives A" (C was inferred from A).
create table memory_relations (
    org_id         text        not null,
    from_memory_id text        not null,
    to_memory_id   text        not null,
    relation       text        not null,
    created_at     timestamptz not null,
    constraint memory_relations_pk primary key (org_id, from_memory_id, to_memory_id),
    constraint memory_relations_relation_ck check (relation in ('updates', 'extends', 'derives')),
    constraint memory_relations_from_fk foreign key (org_id, from_memory_id) references memories (org_id, id)
        on delete cascade,
    constraint memory_relations_to_fk foreign key (org_id, to_memory_id) references memories (org_id, id)
        on delete cascade
);

create index memory_relations_to_ix on memory_relations (org_id, to_memory_id);
