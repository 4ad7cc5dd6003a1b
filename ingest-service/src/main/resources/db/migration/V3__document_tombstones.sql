-- Deleted documents leave a tombstone, so memory-writer can tell "deleted while in the pipeline" (abandon it)
-- from "not known to ingest-service yet" (a document published straight to Kafka by another producer: process it).
create table document_tombstones (
    org_id     text        not null,
    id         text        not null,
    revision   bigint      not null,
    deleted_at timestamptz not null default now(),
    constraint document_tombstones_pk primary key (org_id, id)
);
