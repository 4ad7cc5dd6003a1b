-- Outbox rows the broker refused for good (too large for the topic, an invalid topic or record): the relay moves
-- them here with the reason, in the transaction that deletes them from the outbox, so the rows after them go on.
-- Kept for an operator to inspect or replay; nothing reads them.
create table outbox_dead_letters (
    id               bigint      primary key,
    org_id           text        not null,
    topic            text        not null,
    record_key       text        not null,
    payload          text        not null,
    headers          jsonb       not null,
    created_at       timestamptz not null,
    reason           text        not null,
    dead_lettered_at timestamptz not null default now()
);
