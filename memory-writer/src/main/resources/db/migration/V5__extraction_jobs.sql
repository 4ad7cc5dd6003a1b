-- Memory extraction ("dreaming") runs after a document is done: its chunks are searchable first, memories follow.
-- A job is written in the same transaction as the chunks it reads, so no document is indexed without its job and
-- no job exists for chunks that were never stored. Workers claim jobs with FOR UPDATE SKIP LOCKED, so several
-- memory-writer replicas share them; consolidation itself is serialised per container tag by an advisory lock.

create table extraction_jobs (
    org_id          text        not null,
    document_id     text        not null,
    revision        bigint      not null,
    container_tag   text        not null,
    -- 'document' (read the document's chunks) or 'conversation' (the new turns are in turns)
    kind            text        not null,
    -- conversation jobs: the turns not seen before, as JSON [{ref, role, name, createdAt, content}]
    turns           jsonb,
    document_date   timestamptz not null,
    entity_context  text,
    metadata        jsonb       not null default '{}'::jsonb,
    -- pending -> running -> done | failed; a superseded revision's pending job becomes 'skipped'
    status          text        not null default 'pending',
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    reason          text,
    memories_added   integer,
    memories_updated integer,
    memories_extended integer,
    duplicates       integer,
    extractor       text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint extraction_jobs_pk primary key (org_id, document_id, revision),
    constraint extraction_jobs_kind_ck check (kind in ('document', 'conversation')),
    constraint extraction_jobs_status_ck check (status in ('pending', 'running', 'done', 'failed', 'skipped'))
);

create index extraction_jobs_due_ix on extraction_jobs (next_attempt_at, created_at) where status = 'pending';

-- How much of each conversation has been handed to extraction: re-sending a longer conversation extracts only the
-- turns after turns_seen, as long as the first turns_seen turns still hash to prefix_hash (else history was
-- rewritten and every turn is extracted again; duplicates are then merged by content hash).
create table conversation_progress (
    org_id      text        not null,
    document_id text        not null,
    turns_seen  integer     not null,
    prefix_hash text        not null,
    updated_at  timestamptz not null default now(),
    constraint conversation_progress_pk primary key (org_id, document_id)
);
