-- Issue #3: where content comes from (text, URL, uploaded file), file bytes, caller paths, container tags.

alter table documents
    alter column content drop not null,
    add column source       text not null default 'text',
    add column content_type text,
    add column filename     text,
    add column filepath     text,
    add column task_type    text not null default 'memory',
    add column chunk_count  integer,
    add constraint documents_source_ck check (source in ('text', 'url', 'file')),
    add constraint documents_task_type_ck check (task_type in ('memory', 'superrag'));

create index documents_filepath_ix on documents (org_id, filepath text_pattern_ops) where filepath is not null;
create index documents_tag_updated_ix on documents (org_id, container_tag, updated_at desc);

-- Uploaded files, kept until the document is deleted; memory-writer reads them (read only) to extract text.
create table document_files (
    org_id       text        not null,
    document_id  text        not null,
    content_type text        not null,
    filename     text,
    size_bytes   bigint      not null,
    bytes        bytea       not null,
    created_at   timestamptz not null,
    constraint document_files_pk primary key (org_id, document_id),
    constraint document_files_document_fk foreign key (org_id, document_id)
        references documents (org_id, id) on delete cascade
);

-- Container tags seen by this organisation, with the entity context that guides memory extraction.
create table container_tags (
    org_id         text        not null,
    tag            text        not null,
    entity_context text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    constraint container_tags_pk primary key (org_id, tag)
);
