-- memory-writer owns the chunks of documents (and, from issue #4, memories).
-- A chunk's embedding is kept beside it, so an unchanged chunk of a re-added document is not embedded again and a
-- metadata-only change can rewrite its vector's payload without the model.

create table chunks (
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

create index chunks_document_ix on chunks (org_id, document_id, position);
